//! The command line: the dashboard (`paydeck`, `paydeck --demo`), the simulator
//! (`paydeck sim`), the headless sync (`paydeck sync`), reconciliation
//! (`paydeck recon`) and exports (`paydeck export`).

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, CommandFactory, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr, eyre};
use paydeck::app::event_loop::{self, Dashboard, OpenProfile};
use paydeck::app::keymap::Keymap;
use paydeck::app::model::{Model, Session};
use paydeck::audit::AuditLog;
use paydeck::cli::demo_gateways::{self, DemoGateway};
use paydeck::cli::demo_statement;
use paydeck::cli::export::{ExportArgs, Format};
use paydeck::cli::recon::ReconArgs;
use paydeck::cli::sync::SyncArgs;
use paydeck::config::{self, Config, Profile, StoreSettings, ThemeName};
use paydeck::gateway::Gateway;
use paydeck::sim::ledger::settlement::{Schedule, ScheduleError};
use paydeck::sim::seed_stream::{self, StreamGateway, StreamSeeding};
use paydeck::sim::{self, BankNoise, BankNoiseError, FaultSpec, SimConfig};
use paydeck::store::sessions::StoreUrl;
use paydeck::ui::theme::Theme;
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(
    name = "paydeck",
    version,
    about = "A keyboard-driven terminal dashboard for card payments",
    after_help = EXIT_STATUS
)]
struct Cli {
    /// Run on the built-in demo gateway: a simulator on a loopback port with live traffic,
    /// speaking Pin's API unless another gateway is named (`--demo stripe`); `:profile`
    /// switches between the four (pin, stripe, openpay, trx).
    ///
    /// Its bank statement, with anomalies to reconcile, is written at start to
    /// <data dir>/demo-statement.ofx, .csv (read with demo-statement.mapping.toml) and
    /// .camt053.xml; the data dir is $PAYDECK_DATA_DIR or the platform's.
    #[arg(
        long,
        value_name = "GATEWAY",
        num_args = 0..=1,
        default_missing_value = "pin",
        value_enum
    )]
    demo: Option<DemoGateway>,
    /// Where the demo's simulator listens (default: a free loopback port).
    #[arg(long, value_name = "ADDR", requires = "demo")]
    demo_listen: Option<SocketAddr>,
    /// Offer no action that changes anything at the gateway.
    #[arg(long)]
    read_only: bool,
    /// The config file to read instead of the one in the platform config directory.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// The profile to open (default: the config's default_profile, else its first).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Keep no local store: every charge is read from the gateway and held in memory.
    #[arg(long)]
    no_store: bool,
    /// The shared PostgreSQL the reconciliation sessions live in, as
    /// postgres://user@host:5432/paydeck (instead of the config's [store] url; without
    /// either, the data directory's SQLite). Its password, if not in the URL, comes
    /// from [store] password_env or password_command, else $PGPASSWORD.
    #[arg(long, global = true, value_name = "URL")]
    store: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gateway simulator until SIGINT or SIGTERM.
    Sim(SimArgs),
    /// Sync a profile's charges into its local store, headless; run again to resume.
    Sync(SyncArgs),
    /// Reconciliation sessions, headless: new, list, import, match, status, mark,
    /// flag, note, signoff, claim, export, push, pull.
    Recon(ReconArgs),
    /// Print shell completions for bash, zsh or fish (README says where they go).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout: `paydeck man > paydeck.1`.
    Man,
    /// Write a profile's charges, refunds, customers, payouts or disputes as CSV, JSON,
    /// NDJSON or XLSX, from the local store where it is complete, else from the gateway.
    Export(ExportArgs),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
struct SimArgs {
    #[command(subcommand)]
    command: Option<SimCommand>,
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
    /// When payouts are cut and paid: daily, daily:D, weekly:DAY[:D] or manual
    /// (D = days from cut-off to the bank, default daily:2).
    #[arg(long, value_parser = parse_payout_schedule, default_value = "daily")]
    payout_schedule: Schedule,
    /// How often the simulated bank spoils its statements (/_sim/bank/*):
    /// name=rate items (merge, fee, late, ref, lost, unrelated), or none.
    #[arg(long, value_parser = parse_bank_noise, default_value = paydeck::sim::bank::noise::DEMO_NOISE)]
    bank_noise: BankNoise,
}

