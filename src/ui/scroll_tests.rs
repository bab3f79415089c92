//! Scrolling text (the open charge, its JSON, the help) stops at the text's end: the
//! last line at the bottom of the box, never blank rows below it. `update` knows where
//! that is from what the view reports it drew, so these tests draw after each message
//! as the event loop does.

use crossterm::event::KeyCode;

use super::screens::charge::max_scroll;
use super::test_support::{draw, step};
use crate::app::fixtures::*;
use crate::app::layout::screen;
use crate::app::model::{Focus, Mode, Model};

fn detail_scroll(model: &Model) -> u16 {
    model
        .screens
        .charges
        .detail
        .as_ref()
        .expect("a charge is open")
        .view
        .scroll
}

fn help_scroll(model: &Model) -> u16 {
    match model.mode {
        Mode::Help { scroll } => scroll,
        _ => panic!("the help is not open"),
    }
}

/// Enter, J, Tab, G: the raw JSON of a charge, scrolled to its end.
fn json_at_the_bottom(width: u16, height: u16) -> Model {
    let mut model = loaded(5, fixture_caps());
    model.screen = (width, height);
    // Thirty keys: longer than a small box, shorter than a tall one.
    let mut charge = model
        .screens
        .charges
        .list
        .selected()
        .expect("a charge")
        .clone();
    let fields: Vec<String> = (0..30).map(|i| format!("\"key_{i}\": {i}")).collect();
    charge.raw = crate::domain::RawJson::new(&format!("{{{}}}", fields.join(",")));
    model.screens.charges.list.update(charge);
    let _ = step(&mut model, code(KeyCode::Enter));
    let _ = step(&mut model, key('J'));
    if model.screens.charges.focus == Focus::Table {
        let _ = step(&mut model, code(KeyCode::Tab));
    }
    assert_eq!(model.screens.charges.focus, Focus::Detail);
    let _ = step(&mut model, key('G'));
    model
}

#[test]
fn the_bottom_of_the_json_is_its_last_line_and_k_moves_back_up_at_once() {
    for (w, h) in [(40, 10), (80, 24)] {
        let mut model = json_at_the_bottom(w, h);
        let max = max_scroll(&model, screen(&model));
        assert!(max > 0, "the JSON is longer than a {w}x{h} box");
        assert_eq!(detail_scroll(&model), max, "{w}x{h}");
        let _ = step(&mut model, key('k'));
        assert_eq!(detail_scroll(&model), max - 1, "{w}x{h}");
        let _ = step(&mut model, code(KeyCode::PageUp));
        assert!(detail_scroll(&model) < max - 1, "{w}x{h}");
    }
}

#[test]
fn json_that_fits_does_not_scroll_at_all() {
    let mut model = json_at_the_bottom(160, 48);
    assert_eq!(detail_scroll(&model), 0);
    for _ in 0..70 {
        let _ = step(&mut model, key('j'));
    }
    assert_eq!(detail_scroll(&model), 0);
}

#[test]
fn seventy_js_stop_at_the_last_line_of_the_fields() {
    let mut model = loaded(5, fixture_caps());
    model.screen = (40, 10);
    let _ = step(&mut model, code(KeyCode::Enter));
    let max = max_scroll(&model, screen(&model));
    assert!(max > 0);
    for _ in 0..70 {
        let _ = step(&mut model, key('j'));
    }
    assert_eq!(detail_scroll(&model), max);
    // A taller window shows more: the position shrinks with the room needed.
    let _ = step(&mut model, crate::app::msg::Msg::Resize(40, 30));
    let _ = step(&mut model, key('k'));
    let taller = max_scroll(&model, screen(&model));
    assert_eq!(detail_scroll(&model), taller.saturating_sub(1));
}

#[test]
fn a_charge_pane_stops_at_its_end_too() {
    let mut model = loaded(5, fixture_caps());
    model.screen = (40, 10);
    let id = model.screens.charges.list.selected().unwrap().id.clone();
    let _ = crate::app::screens::charge::open_charge(&mut model, &id);
    let charge = model.screens.charges.list.get(&id).cloned();
    if let Some(crate::app::screens::Pane::Charge(pane)) = model.screens.top_mut() {
        pane.take_newer(&charge.unwrap());
    }
    draw(&mut model);
    let max = max_scroll(&model, screen(&model));
    assert!(max > 0);
    let _ = step(&mut model, key('G'));
    let _ = step(&mut model, key('j'));
    match model.screens.top() {
        Some(crate::app::screens::Pane::Charge(pane)) => assert_eq!(pane.view.scroll, max),
        _ => panic!("the charge pane is open"),
    }
}

#[test]
fn the_help_scrolls_to_its_end_and_back() {
    for (w, h) in [(40, 10), (80, 24)] {
        let mut model = loaded(5, fixture_caps());
        model.screen = (w, h);
        let _ = step(&mut model, key('?'));
        assert_eq!(help_scroll(&model), 0);
        let _ = step(&mut model, key('j'));
        assert_eq!(help_scroll(&model), 1, "{w}x{h}: j scrolls the help");
        let _ = step(&mut model, key('G'));
        let bottom = help_scroll(&model);
        assert!(bottom > 1, "{w}x{h}: the help is longer than the box");
        for _ in 0..70 {
            let _ = step(&mut model, key('j'));
        }
        assert_eq!(help_scroll(&model), bottom, "{w}x{h}: not past the end");
        let _ = step(&mut model, key('k'));
        assert_eq!(help_scroll(&model), bottom - 1);
        let _ = step(&mut model, key('g'));
        assert_eq!(help_scroll(&model), 0);
        let _ = step(&mut model, key('?'));
        assert!(matches!(model.mode, Mode::Normal));
    }
}
