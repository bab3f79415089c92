//! The stores the store benches run on, built once from the simulator's seed stream and
//! cached under `target/bench-store/seed<N>-<count>-v<schema>.sqlite`: a new schema
//! version builds a new file. The 10,000,000-charge store takes several gigabytes and
//! minutes to build, so it is built only once and only here; a bench that needs it
//! calls [`ten_million`].
//!
//! To run any bench on a store built elsewhere (or the same one from another worktree),
//! point `PAYDECK_BENCH_STORE` at the file: `PAYDECK_BENCH_STORE=/path/to/seed42-10000000-v1.sqlite
//! cargo bench --bench store_query`. The file is opened as it is, never rebuilt.
//!
//! The same file comes from the command line:
//! `paydeck sim seed-store --seed 42 --charges 10000000 --days 1095 --out FILE`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use paydeck::sim::seed_stream::{self, StreamSeeding};
use paydeck::store::SCHEMA_VERSION;

/// The seed every store bench uses.
pub const SEED: u64 = 42;
/// The store: ten million charges.
pub const TEN_MILLION: u64 = 10_000_000;
/// Three years of history, as a merchant with ten million charges has.
pub const DAYS: u32 = 1095;
/// What a store of ten million needs on disk while it is built (the load, its indexes
/// and the trigram index, with room for SQLite's sort files): about 8 GB is kept.
const BYTES_PER_CHARGE_WHILE_BUILDING: u64 = 1_200;

/// Where a cached store of `charges` charges of `seed` lives.
pub fn cached_path(seed: u64, charges: u64) -> PathBuf {
    target_dir()
        .join("bench-store")
        .join(format!("seed{seed}-{charges}-v{SCHEMA_VERSION}.sqlite"))
}

/// The 10,000,000-charge store: `PAYDECK_BENCH_STORE` if set, else the cached one,
/// built first if missing.
pub fn ten_million() -> PathBuf {
    if let Some(path) = std::env::var_os("PAYDECK_BENCH_STORE") {
        let path = PathBuf::from(path);
        assert!(
            path.exists(),
            "PAYDECK_BENCH_STORE={} does not exist",
            path.display()
        );
        return path;
    }
    cached(SEED, TEN_MILLION)
}

/// The store of `charges` charges of `seed` over [`DAYS`], built first if missing.
pub fn cached(seed: u64, charges: u64) -> PathBuf {
    let path = cached_path(seed, charges);
    if !path.exists() {
        build(seed, charges, &path);
    }
    path
}

/// The seeding the cached stores are made from, counting back from `start`.
pub fn seeding(seed: u64, charges: u64, start: DateTime<Utc>) -> StreamSeeding {
    StreamSeeding {
        days: DAYS,
        start,
        ..StreamSeeding::new(seed, charges)
    }
}

/// Builds a store at `path` (which must not exist), saying how far it got on stderr;
/// fails at once, naming the numbers, if the disk has not the room.
pub fn build(seed: u64, charges: u64, path: &Path) {
    let dir = path.parent().expect("a store path has a directory");
    std::fs::create_dir_all(dir).expect("create the bench-store directory");
    let needed = charges.saturating_mul(BYTES_PER_CHARGE_WHILE_BUILDING);
    let free = free_bytes(dir);
    assert!(
        free >= needed,
        "building {} needs about {:.1} GB free on its disk and {:.1} GB are: free some, or \
         point PAYDECK_BENCH_STORE at an existing store",
        path.display(),
        needed as f64 / 1e9,
        free as f64 / 1e9,
    );
    let started = std::time::Instant::now();
    eprintln!("building {} ({charges} charges, once)", path.display());
    let seeding = seeding(seed, charges, paydeck::sim::seed_data::start_instant());
    let written = seed_stream::fill_store(&seeding, path, |n| {
        if n % 1_000_000 == 0 {
            eprintln!("  {n} charges, {:.0} s", started.elapsed().as_secs_f64());
        }
    })
    .unwrap_or_else(|e| panic!("cannot build {}: {e}", path.display()));
    assert_eq!(written, charges);
    eprintln!(
        "built {} in {:.0} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
}

/// Bytes free to an unprivileged user on the filesystem holding `dir`.
fn free_bytes(dir: &Path) -> u64 {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return 0;
    };
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a statvfs the call fills in.
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return 0;
    }
    stat.f_bavail.saturating_mul(stat.f_frsize)
}

/// The cargo target directory: `CARGO_TARGET_DIR`, else `target/` in the package.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}
