//! `update` on disputes: the list, evidence, acceptance, and a disputed charge's detail.

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::dialogs::confirm::Irreversible;
use super::effect::Effect;
use super::fixtures::*;
use super::model::{Loadable, Mode, Model};
use super::msg::{Answer, Msg};
use super::screens::Pane;
use super::update::update;
use crate::domain::{ChargeStatus, Dispute, DisputeStatus, RawJson};
use crate::gateway::Capabilities;
use crate::money::{Currency, Money};

/// ctrl-s: sends the evidence (Enter is a new line in it).
fn send() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

fn disputes_caps() -> Capabilities {
    Capabilities {
        partial_capture: true,
        disputes: true,
        void_name: "release",
        ..fixture_caps()
    }
}

fn dispute(id: &str, status: DisputeStatus, due_in_days: i64) -> Dispute {
    Dispute {
        id: id.into(),
        charge_id: "ch_0003".into(),
        amount: Money::from_minor(3000, Currency::AUD),
        status,
        reason: "fraudulent".into(),
        evidence_due: Some(t0() + TimeDelta::days(due_in_days)),
        evidence_submitted: false,
        created: t0() - TimeDelta::days(30 - due_in_days),
        raw: RawJson::default(),
    }
}

fn disputes_open() -> Model {
    let mut model = loaded(5, disputes_caps());
    let effects = command(&mut model, "disputes");
    assert!(matches!(effects.as_slice(), [Effect::LoadDisputes(_)]));
    assert_eq!(page_cursor(&effects[0]), Some(None));
    let page = last_page(
        vec![
            dispute("dp_won", DisputeStatus::Won, 1),
            dispute("dp_late", DisputeStatus::NeedsResponse, 9),
            dispute("dp_soon", DisputeStatus::WarningNeedsResponse, 2),
            dispute("dp_review", DisputeStatus::UnderReview, 3),
        ],
        None,
    );
    let page = answer(&model, Ok(page));
    let _ = update(&mut model, Msg::DisputesLoaded(page));
    model
}

fn ids(model: &Model) -> Vec<String> {
    let Some(Pane::Disputes(pane)) = model.screens.top() else {
        panic!("no disputes pane")
    };
    pane.list.rows(0, 10).map(|d| d.id.clone()).collect()
}

#[test]
fn disputes_that_need_a_response_come_first_soonest_due_at_the_top() {
    let model = disputes_open();
    assert_eq!(ids(&model), ["dp_soon", "dp_late", "dp_review", "dp_won"]);
}

#[test]
fn gateways_without_disputes_do_not_offer_them() {
    let mut model = loaded(5, fixture_caps());
    assert!(command(&mut model, "disputes").is_empty());
    assert!(model.screens.top().is_none());
}

