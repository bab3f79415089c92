//! Models and charges for tests of `update`, with no network and a fixed clock.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::dialogs::action::ActionDialog;
use super::dialogs::confirm::{ConfirmDialog, Irreversible};
use super::effect::Effect;
use super::keymap::Keymap;
use super::model::{Mode, Model, Session};
use super::msg::{Msg, Polled};
use super::request::{Generation, PageAnswer};
use super::screens::Pane;
use super::update::update;
use crate::domain::{CardBrand, CardSummary, Charge, ChargeStatus, Cursor, Page, Skipped};
use crate::gateway::{Capabilities, GatewayError, OperationKey};
use crate::money::{Currency, Money};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0).unwrap()
}

pub fn fixture_caps() -> Capabilities {
    Capabilities {
        server_search: false,
        ..crate::test_gateways::USUAL.caps
    }
}

pub fn session(caps: Capabilities) -> Session {
    Session {
        profile: "test".into(),
        gateway: crate::test_gateways::USUAL.label,
        live: false,
        read_only: false,
        caps,
        profiles: vec!["test".into(), "other".into()],
    }
}

/// Charge `n`: AUD n × 10.00, created n minutes after the epoch of the fixtures.
pub fn charge(n: i64, status: ChargeStatus) -> Charge {
    let amount = Money::from_minor(1000 * n, Currency::AUD);
    let captured = match status {
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded => amount,
        _ => Money::zero(Currency::AUD),
    };
    Charge {
        created: t0() - chrono::TimeDelta::hours(2) + chrono::TimeDelta::minutes(n),
        captured,
        email: Some(format!("buyer{n}@example.com")),
        description: Some("Coffee beans".into()),
        card: Some(CardSummary {
            brand: CardBrand::Visa,
            last4: "4242".into(),
            expiry_month: 12,
            expiry_year: 2030,
        }),
        ..Charge::bare(&format!("ch_{n:04}"), amount, status)
    }
}

/// A model that has polled once and holds charges `n..=1` (newest first), with the
/// statuses cycling through authorised, captured, declined.
pub fn loaded(n: i64, caps: Capabilities) -> Model {
    let mut model = Model::new(
        session(caps),
        Keymap::default(),
        Duration::from_secs(5),
        t0(),
    );
    model.screen = (100, 30);
    let statuses = [
        ChargeStatus::Authorised,
        ChargeStatus::Captured,
        ChargeStatus::Declined,
    ];
    let charges = (1..=n)
        .rev()
        .map(|i| charge(i, statuses[(i % 3) as usize]))
        .collect();
    let _ = update(&mut model, Msg::Tick(t0()));
    let _ = update(
        &mut model,
        Msg::Polled(Ok(Polled {
            newer: charges,
            refreshed: Vec::new(),
            total: Some(n as u64),
            older: None,
            first: true,
        })),
    );
    model.take_redraw();
    model
}

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Types `text` into whatever has the keyboard.
pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        let _ = update(model, key(c));
    }
}

/// Selects the first row showing a charge with this status: that charge.
pub fn select_status(model: &mut Model, status: ChargeStatus) -> Charge {
    let row = (0..model.screens.charges.list.visible_len())
        .find(|r| {
            model
                .screens
                .charges
                .list
                .row(*r)
                .is_some_and(|c| c.status == status)
        })
        .expect("a charge with that status");
    model.screens.charges.list.select_row(row);
    model
        .screens
        .charges
        .list
        .selected()
        .cloned()
        .expect("selected")
}

/// The list whose next page the screen on top awaits: its own list, or, on the charges,
/// the older pages.
pub fn awaiting(model: &Model) -> Generation {
    match model.screens.top() {
        Some(Pane::Customers(pane)) => pane.list.generation,
        Some(Pane::Refunds(pane)) => pane.list.generation,
        Some(Pane::Disputes(pane)) => pane.list.generation,
        Some(Pane::Payouts(pane)) => pane.list.generation,
        Some(Pane::Payout(pane)) => pane
            .lines
            .as_ref()
            .map(|l| l.generation)
            .unwrap_or_default(),
        _ => model.screens.charges.list.generation,
    }
}

