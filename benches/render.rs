//! One full frame of the dashboard into a 160×48 test terminal, with a thousand and
//! with a million charges held, and a customer's pane whose customer has 10,000
//! charges: the view draws only the rows on screen, so all should cost about the same.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::app::keymap::Keymap;
use paydeck::app::model::{Model, Session};
use paydeck::domain::{CardBrand, CardSummary, Charge, ChargeStatus, RawJson};
use paydeck::money::{Currency, Money};
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

/// A model holding `n` charges, newest first, with the selection in the middle.
fn model(n: usize) -> Model {
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
    let statuses = ChargeStatus::ALL;
    let base = fixture();
    let charges = (0..n)
        .map(|i| {
            let mut c = base.clone();
            c.id = format!("ch_{i:022}");
            c.created -= TimeDelta::seconds(i as i64);
            c.status = statuses[i % statuses.len()];
            c
        })
        .collect();
    model.screens.charges.list.merge_newer(charges);
    model.poll.succeeded(now);
    model.screens.charges.list.total = Some(n as u64);
    model.screen = (WIDTH, HEIGHT);
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
    let statuses = ChargeStatus::ALL;
    let base = fixture();
    pane.charges.merge_newer(
        (0..n)
            .map(|i| {
                let mut c = base.clone();
                c.id = format!("ch_{i:022}");
                c.created -= TimeDelta::seconds(i as i64);
                c.status = statuses[i % statuses.len()];
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

fn render(c: &mut Criterion) {
    let theme = Theme::dark();
    let mut group = c.benchmark_group("render frame 160x48");
    for (name, n) in [("1k charges", 1_000), ("1M charges", 1_000_000)] {
        let model = model(n);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| {
                        ui::view(black_box(&model), &theme, frame);
                    })
                    .unwrap();
            })
        });
    }
    let model = customer_model(10_000);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    group.bench_function("customer pane, 10k charges", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| {
                    ui::view(black_box(&model), &theme, frame);
                })
                .unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