#[test]
fn evidence_is_written_confirmed_and_sent_once() {
    let mut model = disputes_open();
    let _ = update(&mut model, key('e'));
    let Mode::Evidence(dialog) = &model.mode else {
        panic!("no evidence dialog")
    };
    assert_eq!(dialog.dispute_id, "dp_soon");
    assert!(
        update(&mut model, send()).is_empty(),
        "no evidence, nothing sent"
    );
    type_text(&mut model, "Delivered 2026-11-20, signed for");
    assert!(
        update(&mut model, code(KeyCode::Enter)).is_empty(),
        "Enter is a new line, not a send"
    );
    type_text(&mut model, "Tracking AU123");
    let _ = update(
        &mut model,
        Msg::Paste("\r\nEmail from the cardholder:\r\n> thanks".into()),
    );
    let Mode::Evidence(dialog) = &model.mode else {
        panic!()
    };
    assert_eq!(dialog.input.lines().len(), 4, "{:?}", dialog.input.lines());
    assert!(
        dialog
            .confirmation()
            .unwrap()
            .contains("usually cannot be changed")
    );
    let effects = update(&mut model, send());
    let [
        Effect::SubmitEvidence {
            key,
            dispute_id,
            text,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (dispute_id.as_str(), text.as_str()),
        (
            "dp_soon",
            "Delivered 2026-11-20, signed for\nTracking AU123\nEmail from the cardholder:\n> thanks"
        )
    );
    assert!(update(&mut model, send()).is_empty(), "sent once");
    let mut answered = dispute("dp_soon", DisputeStatus::UnderReview, 2);
    answered.evidence_submitted = true;
    let _ = update(
        &mut model,
        Msg::DisputeLoaded {
            key: Some(key.clone()),
            result: Ok(Box::new(answered)),
        },
    );
    assert!(matches!(model.mode, Mode::Normal));
    assert!(model.busy.is_empty());
    let Some(Pane::Disputes(pane)) = model.screens.top() else {
        panic!()
    };
    assert_eq!(pane.list.row(0).unwrap().status, DisputeStatus::UnderReview);
    assert!(last_toast(&model).contains("Evidence submitted"));
}

#[test]
fn accepting_a_dispute_is_confirmed_and_read_back() {
    let mut model = disputes_open();
    let _ = update(&mut model, key('A'));
    let dialog = confirm_dialog(&model);
    assert!(dialog.sentence.contains("cannot be undone"));
    let confirmed = confirm(&mut model);
    assert_eq!(
        confirmed.1,
        Irreversible::CloseDispute {
            dispute_id: "dp_soon".into()
        }
    );
    let effects = confirmed_done(&mut model, confirmed, Ok(()));
    assert_eq!(
        effects,
        [
            Effect::LoadDispute("dp_soon".into()),
            Effect::LoadCharge("ch_0003".into())
        ]
    );
}

#[test]
fn a_closed_dispute_cannot_be_answered_and_read_only_answers_none() {
    let mut model = disputes_open();
    let _ = update(&mut model, key('G'));
    let _ = update(&mut model, key('e'));
    assert!(matches!(model.mode, Mode::Normal));
    assert!(last_toast(&model).contains("only a dispute that needs a response"));
    let mut model = disputes_open();
    model.session.read_only = true;
    for k in ['e', 'A'] {
        let _ = update(&mut model, key(k));
        assert!(matches!(model.mode, Mode::Normal));
    }
}

#[test]
fn a_disputed_charges_detail_fetches_its_dispute() {
    let mut model = loaded(5, disputes_caps());
    let mut disputed = charge(6, ChargeStatus::Disputed);
    disputed.captured = disputed.amount;
    arrives_selected(&mut model, disputed);
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(
        effects.contains(&Effect::LoadChargeDispute("ch_0006".into())),
        "{effects:?}"
    );
    let _ = update(
        &mut model,
        Msg::ChargeDisputeLoaded(Answer::new(
            "ch_0006",
            Ok(Some(Box::new(dispute(
                "dp_x",
                DisputeStatus::NeedsResponse,
                4,
            )))),
        )),
    );
    let detail = model.screens.charges.detail.as_ref().unwrap();
    assert!(matches!(&detail.dispute, Loadable::Loaded(Some(d)) if d.id == "dp_x"));
    let _ = update(&mut model, key('e'));
    assert!(
        matches!(model.mode, Mode::Evidence(_)),
        "answered from the charge too"
    );
}

#[test]
fn releasing_where_a_void_is_a_refund_says_so() {
    let caps = Capabilities {
        void_note: crate::test_gateways::WITH_DISPUTES.caps.void_note,
        ..disputes_caps()
    };
    let mut model = loaded(5, caps);
    select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('v'));
    let dialog = action_dialog(&model);
    assert_eq!(dialog.title(), "Release");
    let sentence = dialog.confirmation().unwrap();
    assert!(
        sentence.starts_with("Release the authorisation of"),
        "{sentence}"
    );
    assert!(
        sentence.contains("refund of the uncaptured charge"),
        "{sentence}"
    );
}

/// Issue 10: a charge opened from the disputes list shows its dispute and answers `e`
/// and `A` as it does when opened from the charges list, even when the list held an
/// older copy of it (captured, not yet disputed).
#[test]
fn a_charge_opened_from_the_disputes_list_keeps_its_dispute_and_its_keys() {
    let mut model = disputes_open();
    assert_ne!(
        model.find_charge("ch_0003").map(|c| c.status),
        Some(ChargeStatus::Disputed),
        "the list's copy is from before the dispute"
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(
        effects.contains(&Effect::LoadCharge("ch_0003".into())),
        "the gateway's copy is asked for: {effects:?}"
    );
    let Some(Pane::Charge(pane)) = model.screens.top() else {
        panic!("no charge pane")
    };
    assert!(
        matches!(&pane.dispute, Loadable::Loaded(Some(d)) if d.id == "dp_soon"),
        "{:?}",
        pane.dispute
    );
    let _ = update(&mut model, key('A'));
    assert!(
        matches!(&model.mode, Mode::Confirm(d) if d.title == "Accept dispute"),
        "A accepts from the charge too"
    );
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = update(&mut model, key('e'));
    assert!(matches!(&model.mode, Mode::Evidence(d) if d.dispute_id == "dp_soon"));
}

/// A charge the gateway turns out to have disputed, opened where its dispute was not
/// known, has it fetched when the gateway's copy says so.
#[test]
fn a_charge_found_disputed_on_reading_it_fetches_its_dispute() {
    let mut model = loaded(5, disputes_caps());
    let effects = super::screens::charge::open_charge(&mut model, "ch_0003");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadChargeDispute(_)))
    );
    let now = charge(3, ChargeStatus::Disputed);
    let effects = update(
        &mut model,
        Msg::ChargeLoaded(Answer::new("ch_0003", Ok(Box::new(now)))),
    );
    assert_eq!(effects, [Effect::LoadChargeDispute("ch_0003".into())]);
}

/// After a dispute is accepted its charge is read again, and nothing is left to refund.
#[test]
fn accepting_a_dispute_reads_its_charge_again_and_nothing_is_refundable() {
    let mut model = disputes_open();
    let _ = update(&mut model, code(KeyCode::Enter));
    let _ = update(&mut model, key('A'));
    let confirmed = confirm(&mut model);
    let effects = confirmed_done(&mut model, confirmed, Ok(()));
    assert!(
        effects.contains(&Effect::LoadCharge("ch_0003".into())),
        "{effects:?}"
    );
    let lost = charge(3, ChargeStatus::Disputed);
    assert!(lost.refundable().is_zero());
}
