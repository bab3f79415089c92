//! A gateway that puts terminal controls and bidirectional overrides in its text: every
//! view shows them as visible marks (`␛`, `␦`), and none reaches the frame as itself.

use std::collections::BTreeMap;

use chrono::TimeDelta;

use super::safe_text::is_unsafe;
use super::test_customers;
use super::test_support::{self, model, now, render};
use super::theme::Theme;
use crate::app::Model;
use crate::app::listing::Listing;
use crate::app::model::{Loadable, Mode, ToastKind};
use crate::app::screens::{ChargeDetail, DetailView, DisputesPane, Pane, Section};
use crate::domain::{Charge, Dispute, DisputeStatus, Failure, Page, RawJson};
use crate::money::{Currency, Money};

/// Right-to-left override: what follows it is drawn reversed.
const RLO: &str = "\u{202E}";
const ESC: &str = "\u{1b}";
/// The id of the charge with controls in its text.
const EVIL: &str = "ch_evil000000000000000000";

fn hostile_charge(base: &Charge) -> Charge {
    let mut c = base.clone();
    c.id = EVIL.into();
    c.email = Some(format!("ada{RLO}moc.evil@x"));
    c.description = Some(format!("Refund {RLO}00.001$ AUD{ESC}[2J now"));
    c.customer_id = Some(format!("cus_{RLO}evil"));
    c.metadata = BTreeMap::from([(
        format!("note{ESC}]0;pwned\u{7}"),
        "\u{2067}x\u{2069} \u{9b}31m".to_string(),
    )]);
    c.failure = Some(Failure {
        code: format!("declined{ESC}[5m"),
        message: format!("declined by {RLO}knab eht"),
    });
    c.raw = RawJson::new(&format!(
        r#"{{"token":"ch_evil","description":"Refund {RLO}00.001$","email":"ada{RLO}moc.evil@x"}}"#
    ));
    c
}

fn hostile_model(width: u16, height: u16) -> Model {
    let mut m = model(width, height);
    let evil = hostile_charge(&test_support::charges()[0]);
    m.screens.charges.list.merge_newer(vec![evil]);
    test_support::select(&mut m, EVIL);
    m
}

fn hostile_dispute() -> Dispute {
    Dispute {
        id: format!("dp_{RLO}evil"),
        charge_id: EVIL.into(),
        amount: Money::from_minor(4250, Currency::AUD),
        status: DisputeStatus::Other(format!("won{RLO}")),
        reason: format!("fraud{ESC}[8m{RLO}ulent"),
        evidence_due: Some(now() + TimeDelta::hours(20)),
        evidence_submitted: false,
        created: now() - TimeDelta::days(3),
        raw: RawJson::default(),
    }
}

/// Checks that each of `marks` is on `screen`.
fn assert_shown(screen: &str, marks: &[&str]) {
    for shown in marks {
        assert!(screen.contains(shown), "{shown:?} is not on screen");
    }
}

/// The screen `m` draws, as text, after checking that no cell holds a control or a
/// bidi control.
fn drawn(m: &Model) -> String {
    let terminal = render(m, &Theme::dark());
    let buffer = terminal.backend().buffer();
    for cell in &buffer.content {
        assert!(
            !cell.symbol().chars().any(is_unsafe),
            "{:?} reached the frame",
            cell.symbol()
        );
    }
    let width = usize::from(buffer.area.width).max(1);
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn the_charges_table_and_detail_show_controls_as_marks() {
    for (w, h) in [(160, 48), (80, 24)] {
        let mut m = hostile_model(w, h);
        m.screens.charges.detail = Some(ChargeDetail {
            refunds: Loadable::Failed(format!("gateway said {ESC}[31mno")),
            dispute: Loadable::Loaded(Some(hostile_dispute())),
            ..ChargeDetail::in_list(EVIL)
        });
        let terminal = render(&m, &Theme::dark());
        insta::assert_snapshot!(format!("hostile_detail_{w}x{h}"), terminal.backend());
        let screen = drawn(&m);
        if w == 160 {
            assert_shown(
                &screen,
                &[
                    "ada␦moc.evil@x",
                    "Refund ␦00.001$ AUD␛[2J now",
                    "cus_␦evil",
                    "note␛]0;pwned␇",
                    "declined␛[5m",
                    "declined by ␦knab eht",
                    "fraud␛[8m␦ulent",
                    "dp_␦evil",
                    "gateway said ␛[31mno",
                ],
            );
        }
    }
}

#[test]
fn the_raw_json_shows_controls_as_marks() {
    let mut m = hostile_model(160, 48);
    m.screens.charges.detail = Some(ChargeDetail {
        view: DetailView {
            raw: true,
            scroll: 0,
        },
        refunds: Loadable::Loaded(Vec::new()),
        ..ChargeDetail::in_list(EVIL)
    });
    let screen = drawn(&m);
    assert!(screen.contains("\"Refund ␦00.001$\""), "{screen}");
}

#[test]
fn a_customer_and_the_breadcrumb_show_controls_as_marks() {
    let mut m = model(160, 48);
    test_customers::open_ada(&mut m, Section::Cards);
    if let Some(Pane::Customer(pane)) = m.screens.top_mut()
        && let Loadable::Loaded(c) = &mut pane.customer
    {
        c.email = format!("ada{RLO}moc.evil@x");
        c.first_name = Some(format!("Ada{ESC}[2J"));
        c.notes = Some(format!("call{RLO} back\u{7}"));
        c.phone = Some("+61\u{200F}400".into());
    }
    let screen = drawn(&m);
    assert_shown(
        &screen,
        &["Ada␛[2J", "ada␦moc.evil@x", "call␦ back␇", "+61␦400"],
    );
}

#[test]
fn disputes_toasts_and_the_header_show_controls_as_marks() {
    let mut m = model(160, 48);
    m.session.caps.disputes = true;
    let mut list = Listing::default();
    list.append(
        Page {
            items: vec![hostile_dispute()],
            next: None,
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    m.screens.push(Pane::Disputes(DisputesPane { list }));
    m.toast(
        ToastKind::Error,
        format!("Refund failed: {RLO}deilppa{ESC}[0m"),
    );
    m.poll
        .failed(now(), format!("HTTP 502 {ESC}]0;x\u{7}"), None);
    let screen = drawn(&m);
    assert_shown(
        &screen,
        &[
            "fraud␛[8m",
            "won␦",
            "dp_␦evil",
            "␦deilppa␛[0m",
            "502 ␛]0;x␇",
        ],
    );
}

#[test]
fn an_action_dialog_shows_the_email_with_marks() {
    let mut m = hostile_model(160, 48);
    let charge = m
        .screens
        .charges
        .list
        .get(EVIL)
        .expect("the hostile charge")
        .clone();
    m.mode = Mode::Dialog(crate::app::dialogs::action::ActionDialog::open(
        crate::domain::Action::Refund,
        &charge,
        &m.session.caps,
        m.session.gateway,
    ));
    let screen = drawn(&m);
    assert!(screen.contains("ada␦moc.evil@x"), "{screen}");
}