#[derive(Subcommand)]
enum SimCommand {
    /// Write the simulator's seed data straight into a new local store (a benchmark
    /// fixture: millions of charges without a sync).
    SeedStore(SeedStoreArgs),
}

#[derive(Args)]
struct SeedStoreArgs {
    /// Seed for the generated data: the same seed gives the same charges.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many charges to write.
    #[arg(long)]
    charges: u64,
    /// Over how many days before now they were made, oldest first.
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// The store file to create; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Whose words the charges are in, as that gateway's adapter reports them.
    #[arg(long, value_name = "GATEWAY", default_value = "pin", value_parser = parse_stream_gateway)]
    profile_gateway: StreamGateway,
}

fn parse_stream_gateway(name: &str) -> Result<StreamGateway, String> {
    StreamGateway::from_name(name).ok_or_else(|| {
        let known: Vec<_> = StreamGateway::ALL.iter().map(|g| g.name()).collect();
        format!(
            "seed-store writes charges as {} reports them",
            known.join(", ")
        )
    })
}

fn parse_faults(spec: &str) -> Result<FaultSpec, String> {
    FaultSpec::parse(spec).map_err(|e| e.to_string())
}

fn parse_payout_schedule(text: &str) -> Result<Schedule, String> {
    text.parse().map_err(|e: ScheduleError| e.to_string())
}

fn parse_bank_noise(text: &str) -> Result<BankNoise, String> {
    text.parse().map_err(|e: BankNoiseError| e.to_string())
}

/// What the dashboard's exit status means, for scripts (`--help` and README say it).
const EXIT_STATUS: &str = "Exit status: 0 after q; 78 when there is no config yet \
(it says where the config goes; paydeck --demo needs none); 1 for any other error at \
start; 128+N when stopped by signal N. paydeck recon has its own (paydeck recon --help).";

/// No config yet: EX_CONFIG of sysexits(3), which a script can tell from a failure.
const NO_CONFIG: i32 = 78;

/// The demo's simulator makes this many new charges a minute.
const DEMO_LIVE_PER_MINUTE: u32 = 20;

fn main() -> Result<()> {
    install_error_report()?;
    let cli = Cli::parse();
    // Generated from these definitions, before anything else starts (no log, no runtime).
    match cli.command {
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "paydeck", &mut std::io::stdout());
            return Ok(());
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .wrap_err("cannot write the manual page")?;
            return Ok(());
        }
        _ => {}
    }
    let log = paydeck::logging::init();
    if let Some(Command::Recon(args)) = &cli.command {
        std::process::exit(recon(&cli, args));
    }
    if let Some(Command::Export(args)) = &cli.command {
        std::process::exit(export(&cli, args));
    }
    let runtime = tokio::runtime::Runtime::new().wrap_err("cannot start the async runtime")?;
    let stopped_by = match cli.command {
        Some(Command::Sim(SimArgs {
            command: Some(SimCommand::SeedStore(args)),
            ..
        })) => seed_store(&args).map(|()| None),
        Some(Command::Sim(args)) => runtime.block_on(serve(args)).map(|()| None),
        Some(Command::Sync(ref args)) => runtime.block_on(sync(&cli, args)).map(|()| None),
        Some(
            Command::Recon(_) | Command::Export(_) | Command::Completions { .. } | Command::Man,
        ) => Ok(None),
        None if cli.demo.is_some() => runtime.block_on(demo(&cli)),
        None => {
            let config = match config::load(cli.config.as_deref()) {
                Ok(Some(config)) => config,
                Ok(None) => {
                    let log = log.map_or_else(
                        |e| format!("logging is off: {e}"),
                        |p| p.display().to_string(),
                    );
                    eprintln!("{}", no_config_help(&log));
                    std::process::exit(NO_CONFIG);
                }
                Err(e) => return Err(eyre!("{e}")),
            };
            runtime.block_on(dashboard(&cli, config))
        }
    }?;
    // Let the last audit writes (blocking tasks) finish before the process ends.
    drop(runtime);
    if let Some(signal) = stopped_by {
        // A shell, a supervisor or a script can tell a stop from a quit: 128 + signal.
        std::process::exit(128 + signal);
    }
    Ok(())
}

