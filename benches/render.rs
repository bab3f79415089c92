//! One full frame of the dashboard into a 160×48 test terminal, with a thousand and
//! with a million charges held, and a customer's pane whose customer has 10,000
//! charges: the view draws only the rows on screen, so all should cost about the same.
//!
//! And the charges list as the dashboard draws it now, a window over the local store:
//! over a store of 1,000 charges written here (in a temporary directory, deleted after)
//! and over the 10,000,000-charge store at `PAYDECK_BENCH_STORE` (skipped, saying so,
//! when it is not set). The window is filled as the dashboard fills it: the store
//! opened, its first page and totals read and handed to `update` as the runner's
//! answers, then the selection moved down 100 rows, pages read as `update` asks.
//!
//! Each case is timed twice: on the wall clock, and in the drawing thread's CPU time,
//! which other work on the machine's cores does not add to.

mod common;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent};
use paydeck::app::keymap::Keymap;
use paydeck::app::model::{Model, Session};
use paydeck::app::store_window::settle_here;
use paydeck::app::{Msg, update};
use paydeck::domain::{CardBrand, CardSummary, Charge, ChargeStatus, RawJson};
use paydeck::money::{Currency, Money};
use paydeck::store::Store;
use paydeck::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

fn fixture() -> Charge {
    let amount = Money::from_minor(123_450, Currency::AUD);
    Charge {
        id: String::new(),
        created: Utc.with_ymd_and_hms(2026, 11, 24, 21, 43, 5).unwrap(),
        amount,
        captured: amount,
        released: Money::zero(Currency::AUD),
        refunded: Money::zero(Currency::AUD),
        status: ChargeStatus::Captured,
        refund_pending: false,
        captured_at: None,
        authorisation_expires: None,
        email: Some("olivia.chen@example.com".into()),
        description: Some("Espresso machine, deposit".into()),
        card: Some(CardSummary {
            brand: CardBrand::Visa,
            last4: "4242".into(),
            expiry_month: 9,
            expiry_year: 2027,
        }),
        customer_id: Some("cus_8LkJ6hGf4DsA".into()),
        ip: Some("203.0.113.7".into()),
        metadata: BTreeMap::new(),
        failure: None,
        three_d_secure_session: None,
        raw: RawJson::default(),
    }
}

/// `n` charges, newest first, one a second, every status in turn.
fn charges(n: usize) -> Vec<Charge> {
    let statuses = ChargeStatus::ALL;
    let base = fixture();
    (0..n)
        .map(|i| {
            let mut c = base.clone();
            c.id = format!("ch_{i:022}");
            c.created -= TimeDelta::seconds(i as i64);
            c.status = statuses[i % statuses.len()];
            c
        })
        .collect()
}

/// A dashboard on the Pin fixture profile, its terminal 160x48.
fn empty_model() -> Model {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 21, 45, 0).unwrap();
    let session = Session {
        profile: "bench".into(),
        gateway: "Pin Payments",
        live: false,
        read_only: false,
        caps: paydeck::gateway::pin::CAPABILITIES,
        profiles: Vec::new(),
    };
    let mut model = Model::new(session, Keymap::default(), Duration::from_secs(5), now);
    model.screen = (WIDTH, HEIGHT);
    model
}

/// A model holding `n` charges, newest first, with the selection in the middle.
fn model(n: usize) -> Model {
    let mut model = empty_model();
    let now = model.now;
    model.screens.charges.list.merge_newer(charges(n));
    model.poll.succeeded(now);
    model.screens.charges.list.total = Some(n as u64);
    model.screens.charges.list.select_row(n / 2);
    let regions =
        paydeck::app::layout::regions(ratatui::layout::Rect::new(0, 0, WIDTH, HEIGHT), &model);
    model
        .screens
        .charges
        .list
        .scroll_into_view(paydeck::app::layout::table_body_rows(&regions));
    model
}

