//! `update` as a pure function: what it asks of the outside world depends on the model
//! and the message only, and answers for requests it no longer waits for are dropped.

use crossterm::event::KeyCode;

use super::effect::Effect;
use super::fixtures::*;
use super::key_mint::KeyMint;
use super::update::update;
use crate::domain::ChargeStatus;

/// Opens the capture dialog on an authorisation and sends it.
fn capture(model: &mut super::model::Model) -> Vec<Effect> {
    select_status(model, ChargeStatus::Authorised);
    let _ = update(model, key('c'));
    update(model, code(KeyCode::Enter))
}

#[test]
fn a_write_takes_its_key_from_the_models_source() {
    let mut model = loaded(10, fixture_caps());
    model.key_mint = KeyMint::seeded(42);
    let mut twin = model.clone();
    let effects = capture(&mut model);
    assert_eq!(
        effects,
        capture(&mut twin),
        "same model, same message, same effects"
    );
    let [Effect::Capture { key, .. }] = effects.as_slice() else {
        panic!("expected a capture, got {effects:?}");
    };
    assert_eq!(*key, KeyMint::seeded(42).next_key());
}
