//! `update` with the keys of the dialogs and prompts remapped in the config.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::Effect;
use super::fixtures::*;
use super::keymap::Keymap;
use super::model::Mode;
use super::msg::Msg;
use super::update::update;
use crate::domain::ChargeStatus;

fn remapped(pairs: &[(&str, &[&str])]) -> Keymap {
    let overrides: Vec<(String, Vec<String>)> = pairs
        .iter()
        .map(|(name, keys)| {
            (
                name.to_string(),
                keys.iter().map(|k| k.to_string()).collect(),
            )
        })
        .collect();
    Keymap::with_overrides(&overrides).expect("valid overrides")
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn a_dialog_sends_with_its_remapped_key_and_not_the_default() {
    let mut model = loaded(10, fixture_caps());
    model.keymap = remapped(&[("dialog.send", &["ctrl-s"]), ("dialog.close", &["ctrl-x"])]);
    select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('c'));
    assert!(update(&mut model, code(KeyCode::Enter)).is_empty());
    let _ = update(&mut model, code(KeyCode::Esc));
    assert!(
        matches!(model.mode, Mode::Dialog(_)),
        "Esc no longer closes"
    );
    let effects = update(&mut model, ctrl('s'));
    assert!(
        matches!(effects.as_slice(), [Effect::Capture { .. }]),
        "{effects:?}"
    );
    let _ = update(&mut model, ctrl('x'));
    assert!(matches!(model.mode, Mode::Normal));
}

#[test]
fn the_filter_and_the_quit_prompt_take_their_remapped_keys() {
    let mut model = loaded(10, fixture_caps());
    model.keymap = remapped(&[("filter.send", &["ctrl-j"]), ("quit_prompt.close", &["x"])]);
    let _ = update(&mut model, key('/'));
    type_text(&mut model, "status:captured");
    let _ = update(&mut model, code(KeyCode::Enter));
    assert!(
        matches!(model.mode, Mode::Filter { .. }),
        "Enter no longer applies"
    );
    let _ = update(&mut model, ctrl('j'));
    assert!(matches!(model.mode, Mode::Normal));
    assert_eq!(model.screens.charges.list.filter_text, "status:captured");

    model.mode = Mode::QuitAnyway;
    let _ = update(&mut model, key('n'));
    assert!(
        matches!(model.mode, Mode::QuitAnyway),
        "n no longer answers no"
    );
    let _ = update(&mut model, key('x'));
    assert!(matches!(model.mode, Mode::Normal));
    assert!(!model.quit);
}