/// The customer pane on top of an empty charges list: its customer holds `n` charges,
/// the selection in the middle of them.
fn customer_model(n: usize) -> Model {
    use paydeck::app::model::Loadable;
    use paydeck::app::screens::{CustomerPane, Pane};
    use paydeck::domain::{Card, Customer};

    let mut model = model(0);
    let card = Card {
        id: "card_V1s4Pr1m4ry0000aa".into(),
        brand: CardBrand::Visa,
        last4: "4242".into(),
        expiry_month: 9,
        expiry_year: 2027,
        name: None,
        primary: true,
        customer_id: Some("cus_bench".into()),
        raw: RawJson::default(),
    };
    let customer = Customer {
        id: "cus_bench".into(),
        email: "olivia.chen@example.com".into(),
        first_name: Some("Olivia".into()),
        last_name: Some("Chen".into()),
        phone: Some("+61 2 9000 0000".into()),
        company: Some("Chen Coffee".into()),
        notes: None,
        created: model.now,
        primary_card: Some(card.clone()),
        raw: RawJson::default(),
    };
    let mut pane = CustomerPane::new("cus_bench");
    pane.customer = Loadable::Loaded(customer);
    pane.cards.items = Loadable::Loaded(vec![card]);
    pane.subscriptions.items = Loadable::Loaded(Vec::new());
    pane.charges.merge_newer(
        charges(n)
            .into_iter()
            .map(|mut c| {
                c.customer_id = Some("cus_bench".into());
                c
            })
            .collect(),
    );
    pane.charges.loading = false;
    pane.charges.loaded = true;
    pane.charges.select_row(n / 2);
    model.screens.push(Pane::Customer(Box::new(pane)));
    let rows = paydeck::app::layout::list_body_rows(
        ratatui::layout::Rect::new(0, 0, WIDTH, HEIGHT),
        &model,
    );
    if let Some(Pane::Customer(pane)) = model.screens.top_mut() {
        pane.charges.scroll_into_view(rows);
    }
    model
}

/// The charges list as a window over `store`, filled as the dashboard fills it: the
/// store's first page and totals, then 100 rows down (`j`), each page the window asks
/// for read from the store and handed to `update` as the runner's answer. The poll
/// has answered, as it has a moment after start.
fn window_model(store: &Store) -> Model {
    let mut model = empty_model();
    let effects = update(&mut model, Msg::StoreOpened(Ok(())));
    settle_here(&mut model, store, effects);
    for _ in 0..100 {
        let effects = update(&mut model, Msg::Key(KeyEvent::from(KeyCode::Char('j'))));
        settle_here(&mut model, store, effects);
    }
    let now = model.now;
    model.poll.succeeded(now);
    let window = model.screens.charges.store.as_ref().expect("a window");
    assert!(
        window.answered && window.totals.is_some(),
        "the window is filled"
    );
    assert_eq!(model.screens.charges.list.selected_row(), 100);
    model
}

/// A store of 1,000 charges in a new temporary directory, and that directory.
fn small_store() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("paydeck-render-{}", std::process::id()));
    let mut store = Store::open(&Store::path_for(&dir, "bench")).expect("a new store");
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 21, 45, 0).unwrap();
    store.upsert_charges(&charges(1_000), now).expect("written");
    (store, dir)
}

/// The CPU time this thread has used: unlike the wall clock, it leaves out other work
/// on the machine's shared cores.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a timespec the call fills in.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    assert!(ok, "the thread's CPU clock");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Times one frame of `model` on the wall clock (`name`) and in the drawing thread's
/// CPU time (`name, CPU time`).
fn frame(group: &mut BenchmarkGroup<WallTime>, name: &str, model: &Model) {
    let theme = Theme::dark();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    let mut draw = || {
        terminal
            .draw(|frame| {
                ui::view(black_box(model), &theme, frame);
            })
            .unwrap();
    };
    group.bench_function(name, |b| b.iter(&mut draw));
    group.bench_function(format!("{name}, CPU time"), |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                draw();
            }
            thread_cpu_time() - start
        })
    });
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render frame 160x48");
    for (name, n) in [("1k charges", 1_000), ("1M charges", 1_000_000)] {
        frame(&mut group, name, &model(n));
    }
    frame(
        &mut group,
        "customer pane, 10k charges",
        &customer_model(10_000),
    );
    let (small, dir) = small_store();
    frame(
        &mut group,
        "store window, 1k charges",
        &window_model(&small),
    );
    drop(small);
    let _ = std::fs::remove_dir_all(&dir);
    match std::env::var_os("PAYDECK_BENCH_STORE") {
        Some(_) => {
            let path = common::store_fixture::ten_million();
            let store = Store::open(&path).expect("open the bench store");
            frame(
                &mut group,
                "store window, 10M charges",
                &window_model(&store),
            );
        }
        None => eprintln!(
            "render: skipping the store window over 10,000,000 charges: set \
             PAYDECK_BENCH_STORE to the fixture (benches/common/store_fixture.rs)"
        ),
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