/// The gateway's answer to the page the screen on top awaits.
pub fn answer<T>(model: &Model, result: Result<Page<T>, GatewayError>) -> PageAnswer<T> {
    PageAnswer {
        generation: awaiting(model),
        result,
    }
}

/// Where a page-asking effect asks (`None`: the first page); `None` for other effects.
pub fn page_cursor(effect: &Effect) -> Option<Option<Cursor>> {
    match effect {
        Effect::LoadOlder(ask)
        | Effect::LoadCustomers(ask)
        | Effect::LoadRefundList(ask)
        | Effect::LoadDisputes(ask)
        | Effect::LoadPayouts(ask)
        | Effect::LoadPayoutLines { ask, .. } => Some(ask.cursor.clone()),
        _ => None,
    }
}

/// A poll six seconds in brings `charge`, which is then selected at the top.
pub fn arrives_selected(model: &mut Model, charge: Charge) {
    let _ = update(model, Msg::Tick(t0() + chrono::TimeDelta::seconds(6)));
    let _ = update(
        model,
        Msg::Polled(Ok(Polled {
            newer: vec![charge],
            refreshed: Vec::new(),
            total: None,
            older: None,
            first: false,
        })),
    );
    model.screens.charges.list.select_row(0);
}

/// What the last toast says.
pub fn last_toast(model: &Model) -> &str {
    model.toasts.back().map_or("", |t| t.text.as_str())
}

/// Replaces the amount in the open action dialog with `text`; the dialog as it is then.
pub fn retype_amount<'a>(model: &'a mut Model, text: &str) -> &'a ActionDialog {
    for _ in 0..12 {
        let _ = update(model, code(KeyCode::Backspace));
    }
    type_text(model, text);
    action_dialog(model)
}

/// The open action dialog.
pub fn action_dialog(model: &Model) -> &ActionDialog {
    match &model.mode {
        Mode::Dialog(dialog) => dialog,
        other => panic!("no action dialog: {other:?}"),
    }
}

/// The open confirmation.
pub fn confirm_dialog(model: &Model) -> &ConfirmDialog {
    match &model.mode {
        Mode::Confirm(dialog) => dialog,
        other => panic!("no confirmation: {other:?}"),
    }
}

/// Sends each message through `update`: every effect they ask for, in order.
pub fn run(model: &mut Model, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| update(model, m)).collect()
}

/// Opens the line `opener` starts (`:` commands, `/` the filter), types `text` and
/// presses Enter: every effect asked for on the way.
fn enter_line(model: &mut Model, opener: char, text: &str) -> Vec<Effect> {
    let typed = text.chars().map(key);
    run(
        model,
        std::iter::once(key(opener))
            .chain(typed)
            .chain([code(KeyCode::Enter)]),
    )
}

/// Runs `text` on the command line.
pub fn command(model: &mut Model, text: &str) -> Vec<Effect> {
    enter_line(model, ':', text)
}

/// Applies `text` as the filter of the screen on top.
pub fn filter(model: &mut Model, text: &str) -> Vec<Effect> {
    enter_line(model, '/', text)
}

