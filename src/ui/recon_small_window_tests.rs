//! The reconciliation dialogs in a 40x10 window: the flag, note, ignore and reload
//! dialogs drop their blank rows and show what they are about, the words typed, what
//! Enter records and the keys inside the box, and Enter there records the mark; a
//! statement path too long to read whole is refused as too small.

use crossterm::event::KeyCode;

use super::test_support::{draw, model, step};
use crate::app::Model;
use crate::app::effect::Effect;
use crate::app::fixtures::{code, command, key, type_text};
use crate::app::model::Mode;
use crate::app::msg::Msg;
use crate::app::recon_ask::{ReconAnswer, ReconAsk};
use crate::app::recon_fixtures::{SESSION, arrives, board};

/// The session on its exceptions tab in a `width`x`height` window.
fn on_exceptions(width: u16, height: u16) -> Model {
    let mut m = model(width, height);
    let _ = command(&mut m, "recon nov");
    arrives(&mut m, board("acme-test"));
    let _ = step(&mut m, code(KeyCode::Tab));
    let _ = step(&mut m, code(KeyCode::Tab));
    m
}

/// The window's rows, as text.
fn rows(m: &Model) -> Vec<String> {
    let buffer = super::test_support::drawn_buffer(m);
    let (w, h) = m.screen;
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

/// The text inside the box's borders, spaces squeezed.
fn boxed(m: &Model) -> String {
    let lines: Vec<Vec<char>> = rows(m).iter().map(|l| l.chars().collect()).collect();
    let top = lines.iter().position(|l| l.contains(&'╭')).expect("a box");
    let bottom = lines.iter().position(|l| l.contains(&'╰')).expect("closed");
    let left = lines[top].iter().position(|c| *c == '╭').expect("a corner");
    let right = lines[top].iter().position(|c| *c == '╮').expect("a corner");
    let text: Vec<String> = lines[top + 1..bottom]
        .iter()
        .map(|l| l[left + 1..right].iter().collect())
        .collect();
    text.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn flag_note_and_ignore_show_whole_at_40x10() {
    for (k, title, sentence) in [
        ('f', "Flag with a note", "Flag it with this note"),
        ('n', "Add a note", "Add this note to it"),
        ('i', "Ignore, with a reason", "Ignore it for this reason"),
    ] {
        let mut m = on_exceptions(40, 10);
        let _ = step(&mut m, key(k));
        type_text(&mut m, "paid twice");
        draw(&mut m);
        let text = boxed(&m);
        assert!(!text.contains("too small"), "{k}: {}", rows(&m).join("\n"));
        let titled = rows(&m).iter().any(|l| l.contains(&format!("╭ {title} ")));
        assert!(titled, "{k}: no title {title:?}");
        for part in [
            "deposit_without_payout deposit 2026-11-23 A$123.45",
            "paid twice",
            sentence,
            "enter records it · esc cancel",
        ] {
            assert!(text.contains(part), "{k}: no {part:?} in {text:?}");
        }
    }
}

#[test]
fn enter_in_the_flag_dialog_at_40x10_records_the_flag() {
    let mut m = on_exceptions(40, 10);
    let _ = step(&mut m, key('f'));
    type_text(&mut m, "paid twice");
    draw(&mut m);
    let effects = step(&mut m, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Recon(ReconAsk::Mark(_))]),
        "expected the flag recorded, got {effects:?}"
    );
}

#[test]
fn the_reload_question_shows_whole_at_40x10_and_enter_reads_the_session_again() {
    let mut m = on_exceptions(40, 10);
    let _ = step(&mut m, key('f'));
    type_text(&mut m, "paid twice");
    let _ = step(&mut m, code(KeyCode::Enter));
    let why = "exception duplicate_charge ch_9: changed by ana at 14:02 UTC — reload?";
    let answer = ReconAnswer::Conflict {
        session: SESSION.into(),
        why: why.into(),
    };
    let _ = step(&mut m, Msg::Recon(answer));
    assert!(
        matches!(m.mode, Mode::Recon(_)),
        "no question: {:?}",
        m.mode
    );
    let text = boxed(&m);
    for part in [
        "changed by ana at 14:02",
        "your mark was not kept",
        "Read session nov again",
        "enter reload · esc keep board",
    ] {
        assert!(text.contains(part), "no {part:?} in {text:?}");
    }
    let effects = step(&mut m, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Recon(ReconAsk::Open { .. })]),
        "expected the session read again, got {effects:?}"
    );
}

#[test]
fn a_statement_path_too_long_to_read_whole_is_too_small_and_enter_imports_nothing() {
    // Tall enough for the dialog; too narrow for the path, which would show cut short.
    let mut m = on_exceptions(40, 24);
    let _ = step(&mut m, key('I'));
    type_text(&mut m, "statements/2026-11/westpac-cheque.ofx");
    draw(&mut m);
    assert!(boxed(&m).contains("too small"), "{}", rows(&m).join("\n"));
    assert!(step(&mut m, code(KeyCode::Enter)).is_empty());

    // Wide enough to read the path whole, the same Enter imports it.
    let _ = step(&mut m, Msg::Resize(120, 24));
    let effects = step(&mut m, code(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Recon(ReconAsk::Import(_))]),
        "expected the import, got {effects:?}"
    );
}
