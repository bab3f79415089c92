//! Enter in a dialog sends only what the operator could read: in a window too small to
//! show the sentence that says what Enter does, it sends nothing and says why.

use crossterm::event::KeyCode;

use super::dialogs::DialogState;
use super::effect::Effect;
use super::fixtures::*;
use super::model::{Mode, ToastKind};
use super::msg::Msg;
use super::update::update;
use crate::domain::ChargeStatus;

#[test]
fn enter_in_a_refund_dialog_too_small_to_read_sends_nothing_and_says_why() {
    let mut model = loaded(10, fixture_caps());
    select_status(&mut model, ChargeStatus::Captured);
    assert!(update(&mut model, key('r')).is_empty());
    assert!(matches!(model.mode, Mode::Dialog(_)), "no refund dialog");
    update(&mut model, Msg::Resize(40, 10));

    let effects = update(&mut model, code(KeyCode::Enter));

    assert!(
        effects.is_empty(),
        "sent from a dialog too small to read: {effects:?}"
    );
    let Mode::Dialog(dialog) = &model.mode else {
        panic!("the dialog closed")
    };
    assert_eq!(dialog.state, DialogState::Editing, "nothing is in flight");
    assert!(model.busy.is_empty());
    let toast = model.toasts.back().expect("a toast says why");
    assert_eq!(toast.kind, ToastKind::Error);
    assert!(
        toast.text.contains("Nothing sent") && toast.text.contains("too small"),
        "{}",
        toast.text
    );

    // Made larger again, the same Enter sends the refund the dialog shows.
    update(&mut model, Msg::Resize(80, 24));
    let effects = update(&mut model, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Refund { .. }]),
        "expected one refund, got {effects:?}"
    );
}
