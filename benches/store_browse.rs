//! The dashboard over the 10,000,000-charge store, driven in a pseudo-terminal as a
//! person would: how soon the first frame with stored rows appears after the process
//! starts, and how much memory it holds while browsing (scrolling, jumping to both ends,
//! filtering by status, date, amount and currency, searching free text).
//!
//! The profile points at a closed loopback port, so the gateway never answers: every
//! row on screen comes from the store, nothing is merged into it, and the fixture is
//! left as it was built. Memory is read from `/proc/<pid>/status` (VmRSS after each
//! step, VmHWM, the peak, at the end).
//!
//! `cargo bench --bench store_browse` (the 10M store is built first if it is not cached;
//! `PAYDECK_BENCH_STORE=FILE` uses another).

mod common;
#[path = "../tests/common/pty.rs"]
#[allow(dead_code)]
mod pty;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use pty::Pty;

const PROFILE: &str = "bench";
const KEY_ENV: &str = "PAYDECK_BENCH_KEY";
/// Fresh starts timed for the first frame; the median is reported.
const STARTS: usize = 7;
/// How long the screen must stay the same for a step to count as done.
const SETTLED: Duration = Duration::from_millis(400);

/// A data directory whose profile store is the fixture (linked, not copied), and a
/// config whose one profile points at a port nothing listens on.
fn data_dir(store: &Path) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("paydeck-browse-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("store")).expect("a data dir");
    let store = store.canonicalize().expect("the store's path");
    std::os::unix::fs::symlink(&store, dir.join("store").join(format!("{PROFILE}.sqlite")))
        .expect("link the store");
    let closed = pty::free_port();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[[profile]]\nname = \"{PROFILE}\"\ngateway = \"pin\"\nenvironment = \"test\"\n\
             base_url = \"http://127.0.0.1:{closed}/pin/1\"\nkey_env = \"{KEY_ENV}\"\n"
        ),
    )
    .expect("a config");
    dir
}

fn open(dir: &Path) -> (Pty, Instant) {
    let started = Instant::now();
    let pty = Pty::spawn_in(dir, &[], &[(KEY_ENV, "sk_bench")]);
    (pty, started)
}

/// The first frame that shows stored charges, and when it came.
fn first_frame(pty: &Pty, started: Instant) -> Duration {
    loop {
        let screen = pty.contents();
        // Only the store has rows to show: the gateway never answers.
        if screen.contains("ch_") {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < pty::PATIENCE,
            "no stored rows on screen:\n{screen}"
        );
        thread::sleep(Duration::from_micros(500));
    }
}

/// Waits until the screen has not changed for [`SETTLED`].
fn settle(pty: &Pty) -> String {
    let began = Instant::now();
    let mut last = pty.contents();
    let mut since = Instant::now();
    loop {
        thread::sleep(Duration::from_millis(20));
        let now = pty.contents();
        if now != last {
            last = now;
            since = Instant::now();
        } else if since.elapsed() >= SETTLED {
            return last;
        }
        assert!(began.elapsed() < pty::PATIENCE, "the screen never settled");
    }
}

/// `VmRSS` and `VmHWM` of `pid`, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not ours skips this harness.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && !"store_browse".contains(a.as_str()))
    {
        return;
    }
    let store = common::store_fixture::ten_million();
    let dir = data_dir(&store);

    let mut firsts = Vec::new();
    for _ in 0..STARTS {
        let (mut pty, started) = open(&dir);
        firsts.push(first_frame(&pty, started));
        settle(&pty);
        pty.quit();
    }
    firsts.sort();
    println!(
        "first frame from the store: median {:.1} ms (of {STARTS} starts: {})",
        firsts[STARTS / 2].as_secs_f64() * 1e3,
        firsts
            .iter()
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let (mut pty, started) = open(&dir);
    first_frame(&pty, started);
    settle(&pty);
    let pid = pty.pid().expect("a pid");
    let steps: &[(&str, &str)] = &[
        ("scroll 300 rows", &"j".repeat(300)),
        ("40 pages down", &"\x1b[6~".repeat(40)),
        ("the oldest charge", "G"),
        ("the newest charge", "g"),
        ("status", "/status:refunded,disputed\r"),
        ("clear", "\x1b"),
        (
            "dates and amount",
            "/from:2025-01-01 to:2025-06-30 min:100 cur:AUD\r",
        ),
        ("clear", "\x1b"),
        ("free text", "/gmail\r"),
        ("scroll the matches", &"\x1b[6~".repeat(20)),
        ("clear", "\x1b"),
        ("free text, rare", "/pour-over\r"),
        ("clear", "\x1b"),
        ("a short needle", "/zq\r"),
        ("clear", "\x1b"),
    ];
    let mut peak_rss = 0;
    for (what, keys) in steps {
        pty.send(keys);
        settle(&pty);
        let (rss, _) = memory(pid);
        peak_rss = peak_rss.max(rss);
        println!("  {what:<20} VmRSS {:>6.1} MB", rss as f64 / 1024.0);
    }
    let (_, hwm) = memory(pid);
    println!(
        "browsing {}: VmRSS at most {:.1} MB, VmHWM {:.1} MB",
        store.display(),
        peak_rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    pty.quit();
    let _ = std::fs::remove_dir_all(&dir);
}
