//! Leaving with money in flight: `q`, `:q` and ctrl-c ask first; a signal waits a
//! bounded time for the writes and then leaves with its number.

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::Effect;
use super::fixtures::*;
use super::model::{Mode, Model};
use super::msg::Msg;
use super::quitting::{self, STOP_WAIT};
use super::update::update;
use crate::domain::ChargeStatus;
use crate::gateway::OperationKey;

fn ctrl_c() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// A model with a capture sent and not yet answered; its key and charge id.
fn capturing() -> (Model, OperationKey, String) {
    let mut model = loaded(10, fixture_caps());
    select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('c'));
    let effects = update(&mut model, code(KeyCode::Enter));
    let [Effect::Capture { key, charge_id, .. }] = effects.as_slice() else {
        panic!("expected a capture, got {effects:?}");
    };
    let (key, charge_id) = (key.clone(), charge_id.clone());
    let _ = update(&mut model, code(KeyCode::Esc));
    (model, key, charge_id)
}

#[test]
fn a_write_is_in_flight_from_the_request_until_its_after_line() {
    let (mut model, key, charge_id) = capturing();
    let charge = model.find_charge(&charge_id).unwrap().clone();
    assert_eq!(model.writes.len(), 1);
    assert_eq!(
        model.writes[0].what,
        format!("a capture of {} on {charge_id}", charge.amount)
    );
    let _ = update(&mut model, Msg::WriteSettled(key));
    assert!(model.writes.is_empty());
}

#[test]
fn q_with_a_capture_in_flight_asks_and_n_stays() {
    let (mut model, _, charge_id) = capturing();
    let amount = model.find_charge(&charge_id).unwrap().amount;
    let _ = update(&mut model, key('q'));
    assert!(!model.quit, "q did not leave with a capture in flight");
    assert!(matches!(model.mode, Mode::QuitAnyway));
    let question = quitting::question(&model).join(" ");
    assert!(
        question.contains(&format!(
            "A capture of {amount} on {charge_id} has not been confirmed"
        )),
        "{question}"
    );
    assert!(question.contains("Quit anyway?"), "{question}");
    let _ = update(&mut model, key('n'));
    assert!(matches!(model.mode, Mode::Normal) && !model.quit);
    let _ = update(&mut model, key('q'));
    let _ = update(&mut model, key('y'));
    assert!(model.quit, "y quits anyway");
}

#[test]
fn ctrl_c_and_colon_q_ask_too_and_a_second_ctrl_c_leaves() {
    let (mut model, _, _) = capturing();
    let _ = update(&mut model, ctrl_c());
    assert!(matches!(model.mode, Mode::QuitAnyway) && !model.quit);
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = update(&mut model, key(':'));
    type_text(&mut model, "q");
    let _ = update(&mut model, code(KeyCode::Enter));
    assert!(matches!(model.mode, Mode::QuitAnyway) && !model.quit);
    let _ = update(&mut model, Msg::Paste("y".into()));
    assert!(!model.quit, "a paste does not answer the question");
    let _ = update(&mut model, ctrl_c());
    assert!(model.quit);
}

#[test]
fn nothing_in_flight_quits_at_once() {
    let mut model = loaded(5, fixture_caps());
    let _ = update(&mut model, key('q'));
    assert!(model.quit);
    assert_eq!(model.stopping, None, "a quit is not a stop: exit status 0");
}

#[test]
fn a_signal_waits_for_the_write_then_leaves_with_its_number() {
    let (mut model, key, _) = capturing();
    let _ = update(&mut model, Msg::Signal(libc::SIGTERM));
    assert!(!model.quit, "the capture is waited for");
    let waiting = quitting::waiting(&model).unwrap().join(" ");
    assert!(waiting.contains("A capture of"), "{waiting}");
    // Nothing new starts while stopping.
    let _ = update(&mut model, super::fixtures::key('q'));
    assert!(!model.quit && matches!(model.mode, Mode::Normal));
    let _ = update(&mut model, Msg::WriteSettled(key));
    assert!(model.quit, "leaves once the capture is answered");
    assert_eq!(model.stopping.unwrap().signal, Some(libc::SIGTERM));
}

#[test]
fn a_signal_leaves_after_the_wait_even_with_the_write_unanswered() {
    let (mut model, _, _) = capturing();
    let _ = update(&mut model, Msg::Signal(libc::SIGHUP));
    let until = model.now + TimeDelta::from_std(STOP_WAIT).unwrap();
    assert!(
        model.next_wakeup() <= until,
        "the loop wakes for the deadline"
    );
    let _ = update(&mut model, Msg::Tick(until - TimeDelta::seconds(1)));
    assert!(!model.quit);
    let _ = update(&mut model, Msg::Tick(until));
    assert!(model.quit);
    assert_eq!(model.stopping.unwrap().signal, Some(libc::SIGHUP));
}

#[test]
fn a_second_signal_leaves_at_once_and_no_write_means_no_wait() {
    let (mut model, _, _) = capturing();
    let _ = update(&mut model, Msg::Signal(libc::SIGTERM));
    let _ = update(&mut model, Msg::Signal(libc::SIGINT));
    assert!(model.quit);
    let mut idle = loaded(5, fixture_caps());
    let _ = update(&mut idle, Msg::Signal(libc::SIGINT));
    assert!(idle.quit);
    assert_eq!(idle.stopping.unwrap().signal, Some(libc::SIGINT));
}

#[test]
fn no_profile_switch_while_a_write_is_in_flight() {
    let (mut model, _, _) = capturing();
    let _ = update(&mut model, key(':'));
    type_text(&mut model, "profile other");
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
    let toast = &model.toasts.back().unwrap().text;
    assert!(toast.contains("has not been confirmed"), "{toast}");
}
