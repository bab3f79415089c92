//! `update` on a session shared with other operators: a mark carries the board it was
//! decided on (a dialog's, the board it was opened on), a conflict asks to read the
//! session again, and `c` claims an exception.

use crossterm::event::KeyCode;

use super::effect::Effect;
use super::fixtures::{code, key, loaded, payout_caps, type_text};
use super::model::{Mode, Model};
use super::msg::Msg;
use super::recon_ask::{ReconAnswer, ReconAsk};
use super::recon_fixtures::{SESSION, arrives, arrives_as_of, board};
use super::screens::Pane;
use super::update::update;

fn on_exceptions() -> Model {
    let mut m = loaded(3, payout_caps());
    let _ = super::fixtures::command(&mut m, "recon nov");
    arrives(&mut m, board("test"));
    let _ = update(&mut m, code(KeyCode::Tab));
    let _ = update(&mut m, code(KeyCode::Tab));
    m
}

fn latest(m: &Model) -> i64 {
    match m.screens.top() {
        Some(Pane::Recon(p)) => p.board().unwrap().latest,
        other => panic!("no session on top: {other:?}"),
    }
}

#[test]
fn a_mark_carries_the_board_it_was_decided_on_and_a_conflict_asks_to_read_it_again() {
    let mut m = on_exceptions();
    let _ = update(&mut m, key('f'));
    type_text(&mut m, "paid twice");
    let effects = update(&mut m, code(KeyCode::Enter));
    let [Effect::Recon(ReconAsk::Mark(mark))] = effects.as_slice() else {
        panic!("no mark: {effects:?}")
    };
    assert!(latest(&m) > 0);
    assert_eq!(mark.seen, Some(latest(&m)));

    let why = "exception …: changed by ana at 14:02 UTC — reload?".to_string();
    let conflict = ReconAnswer::Conflict {
        session: SESSION.into(),
        why: why.clone(),
    };
    assert!(update(&mut m, Msg::Recon(conflict)).is_empty());
    let Mode::Recon(dialog) = &m.mode else {
        panic!("no question: {:?}", m.mode)
    };
    assert!(dialog.about().contains(&why), "{:?}", dialog.about());
    assert_eq!(
        update(&mut m, code(KeyCode::Enter)),
        [Effect::Recon(ReconAsk::Open {
            name: SESSION.into(),
            create: None,
            today: super::recon_fixtures::today(),
        })]
    );
    assert!(matches!(m.mode, Mode::Normal));
}

/// Another operator's change arrives (and the board behind the dialog is read again)
/// while a flag's note is typed: the flag is decided on the board the dialog was opened
/// on, so the store refuses it if that change touched the same exception.
#[test]
fn a_flag_typed_while_the_board_reloads_carries_the_board_its_dialog_opened_on() {
    let mut m = on_exceptions();
    let opened_on = latest(&m);
    let _ = update(&mut m, key('f'));
    type_text(&mut m, "paid ");
    let newer = opened_on + 1;
    let _ = arrives_as_of(&mut m, board("test"), newer);
    assert_eq!(
        latest(&m),
        newer,
        "the board behind the dialog was read again"
    );
    assert!(matches!(m.mode, Mode::Recon(_)), "the dialog stays open");
    type_text(&mut m, "twice");
    let effects = update(&mut m, code(KeyCode::Enter));
    let [Effect::Recon(ReconAsk::Mark(mark))] = effects.as_slice() else {
        panic!("no mark: {effects:?}")
    };
    assert_eq!(mark.seen, Some(opened_on));
    assert_eq!(mark.reason.as_deref(), Some("paid twice"));
}

#[test]
fn c_claims_the_selected_exception_and_only_an_exception() {
    let mut m = on_exceptions();
    let item = match m.screens.top() {
        Some(Pane::Recon(p)) => p.selected().unwrap().item.clone(),
        _ => unreachable!(),
    };
    let effects = update(&mut m, key('c'));
    let [
        Effect::Recon(ReconAsk::Claim {
            session,
            item: claimed,
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("no claim: {effects:?}")
    };
    assert_eq!((session.as_str(), claimed), (SESSION, &item));

    let _ = update(&mut m, code(KeyCode::Tab));
    assert!(update(&mut m, key('c')).is_empty());
    assert!(
        super::fixtures::last_toast(&m).contains("c claims an exception"),
        "{}",
        super::fixtures::last_toast(&m)
    );
}
