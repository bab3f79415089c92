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

pub fn money(minor: i64, currency: Currency) -> Money {
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