/// Applies `text` as the charges' filter on a gateway that searches: the generation
/// of the search it asks for.
pub fn search(model: &mut Model, text: &str) -> Generation {
    let effects = filter(model, text);
    let [Effect::Search { generation, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    *generation
}

/// The fixture gateway with `change` made to what it can do.
pub fn caps_with(change: impl FnOnce(&mut Capabilities)) -> Capabilities {
    let mut caps = fixture_caps();
    change(&mut caps);
    caps
}

/// A record of a page that could not be read.
pub fn skipped(id: &str, why: &str) -> Skipped {
    Skipped {
        id: Some(id.into()),
        why: why.into(),
    }
}

/// A page with nothing after it.
pub fn last_page<T>(items: Vec<T>, total: Option<u64>) -> Page<T> {
    Page {
        items,
        next: None,
        total,
        skipped: Vec::new(),
    }
}

/// Presses Enter on an open confirmation: the key and action of the one `Confirmed`
/// effect it asks for.
pub fn confirm(model: &mut Model) -> (OperationKey, Irreversible) {
    let effects = update(model, code(KeyCode::Enter));
    let [Effect::Confirmed { key, action }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    (key.clone(), action.clone())
}

/// The gateway's answer to a confirmed action: what the model asks for next.
pub fn confirmed_done(
    model: &mut Model,
    (key, action): (OperationKey, Irreversible),
    result: Result<(), GatewayError>,
) -> Vec<Effect> {
    update(
        model,
        Msg::ConfirmedDone {
            key,
            action,
            result,
        },
    )
}

/// Payout `n`: AUD n × 100.00 to ••6789, made n days before the fixtures' clock.
pub fn payout(n: i64) -> crate::domain::Payout {
    use crate::domain::{BankAccountSummary, Payout, PayoutStatus, RawJson};
    Payout {
        id: format!("po_{n:04}"),
        status: if n == 1 {
            PayoutStatus::InTransit
        } else {
            PayoutStatus::Paid
        },
        amount: Money::from_minor(10_000 * n, Currency::AUD),
        created: t0() - chrono::TimeDelta::days(n),
        arrival: (t0() - chrono::TimeDelta::days(n - 2)).date_naive().into(),
        bank_reference: Some(format!("PAYDECK {n:04}")),
        statement_descriptor: Some("PAYDECK PTY LTD".into()),
        bank_account: Some(BankAccountSummary {
            bank_name: Some("Westpac".into()),
            last4: "6789".into(),
        }),
        automatic: Some(true),
        line_count: Some(3),
        raw: RawJson::default(),
    }
}

/// A balance line of `kind` moving `gross` cents (AUD), less a fee of 2% of money in
/// and GST of a tenth of the fee, whose charge is `charge`.
pub fn balance_line(
    kind: crate::domain::LineKind,
    gross: i64,
    charge: Option<&str>,
) -> crate::domain::BalanceLine {
    use crate::domain::{BalanceLine, LineAmounts, RawJson};
    let fee = gross.max(0) / 50;
    let tax = fee / 10;
    let aud = |minor| Money::from_minor(minor, Currency::AUD);
    BalanceLine {
        kind,
        source_id: charge.map(str::to_string),
        charge_id: charge.map(str::to_string),
        amounts: LineAmounts {
            gross: aud(gross),
            fee: aud(fee),
            fee_tax: aud(tax),
            net: aud(gross - fee - tax),
        },
        occurred: t0() - chrono::TimeDelta::days(3),
        raw: RawJson::default(),
    }
}

/// The fixture gateway with payouts, their lines, the balance and a charge's payout.
pub fn payout_caps() -> Capabilities {
    caps_with(|c| {
        c.payouts = true;
        c.payout_lines = true;
        c.balance = true;
        c.charge_settlement = true;
    })
}

/// The store's answer to one effect, as the runner sends it.
pub fn store_answer(store: &crate::store::Store, effect: &Effect) -> Option<Msg> {
    crate::app::store_window::answer_here(store, effect)
}

/// Runs store effects until there are none left; the others are returned.
pub fn settle(model: &mut Model, store: &crate::store::Store, effects: Vec<Effect>) -> Vec<Effect> {
    let rest = crate::app::store_window::settle_here(model, store, effects);
    assert!(
        rest.iter().all(|e| store_answer(store, e).is_none()),
        "the store effects never settled: {rest:?}"
    );
    rest
}
