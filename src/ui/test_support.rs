//! Fixture models for the view's snapshot tests: no network, a fixed clock, and
//! charges in every status and in three currencies.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Position;
use tui_input::Input;

use super::theme::Theme;
use crate::app::keymap::Keymap;
use crate::app::model::{Mode, Session};
use crate::app::{Effect, Model, Msg, update};
use crate::domain::{
    CardBrand, CardSummary, Charge, ChargeStatus, Failure, RawJson, Refund, RefundStatus,
};
use crate::gateway::Capabilities;
use crate::money::{Currency, Money};

/// 2026-11-24 21:43:05 UTC: "now" in every fixture.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 21, 43, 5).unwrap()
}

pub fn ago(minutes: i64) -> DateTime<Utc> {
    now() - TimeDelta::minutes(minutes)
}

pub fn fixture_caps() -> Capabilities {
    crate::test_gateways::USUAL.caps
}

pub fn session() -> Session {
    Session {
        profile: "acme-test".into(),
        gateway: crate::test_gateways::USUAL.label,
        live: false,
        read_only: false,
        caps: fixture_caps(),
        profiles: vec!["acme-test".into(), "acme-live".into()],
    }
}

fn card(brand: CardBrand, last4: &str, month: u8, year: u16) -> Option<CardSummary> {
    Some(CardSummary {
        brand,
        last4: last4.into(),
        expiry_month: month,
        expiry_year: year,
    })
}

fn money(minor: i64, currency: Currency) -> Money {
    Money::from_minor(minor, currency)
}

struct Spec {
    id: &'static str,
    minutes_ago: i64,
    status: ChargeStatus,
    amount: Money,
    refunded: i64,
    email: &'static str,
    description: &'static str,
    card: Option<CardSummary>,
}

/// Twelve charges, newest first: every status, AUD, USD and JPY, four card brands.
pub fn charges() -> Vec<Charge> {
    use ChargeStatus::*;
    let (aud, usd, jpy) = (Currency::AUD, Currency::USD, Currency::JPY);
    #[rustfmt::skip]
    let specs = [
        Spec { id: "ch_7Kq2mXvTn4RbWc8YdZp1Aq", minutes_ago: 1, status: Authorised, amount: money(123_450, aud), refunded: 0, email: "olivia.chen@example.com", description: "Espresso machine, deposit", card: card(CardBrand::Visa, "4242", 9, 2027) },
        Spec { id: "ch_3FjX9pLmQ2sVb7NcRt5Ue0", minutes_ago: 4, status: Captured, amount: money(8_995, aud), refunded: 0, email: "sam@roasters.example", description: "Beans subscription, 1 kg", card: card(CardBrand::Mastercard, "4444", 3, 2028) },
        Spec { id: "ch_9QwE4rTy6UiOp2AsDf8Gh1", minutes_ago: 9, status: Declined, amount: money(1_999, aud), refunded: 0, email: "m.nguyen@example.org", description: "Grinder burr set", card: card(CardBrand::Visa, "0002", 1, 2026) },
        Spec { id: "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I", minutes_ago: 17, status: PartiallyRefunded, amount: money(25_000, usd), refunded: 5_000, email: "accounts@bigcorp.example", description: "Catering, 40 people", card: card(CardBrand::Amex, "0005", 11, 2029) },
        Spec { id: "ch_5HgF3dSa1QwE8rTy2UiO6p", minutes_ago: 26, status: Pending3ds, amount: money(12_000, jpy), refunded: 0, email: "kenji@example.jp", description: "Drip kettle", card: card(CardBrand::Jcb, "0000", 6, 2028) },
        Spec { id: "ch_8LkJ6hGf4DsA2PoI9uYt3R", minutes_ago: 38, status: Disputed, amount: money(149_900, usd), refunded: 0, email: "chargeback.guy@example.net", description: "Commercial roaster service", card: card(CardBrand::Visa, "1881", 2, 2027) },
        Spec { id: "ch_1MnB4vCx7ZaS9dFg2HjK5L", minutes_ago: 55, status: Refunded, amount: money(4_200, aud), refunded: 4_200, email: "olivia.chen@example.com", description: "Cups, set of 6", card: card(CardBrand::Visa, "4242", 9, 2027) },
        Spec { id: "ch_4PoI7uYt1ReW3qAs6DfG8h", minutes_ago: 73, status: Voided, amount: money(31_000, aud), refunded: 0, email: "front.desk@hotel.example", description: "Room hold", card: card(CardBrand::Mastercard, "5100", 8, 2030) },
        Spec { id: "ch_6TrE2wQa9SdF5gHj1KlZ3x", minutes_ago: 96, status: Expired, amount: money(7_500, aud), refunded: 0, email: "no-show@example.com", description: "Table booking deposit", card: card(CardBrand::Visa, "4111", 4, 2027) },
        Spec { id: "ch_0YhN6bGt4VfR2cDe8XsW1q", minutes_ago: 130, status: Captured, amount: money(3_480, jpy), refunded: 0, email: "hana@example.jp", description: "Matcha, 100 g", card: card(CardBrand::Jcb, "0000", 6, 2028) },
        Spec { id: "ch_2WsX4edC6rfV8tgB0yhN3u", minutes_ago: 181, status: Captured, amount: money(1_250, aud), refunded: 0, email: "a.very.long.email.address.for.testing@subdomain.example.com.au", description: "Flat white and a croissant, takeaway, extra hot, oat milk, no sugar, loyalty card stamped", card: None },
        Spec { id: "ch_7UjM9ikL1olP3qaZ5wsX7e", minutes_ago: 240, status: Authorised, amount: money(6_000, usd), refunded: 0, email: "pat@example.com", description: "Workshop ticket", card: card(CardBrand::Amex, "8431", 12, 2026) },
    ];
    specs.into_iter().map(build).collect()
}

