//! The seed stream that fills the benchmark stores: how fast it makes charges (the
//! issue's 10,000,000 must stream in well under a minute of CPU), and how fast a store
//! is filled from it.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::store_fixture::{self, SEED};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paydeck::sim::seed_stream;

const CHARGES: u64 = 100_000;

/// A directory of its own, removed with everything in it when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("paydeck-seed-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stream(c: &mut Criterion) {
    let seeding = store_fixture::seeding(SEED, CHARGES, paydeck::sim::seed_data::start_instant());
    let mut group = c.benchmark_group("seed stream");
    group.throughput(Throughput::Elements(CHARGES));
    group.bench_function("stream 100,000 charges", |b| {
        b.iter(|| black_box(seeding.stream().count()))
    });
    group.bench_function("fill a store with 100,000 charges", |b| {
        b.iter_with_setup(TempDir::new, |dir| {
            let written = seed_stream::fill_store(&seeding, &dir.0.join("s.sqlite"), |_| {})
                .expect("a store");
            black_box(written);
            // Removed when dropped, outside the timing.
            dir
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(20));
    targets = stream
}
criterion_main!(benches);
