//! The reconciliation session database (issue 15): how long a mark takes to be durable
//! (`synchronous=FULL`, through the database's thread, as the screen will call it),
//! and how long opening a saved session takes: a month with 1,000 bank lines and 90
//! payouts matched, some proposals, flags and notes.
//!
//! The database lives under the target directory, on the same disk as a real data
//! directory would be (a tmpfs would make fsync free and the figure meaningless).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::recon::import::LineIdentity;
use paydeck::store::sessions::{
    Event, ItemKind, ItemRef, LineRecord, NewSession, SessionHandle, SessionStore, SqliteSessions,
    Stamp,
};

const LINES: u32 = 1_000;
const PAYOUTS: u32 = 90;
const NAME: &str = "busy-november";

fn stamp() -> Stamp {
    Stamp {
        who: "bench".into(),
        at: Utc::now(),
    }
}

fn deposit(n: u32) -> ItemRef {
    ItemRef::deposit(&LineIdentity::from_stored(format!("bank:acct:{n}")))
}

/// A saved session: 1,000 lines imported, 90 payouts matched to their deposits (one in
/// ten as an accepted proposal of payout plus payout lines), 20 proposals waiting, 30
/// flags with notes, 20 ignored, 50 notes.
fn saved_session(dir: &Path) {
    let mut store = SqliteSessions::open(&SqliteSessions::path_in(dir)).expect("the database");
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
    let new = NewSession {
        name: NAME.into(),
        profiles: vec!["live-au".into(), "live-nz".into()],
        from,
        to: from + TimeDelta::days(29),
    };
    let id = store.create(&new, &stamp()).expect("a session");
    let lines = (0..LINES)
        .map(|n| LineRecord {
            identity: LineIdentity::from_stored(format!("bank:acct:{n}")),
            booked: from + TimeDelta::days(i64::from(n % 30)),
            amount_minor: 10_000 + i64::from(n) * 37,
            currency: if n % 10 == 0 { "NZD" } else { "AUD" }.into(),
            text: format!("PIN PAYMENTS PTY LTD PAYOUT {n}"),
            reference: format!("po_{n:06}"),
            other_refs: Vec::new(),
        })
        .collect();
    let import = Event::Import {
        file: "november.ofx".into(),
        lines,
        already: 0,
    };
    store.record(id, import, &stamp()).expect("the import");
    let mut record = |event| {
        store.record(id, event, &stamp()).expect("an event");
    };
    for p in 0..PAYOUTS {
        let payout = ItemRef::of(ItemKind::Payout, "live-au", &format!("po_{p:06}"));
        let mut items = vec![deposit(p), payout];
        if p % 10 == 0 {
            items.extend(
                (0..5)
                    .map(|l| ItemRef::of(ItemKind::PayoutLine, "live-au", &format!("bt_{p}_{l}"))),
            );
        }
        record(Event::Match {
            items,
            tier: 1,
            reason: "payout id in the reference".into(),
            proposed: false,
            adjustment: None,
        });
    }
    for p in PAYOUTS..PAYOUTS + 20 {
        let payout = ItemRef::of(ItemKind::Payout, "live-nz", &format!("po_{p:06}"));
        record(Event::Match {
            items: vec![deposit(p), payout],
            tier: 3,
            reason: "payout less a bank fee".into(),
            proposed: true,
            adjustment: None,
        });
    }
    for n in 200..230 {
        record(Event::Flag {
            item: deposit(n),
            note: format!("no payout for deposit {n}: asked the bank"),
        });
    }
    for n in 300..320 {
        record(Event::Ignore {
            item: deposit(n),
            reason: "interest, not a payout".into(),
        });
    }
    for n in 400..450 {
        record(Event::Note {
            item: deposit(n),
            text: format!("looked at {n}"),
        });
    }
}

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("recon-bench-{}", std::process::id()))
}

fn sessions(c: &mut Criterion) {
    let dir = bench_dir();
    saved_session(&dir);

    c.bench_function("recon_open_saved_session_1000_lines_90_payouts", |b| {
        b.iter(|| {
            let handle = SessionHandle::open_sqlite(&dir).expect("the database");
            let view = handle
                .call_blocking(|store| {
                    let id = store.find(NAME)?.id;
                    store.load(id)
                })
                .expect("the session");
            assert_eq!(view.lines.len(), LINES as usize);
            view
        })
    });

    let handle = SessionHandle::open_sqlite(&dir).expect("the database");
    let id = handle
        .call_blocking(|store| store.find(NAME).map(|s| s.id))
        .expect("the session");
    let mut n = 0u32;
    c.bench_function("recon_mark_durable", |b| {
        b.iter(|| {
            n += 1;
            let event = Event::Note {
                item: deposit(500 + n % 400),
                text: format!("mark {n}"),
            };
            handle
                .call_blocking(move |store| store.record(id, event, &stamp()))
                .expect("the mark")
        })
    });
    drop(handle);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(100).measurement_time(Duration::from_secs(10));
    targets = sessions
}
criterion_main!(benches);