fn build(s: Spec) -> Charge {
    let currency = s.amount.currency;
    let captured = match s.status {
        ChargeStatus::Captured
        | ChargeStatus::PartiallyRefunded
        | ChargeStatus::Refunded
        | ChargeStatus::Disputed => s.amount,
        _ => Money::zero(currency),
    };
    let created = ago(s.minutes_ago);
    let authorised = s.status == ChargeStatus::Authorised;
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "order_id".to_string(),
        format!("A-{}", 10_000 + s.minutes_ago),
    );
    if s.minutes_ago < 5 {
        metadata.insert("channel".to_string(), "web".to_string());
    }
    let failure = (s.status == ChargeStatus::Declined).then(|| Failure {
        code: "card_declined".into(),
        message: "The card was declined by the issuing bank. Ask the customer to use another card."
            .into(),
    });
    let raw = RawJson::new(&format!(
        r#"{{"token":"{}","success":{},"amount":{},"currency":"{}","description":"{}","email":"{}","ip_address":"203.0.113.7","created_at":"{}","captured":{},"card":{{"display_number":"XXXX-XXXX-XXXX-{}","scheme":"visa"}},"metadata":{{"order_id":"A-{}"}}}}"#,
        s.id,
        s.status != ChargeStatus::Declined,
        s.amount.to_minor().unwrap_or(0),
        currency.code(),
        s.description,
        s.email,
        created.format("%Y-%m-%dT%H:%M:%SZ"),
        !authorised,
        s.card.as_ref().map_or("0000", |c| c.last4.as_str()),
        10_000 + s.minutes_ago,
    ));
    Charge {
        id: s.id.into(),
        created,
        amount: s.amount,
        captured,
        released: if matches!(s.status, ChargeStatus::Voided | ChargeStatus::Expired) {
            s.amount
        } else {
            money(0, currency)
        },
        refunded: money(s.refunded, currency),
        status: s.status,
        refund_pending: false,
        captured_at: (!captured.is_zero()).then(|| created + TimeDelta::seconds(2)),
        authorisation_expires: authorised.then(|| created + TimeDelta::days(7)),
        email: Some(s.email.into()),
        description: Some(s.description.into()),
        card: s.card,
        customer_id: (s.minutes_ago % 2 == 0).then(|| format!("cus_{}", &s.id[3..15])),
        ip: Some("203.0.113.7".into()),
        metadata,
        failure,
        three_d_secure_session: None,
        raw,
    }
}