/// Errors at start-up as people read them: the message and its causes, without the
/// advice to set RUST_BACKTRACE, and in colour only on a terminal without NO_COLOR.
fn install_error_report() -> Result<()> {
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = match colour {
        true => color_eyre::config::Theme::dark(),
        false => color_eyre::config::Theme::new(),
    };
    color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .theme(theme)
        .install()
}

fn no_config_help(log: &str) -> String {
    let path = config::default_path().map_or_else(
        || "(no config directory)".into(),
        |p| p.display().to_string(),
    );
    format!(
        "paydeck has no gateway profile yet.\n\n\
         Try it on the built-in demo gateway:  paydeck --demo\n\
         Or connect a gateway: copy config.example.toml to\n  {path}\n\
         and set a profile's key_env or key_command.\n\n\
         Logs: {log}"
    )
}

async fn serve(args: SimArgs) -> Result<()> {
    let config = SimConfig {
        seed: args.seed,
        charges: args.charges,
        customers: args.customers,
        live_per_minute: args.live,
        faults: args.faults.unwrap_or_default(),
        payout_schedule: args.payout_schedule,
        bank_noise: args.bank_noise,
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

/// `paydeck sim seed-store`: the seed stream into a new store, with a progress line.
fn seed_store(args: &SeedStoreArgs) -> Result<()> {
    if args.out.exists() {
        return Err(eyre!("{} already exists", args.out.display()));
    }
    let seeding = StreamSeeding {
        days: args.days,
        gateway: args.profile_gateway,
        ..StreamSeeding::new(args.seed, args.charges)
    };
    let started = std::time::Instant::now();
    let written = seed_stream::fill_store(&seeding, &args.out, |n| {
        eprint!("\rseed-store: {n} of {} charges", args.charges);
    })
    .map_err(|e| eyre!("{e}"))?;
    eprintln!();
    println!(
        "{written} charges in {} ({:.1} s)",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The dashboard on the built-in simulator, through the same adapter and HTTP layer a
/// real gateway gets.
async fn demo(cli: &Cli) -> Result<Option<i32>> {
    let listen = cli
        .demo_listen
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = TcpListener::bind(listen)
        .await
        .wrap_err_with(|| format!("cannot listen on {listen}"))?;
    let config = SimConfig {
        live_per_minute: DEMO_LIVE_PER_MINUTE,
        bank_noise: BankNoise::demo(),
        ..SimConfig::default()
    };
    let running = sim::start(listener, config).await?;
    let pin = running
        .dialect("PIN")
        .ok_or_else(|| eyre!("the simulator serves no Pin dialect"))?;
    let data_dir = paydeck::logging::data_dir();
    // A statement to reconcile, there before the first frame; without it the demo
    // still runs.
    let root = format!("http://{}", running.addr);
    if let Err(e) = demo_statement::write(&data_dir, &root, &pin.key).await {
        tracing::warn!(error = %e, "the demo's bank statement was not written");
    }
    let settings = match &cli.config {
        Some(path) => config::load(Some(path))
            .map_err(|e| eyre!("{e}"))?
            .unwrap_or_default(),
        None => Config::default(),
    };
    let read_only = cli.read_only || settings.read_only;
    let dialects = running.dialects.clone();
    let first = cli.demo.unwrap_or_default().profile();
    let (session, gateway) =
        demo_gateways::open(&dialects, first, read_only).map_err(|e| eyre!("{e}"))?;
    let open_profile: OpenProfile =
        Box::new(move |name, _| demo_gateways::open(&dialects, name, read_only));
    // The demo's simulator is new each run (its charges count back from now, so its
    // payouts differ run to run), so its store is too, and the reconciliation
    // sessions kept beside it: a directory of its own, removed when the demo ends.
    let store_dir = data_dir.join(format!("demo-{}", std::process::id()));
    // A shared store only when named on the command line: the config's [store] holds
    // the team's real sessions, not the demo's.
    let sessions = match &cli.store {
        Some(url) => StoreSettings::default()
            .resolve(Some(url), &mut |_| {})
            .map_err(|e| eyre!("{e}"))?,
        None => None,
    };
    let stores = Stores {
        dir: (!cli.no_store).then(|| store_dir.clone()),
        sessions,
    };
    let result = run_dashboard(session, gateway, &settings, open_profile, stores).await;
    let _ = std::fs::remove_dir_all(&store_dir);
    running.shutdown().await;
    result
}

async fn dashboard(cli: &Cli, config: Config) -> Result<Option<i32>> {
    let profile = config
        .profile(cli.profile.as_deref())
        .map_err(|e| eyre!("{e}"))?;
    let mut line = WaitingLine::new(&profile.name);
    let opened = open(&config, profile, cli.read_only, &mut |w| line.tell(w));
    drop(line);
    let (session, gateway) = opened.map_err(|e| eyre!("{e}"))?;
    let opener_config = config.clone();
    let read_only = cli.read_only;
    let open_profile: OpenProfile = Box::new(move |name, waiting| {
        let profile = opener_config
            .profile(Some(name))
            .map_err(|e| e.to_string())?;
        open(&opener_config, profile, read_only, waiting)
    });
    let store_dir = (!cli.no_store).then(paydeck::logging::data_dir);
    let sessions_store = config
        .store
        .resolve(cli.store.as_deref(), &mut |_| {})
        .map_err(|e| eyre!("{e}"))?;
    let stores = Stores {
        dir: store_dir,
        sessions: sessions_store,
    };
    run_dashboard(session, gateway, &config, open_profile, stores).await
}

/// Where the dashboard keeps what it keeps: each profile's store in `dir` (none with
/// --no-store), the reconciliation sessions in `sessions` if a shared store is named,
/// else beside the profiles' stores.
struct Stores {
    dir: Option<PathBuf>,
    sessions: Option<StoreUrl>,
}

/// Before the dashboard starts: says on stderr, once a second, that paydeck is waiting
/// for the profile's key_command (on a terminal, one line rewritten in place and
/// erased when the wait is over; elsewhere, a line every ten seconds).
struct WaitingLine {
    profile: String,
    terminal: bool,
    shown: bool,
}

impl WaitingLine {
    fn new(profile: &str) -> WaitingLine {
        WaitingLine {
            profile: profile.to_string(),
            terminal: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn tell(&mut self, waited: Duration) {
        let secs = waited.as_secs();
        let line = format!(
            "paydeck: profile {:?}: waiting for key_command ({secs} s)…",
            self.profile
        );
        if self.terminal {
            eprint!("\r{line}");
            self.shown = true;
        } else if secs == 1 || secs.is_multiple_of(10) {
            eprintln!("{line}");
        }
    }
}

impl Drop for WaitingLine {
    fn drop(&mut self) {
        if self.shown {
            // Erase it: what follows (the dashboard, or an error) starts on a clean line.
            eprint!("\r\x1b[K");
        }
    }
}

/// Connects a profile: its key resolved (`waiting` hears how long a key_command takes),
/// its adapter built by its gateway's descriptor.
fn open(
    config: &Config,
    profile: &Profile,
    read_only: bool,
    waiting: &mut dyn FnMut(Duration),
) -> Result<(Session, Arc<dyn Gateway>), String> {
    let gateway = paydeck::cli::connect::connect(profile, waiting)?;
    let session = Session {
        profile: profile.name.clone(),
        gateway: gateway.name(),
        live: profile.environment.is_live(),
        read_only: read_only || config.is_read_only(profile),
        caps: gateway.capabilities(),
        profiles: config.profiles.iter().map(|p| p.name.clone()).collect(),
    };
    Ok((session, gateway))
}

async fn run_dashboard(
    session: Session,
    gateway: Arc<dyn Gateway>,
    config: &Config,
    open_profile: OpenProfile,
    stores: Stores,
) -> Result<Option<i32>> {
    let keymap = Keymap::with_overrides(&config.keys).map_err(|e| eyre!("[keys]: {e}"))?;
    let audit_path = AuditLog::default_path();
    let audit = AuditLog::open(&audit_path)
        .wrap_err_with(|| format!("cannot open the audit log {}", audit_path.display()))?
        .with_operator(config.operator.as_deref());
    let theme = match config.theme {
        ThemeName::Dark => Theme::dark(),
        ThemeName::Light => Theme::light(),
        ThemeName::Mono => Theme::mono(),
    };
    let model =
        Model::new(session, keymap, config.poll_interval, Utc::now()).with_zone(config.timezone);
    event_loop::run(Dashboard {
        model,
        gateway,
        audit,
        view: Box::new(move |model, frame| paydeck::ui::view(model, &theme, frame)),
        open_profile,
        store_dir: stores.dir,
        sessions_store: stores.sessions,
    })
    .await
    .wrap_err("the terminal failed")
}

/// `paydeck sync`: the config's profile into its store, in the data directory.
async fn sync(cli: &Cli, args: &SyncArgs) -> Result<()> {
    let config = config::load(cli.config.as_deref())
        .map_err(|e| eyre!("{e}"))?
        .ok_or_else(|| {
            eyre!("paydeck has no gateway profile to sync: see `paydeck` for setting one up")
        })?;
    let data_dir = paydeck::logging::data_dir();
    paydeck::cli::sync::run(&config, cli.profile.as_deref(), args, &data_dir)
        .await
        .map_err(|e| eyre!("{e}"))
}

/// `paydeck recon`: its exit code (see `paydeck recon --help`), its error on stderr.
fn recon(cli: &Cli, args: &ReconArgs) -> i32 {
    let config = match config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("paydeck recon: {e}");
            return 1;
        }
    };
    let settings = config.as_ref().map(|c| c.store.clone()).unwrap_or_default();
    let store = match settings.resolve(cli.store.as_deref(), &mut |_| {}) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("paydeck recon: {e}");
            return 1;
        }
    };
    let data_dir = paydeck::logging::data_dir();
    match paydeck::cli::recon::run(args, config.as_ref(), &data_dir, store.as_ref()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("paydeck recon: {e}");
            e.exit_code()
        }
    }
}

/// `paydeck export`: its exit code (see `paydeck export --help`); its error on stderr,
/// as JSON with the JSON formats.
fn export(cli: &Cli, args: &ExportArgs) -> i32 {
    let ran = tokio::runtime::Runtime::new()
        .map_err(|e| {
            paydeck::cli::export::ExportFailure::Setup(format!("cannot start the runtime: {e}"))
        })
        .and_then(|runtime| {
            let config = config::load(cli.config.as_deref())
                .map_err(|e| paydeck::cli::export::ExportFailure::Setup(e.to_string()))?
                .ok_or_else(|| {
                    paydeck::cli::export::ExportFailure::Setup(
                        "paydeck has no gateway profile to export from: see `paydeck` for setting one up"
                            .into(),
                    )
                })?;
            let data_dir = paydeck::logging::data_dir();
            runtime.block_on(paydeck::cli::export::run(
                &config,
                cli.profile.as_deref(),
                args,
                &data_dir,
            ))
        });
    match ran {
        Ok(done) => {
            eprintln!(
                "paydeck export: wrote {} {} from {}",
                done.written, done.kind, done.from
            );
            0
        }
        Err(e) => {
            if matches!(args.format, Format::Json | Format::Ndjson) {
                eprintln!("{}", e.to_json());
            } else {
                eprintln!("paydeck export: {e}");
            }
            e.exit_code()
        }
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut terminate) = signal(SignalKind::terminate()) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}
