//! The command line: `paydeck --demo`, and `paydeck sim` to serve the simulator.

use std::collections::HashSet;
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr, eyre};
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::Gateway;
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::pin::PinGateway;
use paydeck::secret::Secret;
use paydeck::sim::{self, FaultSpec, SimConfig};
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(
    name = "paydeck",
    version,
    about = "A keyboard-driven terminal dashboard for card payments"
)]
struct Cli {
    /// Run on the built-in demo gateway: a simulator on a loopback port with live traffic.
    #[arg(long)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gateway simulator until SIGINT or SIGTERM.
    Sim(SimArgs),
}

#[derive(Args)]
struct SimArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:4010")]
    listen: SocketAddr,
    /// Seed for the generated data: the same seed gives the same charges.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many charges to generate over the last 30 days.
    #[arg(long, default_value_t = 3000)]
    charges: usize,
    /// How many customers those charges are spread over.
    #[arg(long, default_value_t = 300)]
    customers: usize,
    /// New charges per minute, created as time goes by.
    #[arg(long, default_value_t = 0)]
    live: u32,
    /// Faults to inject, e.g. 'error_rate=0.2,latency_ms=50..800,commit_then_fail=0.05'
    /// (see README.md for every setting).
    #[arg(long, value_parser = parse_faults)]
    faults: Option<FaultSpec>,
}

fn parse_faults(spec: &str) -> Result<FaultSpec, String> {
    FaultSpec::parse(spec).map_err(|e| e.to_string())
}

fn main() -> Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    let log = paydeck::logging::init();
    let runtime = tokio::runtime::Runtime::new().wrap_err("cannot start the async runtime")?;
    match (cli.command, cli.demo) {
        (Some(Command::Sim(args)), _) => runtime.block_on(serve(args)),
        (None, true) => runtime.block_on(demo()),
        (None, false) => {
            let log = log.map_or_else(
                |e| format!("logging is off: {e}"),
                |p| p.display().to_string(),
            );
            println!(
                "paydeck has no gateway profile to open yet.\n\n\
                 Try it on the built-in demo gateway:   paydeck --demo\n\
                 Serve the gateway simulator:           paydeck sim --listen 127.0.0.1:4010\n\n\
                 Logs: {log}"
            );
            Ok(())
        }
    }
}

async fn serve(args: SimArgs) -> Result<()> {
    let config = SimConfig {
        seed: args.seed,
        charges: args.charges,
        customers: args.customers,
        live_per_minute: args.live,
        faults: args.faults.unwrap_or_default(),
    };
    let listener = TcpListener::bind(args.listen)
        .await
        .wrap_err_with(|| format!("cannot listen on {}", args.listen))?;
    let running = sim::start(listener, config).await?;
    for dialect in &running.dialects {
        println!("PAYDECK_SIM_{}_URL={}", dialect.name, dialect.url);
        println!("PAYDECK_SIM_{}_KEY={}", dialect.name, dialect.key);
    }
    println!("ready");
    shutdown_signal().await;
    running.shutdown().await;
    Ok(())
}

/// Until the dashboard lands, the demo starts the simulator with live traffic and
/// follows it through the Pin adapter, printing charges as they arrive.
async fn demo() -> Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let config = SimConfig {
        live_per_minute: 20,
        ..SimConfig::default()
    };
    let running = sim::start(listener, config).await?;
    let pin = running
        .dialect("PIN")
        .ok_or_else(|| eyre!("the simulator serves no Pin dialect"))?;
    let gateway = PinGateway::new(
        &pin.url,
        Secret::new(pin.key.clone()),
        HttpConfig::default(),
    )?;
    println!(
        "paydeck demo: a simulated Pin Payments gateway at {} with live traffic.\n\
         The dashboard comes next; for now this follows the newest charges. Ctrl-C stops.\n",
        pin.url
    );
    let follow = async {
        let mut seen = HashSet::new();
        let mut newest = None;
        let mut out = std::io::stdout();
        loop {
            let page = gateway
                .list_charges(&PageRequest::first(25), &ChargeFilter::default())
                .await;
            match page {
                Ok(page) => {
                    // Oldest of the new first, so the newest ends at the bottom.
                    let fresh = page.items.iter().rev().filter(|c| {
                        newest.is_none_or(|n| c.created >= n) && seen.insert(c.id.clone())
                    });
                    for charge in fresh {
                        let line = writeln!(
                            out,
                            "{}  {:<13} {:>14}  {:<32} {}",
                            charge.created.format("%Y-%m-%d %H:%M:%S"),
                            charge.status.label(),
                            charge.amount.to_string(),
                            charge.email.as_deref().unwrap_or("-"),
                            charge.id
                        );
                        if line.is_err() {
                            return; // stdout closed: nobody is watching
                        }
                    }
                    newest = page.items.first().map(|c| c.created).or(newest);
                }
                Err(e) => eprintln!("gateway: {e}"),
            }
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
    };
    tokio::select! {
        () = follow => {}
        () = shutdown_signal() => {}
    }
    running.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