/// The refunds of the part-refunded charge.
pub fn refunds(charge: &Charge) -> Vec<Refund> {
    let currency = charge.currency();
    vec![
        Refund {
            id: "rf_Tq8Wm3Zp5Xc1Vb7Nr2Ks4d".into(),
            charge_id: charge.id.clone(),
            amount: money(3_000, currency),
            status: RefundStatus::Succeeded,
            created: charge.created + TimeDelta::minutes(6),
            reason: Some("two meals not served".into()),
            error_message: None,
            raw: RawJson::default(),
        },
        Refund {
            id: "rf_Hy6Gt4Fr2De9Sw1Qa3Zx5c".into(),
            charge_id: charge.id.clone(),
            amount: money(2_000, currency),
            status: RefundStatus::Pending,
            created: charge.created + TimeDelta::minutes(12),
            reason: None,
            error_message: None,
            raw: RawJson::default(),
        },
    ]
}

/// A model that has polled (two seconds ago) and holds the twelve fixture charges of
/// 3,000 the gateway has.
pub fn model(width: u16, height: u16) -> Model {
    let mut model = Model::new(session(), Keymap::default(), Duration::from_secs(5), now());
    model.screens.charges.list.merge_newer(charges());
    model.screens.charges.list.total = Some(3_000);
    model.poll.succeeded(now() - TimeDelta::seconds(2));
    model.screen = (width, height);
    model
}

/// `n` charges made from the fixtures with fresh ids, newest first.
pub fn many(n: usize) -> Vec<Charge> {
    let base = charges();
    (0..n)
        .map(|i| {
            let mut c = base[i % base.len()].clone();
            c.id = format!("ch_{i:022}");
            c.created = now() - TimeDelta::seconds(i as i64 * 7);
            c
        })
        .collect()
}

/// Selects the row of the charges list that shows charge `id`.
pub fn select(m: &mut Model, id: &str) {
    let row = (0..m.screens.charges.list.visible_len())
        .find(|r| m.screens.charges.list.row(*r).is_some_and(|c| c.id == id));
    m.screens
        .charges
        .list
        .select_row(row.expect("a listed charge"));
}

/// The filter bar open with `text` typed and `error` shown.
pub fn filter_bar(text: &str, error: Option<String>) -> Mode {
    Mode::Filter {
        input: Input::new(text.into()),
        error,
    }
}

/// The command line open with `text` typed and `error` shown.
pub fn command_line(text: &str, error: Option<String>) -> Mode {
    Mode::Command {
        input: Input::new(text.into()),
        error,
    }
}

/// The sizes every screen is snapshotted at.
pub const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Gives a snapshot's set-up closure its type, so that `|m| ...` needs no annotation.
pub fn setup_of<F: Fn(&mut Model)>(setup: F) -> F {
    setup
}

/// Snapshots the screen a set-up closure makes from the fixture [`model`], at each of
/// [`SIZES`] (or the sizes given first), as `{name}_{w}x{h}`. A macro, so that each
/// snapshot keeps the name of the test module that takes it.
macro_rules! snap {
    ($name:expr, $setup:expr $(,)?) => {
        $crate::ui::test_support::snap!($crate::ui::test_support::SIZES; $name, $setup)
    };
    ($sizes:expr; $name:expr, $setup:expr $(,)?) => {{
        let setup = $crate::ui::test_support::setup_of($setup);
        for (w, h) in $sizes {
            let mut m = $crate::ui::test_support::model(w, h);
            setup(&mut m);
            let terminal = $crate::ui::test_support::render(&m, &$crate::ui::Theme::dark());
            insta::assert_snapshot!(format!("{}_{w}x{h}", $name), terminal.backend());
        }
    }};
}
pub(crate) use snap;

/// What the event loop does with a message: `update`, then a frame drawn and what it
/// drew reported back.
pub fn step(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let effects = update(model, msg);
    draw(model);
    effects
}

/// Types `keys` as the event loop would take them (`\n` is Enter, `\t` Tab), drawing
/// after each: every effect asked for, in order.
pub fn press(model: &mut Model, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        effects.extend(step(
            model,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        ));
    }
    effects
}

