//! Dialogs in small windows: either everything, the sentence that says what Enter does
//! included, fits inside the box, or the box says the window is too small; and Enter in
//! a dialog sends only what the operator could read.

use crossterm::event::KeyCode;

use super::test_support::{model, render, step};
use super::theme::Theme;
use crate::app::Model;
use crate::app::dialogs::DialogState;
use crate::app::dialogs::action::ActionDialog;
use crate::app::effect::Effect;
use crate::app::fixtures;
use crate::app::model::Mode;
use crate::app::model::ToastKind;
use crate::app::msg::Msg;
use crate::domain::Action;
use crate::domain::ChargeStatus;

const PART_REFUNDED: &str = "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I";

fn refund_dialog(width: u16, height: u16) -> Model {
    let mut m = model(width, height);
    let charge = m
        .screens
        .charges
        .list
        .get(PART_REFUNDED)
        .expect("fixture charge")
        .clone();
    let dialog = ActionDialog::open(Action::Refund, &charge, &m.session.caps, m.session.gateway);
    m.mode = Mode::Dialog(dialog);
    m
}

fn screen(width: u16, height: u16) -> Vec<String> {
    let terminal = render(&refund_dialog(width, height), &Theme::dark());
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// Rows from the box's top border to its bottom border.
fn inside_box(lines: &[String]) -> std::ops::Range<usize> {
    let top = lines.iter().position(|l| l.contains('╭')).expect("a box");
    let bottom = lines
        .iter()
        .position(|l| l.contains('╰'))
        .expect("a closed box");
    top..bottom + 1
}

#[test]
fn refund_dialog_in_small_windows() {
    for (w, h) in [(40, 10), (40, 18), (80, 24)] {
        let terminal = render(&refund_dialog(w, h), &Theme::dark());
        insta::assert_snapshot!(format!("refund_dialog_small_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn the_refund_sentence_or_the_too_small_notice_is_always_inside_the_box() {
    for (w, h) in [(40, 10), (40, 12), (40, 18), (60, 16), (80, 24), (30, 30)] {
        let lines = screen(w, h);
        let boxed = inside_box(&lines);
        let text = lines[boxed.clone()].join("\n");
        let compact: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let says_what_enter_does = compact.contains("Refund US$200.00 of US$250.00");
        let says_too_small = compact.contains("too small");
        assert!(
            says_what_enter_does != says_too_small,
            "{w}x{h}: the sentence or the notice, one of them:\n{}",
            lines.join("\n")
        );
        for (row, line) in lines.iter().enumerate() {
            if !boxed.contains(&row) {
                assert!(
                    !line.contains("optional"),
                    "{w}x{h}: the reason placeholder outside the box on row {row}:\n{}",
                    lines.join("\n")
                );
            }
        }
    }
}

#[test]
fn enter_in_a_refund_dialog_too_small_to_read_sends_nothing_and_says_why() {
    let mut model = fixtures::loaded(10, fixtures::fixture_caps());
    fixtures::select_status(&mut model, ChargeStatus::Captured);
    assert!(step(&mut model, fixtures::key('r')).is_empty());
    assert!(matches!(model.mode, Mode::Dialog(_)), "no refund dialog");
    step(&mut model, Msg::Resize(40, 10));

    let effects = step(&mut model, fixtures::code(KeyCode::Enter));

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
    step(&mut model, Msg::Resize(80, 24));
    let effects = step(&mut model, fixtures::code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Refund { .. }]),
        "expected one refund, got {effects:?}"
    );
}