/// Draws `model` and reports what was drawn back to it, as the event loop does after
/// anything changes.
pub fn draw(model: &mut Model) {
    let mut terminal = Terminal::new(TestBackend::new(model.screen.0, model.screen.1)).unwrap();
    let mut drawn = model.drawn;
    terminal
        .draw(|frame| drawn = super::view(model, &Theme::dark(), frame))
        .unwrap();
    let _ = update(model, Msg::Drawn(drawn));
}

/// What `model` draws at its screen size in the dark theme.
pub fn drawn_buffer(model: &Model) -> Buffer {
    render(model, &Theme::dark()).backend().buffer().clone()
}

/// Where `text` first starts in `buffer`, reading row by row.
pub fn find(buffer: &Buffer, text: &str) -> Option<Position> {
    let area = buffer.area;
    (area.y..area.y + area.height).find_map(|y| {
        let line: String = (area.x..area.x + area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        let byte = line.find(text)?;
        let x = line[..byte].chars().count() as u16;
        Some(Position::new(area.x + x, y))
    })
}

/// The cell where `text` first starts in `buffer`.
pub fn cell_of<'a>(buffer: &'a Buffer, text: &str) -> &'a Cell {
    let at = find(buffer, text).unwrap_or_else(|| panic!("{text:?} is not drawn"));
    &buffer[at]
}

/// Draws `model` at its screen size.
pub fn render(model: &Model, theme: &Theme) -> Terminal<TestBackend> {
    let (w, h) = model.screen;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|frame| {
            super::view(model, theme, frame);
        })
        .unwrap();
    terminal
}

// Customers, cards, subscriptions and refunds.

use crate::app::model::Loadable;
use crate::app::screens::{ChargeDetail, CustomerPane, CustomersPane, Pane, RefundsPane, Section};
use crate::domain::{Card, Customer, Page, Plan, Subscription, SubscriptionState};

pub const ADA: &str = "cus_Ad4L0v3l4c3Xq9Tz";

fn customer_card(
    id: &str,
    brand: CardBrand,
    last4: &str,
    month: u8,
    year: u16,
    primary: bool,
) -> Card {
    Card {
        id: id.into(),
        brand,
        last4: last4.into(),
        expiry_month: month,
        expiry_year: year,
        name: Some("Ada Lovelace".into()),
        primary,
        customer_id: Some(ADA.into()),
        raw: RawJson::default(),
    }
}

/// Ada's three cards: the primary Visa, a Mastercard, and an Amex that expired last month.
pub fn cards() -> Vec<Card> {
    vec![
        customer_card(
            "card_V1s4Pr1m4ry0000aa",
            CardBrand::Visa,
            "4242",
            9,
            2027,
            true,
        ),
        customer_card(
            "card_M4st3rC4rd0000bb",
            CardBrand::Mastercard,
            "4444",
            3,
            2028,
            false,
        ),
        customer_card(
            "card_Am3xExp1r3d000cc",
            CardBrand::Amex,
            "0005",
            10,
            2026,
            false,
        ),
    ]
}

/// One subscription in every state; the past-due one's plan was not given (its id shows).
pub fn subscriptions() -> Vec<Subscription> {
    let plan = |name: &str, minor: i64, interval: u32, unit: &str| Plan {
        name: name.into(),
        amount: money(minor, Currency::AUD),
        interval,
        interval_unit: unit.into(),
    };
    let plans: BTreeMap<&str, Plan> = [
        ("plan_gold", plan("Gold monthly", 4_900, 1, "month")),
        ("plan_beans_500g", plan("Beans 500g", 2_400, 2, "week")),
        ("plan_cups", plan("Paper cups", 1_250, 1, "month")),
        ("plan_beans_1kg", plan("Beans 1kg", 4_200, 1, "month")),
    ]
    .into();
    let sub = |id: &str, plan: &str, state: SubscriptionState, next: Option<i64>| Subscription {
        id: id.into(),
        customer_id: ADA.into(),
        plan_id: plan.into(),
        plan: plans.get(plan).cloned(),
        state,
        next_billing: next.map(|days| now() + TimeDelta::days(days)),
        created: now() - TimeDelta::days(200),
        cancelled_at: None,
        card_id: None,
        raw: RawJson::default(),
    };
    let mut cancelled = sub(
        "sub_C4nc3ll3d00005",
        "plan_beans_1kg",
        SubscriptionState::Cancelled,
        None,
    );
    cancelled.cancelled_at = Some(now() - TimeDelta::days(30));
    vec![
        sub(
            "sub_Tr14l000000001",
            "plan_gold",
            SubscriptionState::Trial,
            Some(6),
        ),
        sub(
            "sub_Act1v300000002",
            "plan_beans_500g",
            SubscriptionState::Active,
            Some(7),
        ),
        sub(
            "sub_C4nc3ll1ng0003",
            "plan_cups",
            SubscriptionState::Cancelling,
            Some(20),
        ),
        cancelled,
        sub(
            "sub_P4stDu3000004",
            "plan_machine",
            SubscriptionState::PastDue,
            Some(-3),
        ),
    ]
}

pub fn ada() -> Customer {
    Customer {
        id: ADA.into(),
        email: "ada@example.com".into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phone: Some("+61 2 9000 0000".into()),
        company: Some("Analytical Engines Pty Ltd".into()),
        notes: Some("Phone orders; call before 5pm.\nPrefers the Visa.".into()),
        created: Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap(),
        primary_card: cards().into_iter().next(),
        raw: RawJson::default(),
    }
}

/// Eight customers: Ada, some with less known about them, one with no card.
pub fn customers() -> Vec<Customer> {
    let plain = |id: &str,
                 email: &str,
                 first: Option<&str>,
                 last: Option<&str>,
                 company: Option<&str>,
                 card: Option<(CardBrand, &str)>,
                 days: i64| Customer {
        id: id.into(),
        email: email.into(),
        first_name: first.map(Into::into),
        last_name: last.map(Into::into),
        phone: None,
        company: company.map(Into::into),
        notes: None,
        created: now() - TimeDelta::days(days),
        primary_card: card.map(|(brand, last4)| Card {
            id: format!("card_{id}"),
            brand,
            last4: last4.into(),
            expiry_month: 5,
            expiry_year: 2029,
            name: None,
            primary: true,
            customer_id: Some(id.into()),
            raw: RawJson::default(),
        }),
        raw: RawJson::default(),
    };
    vec![
        ada(),
        plain(
            "cus_S4mR0ast3rsQ2Wx",
            "sam@roasters.example",
            Some("Sam"),
            Some("Okafor"),
            Some("Roasters & Co"),
            Some((CardBrand::Mastercard, "4444")),
            90,
        ),
        plain(
            "cus_Ol1v1aCh3nP0o8",
            "olivia.chen@example.com",
            Some("Olivia"),
            Some("Chen"),
            None,
            Some((CardBrand::Visa, "4242")),
            41,
        ),
        plain(
            "cus_K3nj1Jp00000a1",
            "kenji@example.jp",
            Some("Kenji"),
            None,
            None,
            Some((CardBrand::Jcb, "0000")),
            12,
        ),
        plain(
            "cus_B1gC0rpAcc0unt",
            "accounts@bigcorp.example",
            None,
            None,
            Some("BigCorp International Holdings"),
            Some((CardBrand::Amex, "0005")),
            400,
        ),
        plain(
            "cus_N0C4rdY3t00001",
            "walk-in@example.com",
            Some("Pat"),
            Some("Walker"),
            None,
            None,
            2,
        ),
        plain(
            "cus_H4n4Jp0000000b",
            "hana@example.jp",
            Some("Hana"),
            Some("Sato"),
            Some("Matcha House"),
            Some((CardBrand::Jcb, "1111")),
            7,
        ),
        plain(
            "cus_L0ngEm41l00000",
            "a.very.long.email.address.for.testing@subdomain.example.com.au",
            Some("Alexandra-Josephine"),
            Some("Montgomery-Smythe"),
            Some("A Company With An Unreasonably Long Name Pty Ltd"),
            Some((CardBrand::Discover, "6011")),
            1,
        ),
    ]
}

/// A customers pane with every customer loaded and more on the gateway.
pub fn customers_pane() -> CustomersPane {
    let mut pane = CustomersPane::default();
    pane.list.append(
        Page {
            items: customers(),
            next: Some(crate::domain::Cursor::Page(2)),
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    pane
}

/// Ada's pane, everything loaded: her cards, her subscriptions, and five charges.
pub fn customer_pane(section: Section) -> CustomerPane {
    let mut pane = CustomerPane::new(ADA);
    pane.customer = Loadable::Loaded(ada());
    pane.cards = Loadable::Loaded(cards());
    pane.subscriptions = Loadable::Loaded(subscriptions());
    let mine: Vec<Charge> = charges()
        .into_iter()
        .filter(|c| {
            matches!(
                c.email.as_deref(),
                Some("olivia.chen@example.com" | "kenji@example.jp" | "pat@example.com")
            )
        })
        .map(|mut c| {
            c.customer_id = Some(ADA.into());
            c.email = Some("ada@example.com".into());
            c
        })
        .collect();
    pane.charges.merge_newer(mine);
    pane.charges.loading = false;
    pane.charges.loaded = true;
    pane.section = section;
    pane
}

/// Refunds, newest first: pending, succeeded and one failed.
pub fn refund_list() -> Vec<Refund> {
    let refund = |id: &str,
                  charge: &str,
                  minor: i64,
                  currency: Currency,
                  status: RefundStatus,
                  minutes: i64,
                  reason: Option<&str>| Refund {
        id: id.into(),
        charge_id: charge.into(),
        amount: money(minor, currency),
        status,
        created: ago(minutes),
        reason: reason.map(Into::into),
        error_message: None,
        raw: RawJson::default(),
    };
    let mut failed = refund(
        "rf_F41l3dXx0000000000003",
        "ch_0YhN6bGt4VfR2cDe8XsW1q",
        3_480,
        Currency::JPY,
        RefundStatus::Failed,
        100,
        None,
    );
    failed.error_message = Some("insufficient merchant balance".into());
    vec![
        refund(
            "rf_Hy6Gt4Fr2De9Sw1Qa3Zx5c",
            "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I",
            2_000,
            Currency::USD,
            RefundStatus::Pending,
            5,
            None,
        ),
        refund(
            "rf_P3nd1ngAa0000000000001",
            "ch_3FjX9pLmQ2sVb7NcRt5Ue0",
            8_995,
            Currency::AUD,
            RefundStatus::Pending,
            8,
            Some("customer changed their mind"),
        ),
        refund(
            "rf_Tq8Wm3Zp5Xc1Vb7Nr2Ks4d",
            "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I",
            3_000,
            Currency::USD,
            RefundStatus::Succeeded,
            11,
            Some("two meals not served"),
        ),
        refund(
            "rf_Succ33d3d000000000002",
            "ch_1MnB4vCx7ZaS9dFg2HjK5L",
            4_200,
            Currency::AUD,
            RefundStatus::Succeeded,
            50,
            None,
        ),
        failed,
        refund(
            "rf_0ld3rSucc33d3d0000004",
            "ch_9ZzZ0000000000000000aa",
            150_000,
            Currency::AUD,
            RefundStatus::Succeeded,
            60 * 24 * 3,
            Some("duplicate order"),
        ),
    ]
}

pub fn refunds_pane() -> RefundsPane {
    let mut pane = RefundsPane::default();
    pane.list.append(
        Page {
            items: refund_list(),
            next: None,
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    pane
}

/// A charge pane for one of the fixture charges.
pub fn charge_pane(id: &str) -> ChargeDetail {
    // Ada's copy where it is one of hers.
    let charge = customer_pane(Section::Charges)
        .charges
        .get(id)
        .cloned()
        .or_else(|| charges().into_iter().find(|c| c.id == id));
    let mut pane = ChargeDetail::on_its_own(id, charge);
    pane.refunds = Loadable::Loaded(Vec::new());
    pane
}

/// The path charges › customers › Ada.
pub fn open_ada(model: &mut Model, section: Section) {
    model.screens.push(Pane::Customers(customers_pane()));
    model
        .screens
        .push(Pane::Customer(Box::new(customer_pane(section))));
}
