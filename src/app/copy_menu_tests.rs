//! `y` and `Y`: ids copied with the word for what they are, and the menu's choices, keys
//! and effects on the charges list, a customer list and a payout.

use crossterm::event::KeyCode;

use super::*;
use crate::app::fixtures::*;
use crate::app::msg::Msg;
use crate::app::pane_tests::customer;
use crate::app::update::update;
use crate::domain::ChargeStatus;

fn menu(model: &Model) -> &CopyMenu {
    match &model.mode {
        Mode::CopyMenu(menu) => menu,
        other => panic!("no copy menu: {other:?}"),
    }
}

#[test]
fn big_y_offers_the_charges_amount_email_and_raw_json_and_copies_the_chosen() {
    let mut model = loaded(5, fixture_caps());
    let mut with_raw = charge(5, ChargeStatus::Captured);
    with_raw.raw = RawJson::new(r#"{"token":"ch_0005"}"#);
    model.update_charge(&with_raw);
    let effects = update(&mut model, key('Y'));
    assert!(effects.is_empty());
    let m = menu(&model);
    assert_eq!(m.about, "charge ch_0005");
    let whats: Vec<&str> = m.choices.iter().map(|c| c.copying.what.as_str()).collect();
    assert_eq!(whats, ["amount", "email", "raw JSON"]);
    assert_eq!(m.choices[0].copying.text, "50.00 AUD");
    assert_eq!(m.choices[1].copying.text, "buyer5@example.com");
    // Down twice (past the end stays on the last), then Enter.
    let _ = run(&mut model, [key('j'), code(KeyCode::Down), key('j')]);
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [Effect::Copy(Copying {
            what: "raw JSON".into(),
            text: r#"{"token":"ch_0005"}"#.into()
        })]
    );
    assert!(matches!(model.mode, Mode::Normal));
    let _ = update(
        &mut model,
        Msg::Copied {
            what: "raw JSON".into(),
            result: Ok("OSC 52"),
        },
    );
    assert_eq!(
        model.toasts.back().unwrap().text,
        "Copied the raw JSON (OSC 52)"
    );
}

#[test]
fn esc_closes_the_menu_without_copying() {
    let mut model = loaded(5, fixture_caps());
    let _ = update(&mut model, key('Y'));
    let effects = update(&mut model, code(KeyCode::Esc));
    assert!(effects.is_empty());
    assert!(matches!(model.mode, Mode::Normal));
}

#[test]
fn on_the_customers_list_y_copies_the_customer_id_and_big_y_offers_the_email() {
    let mut model = loaded(5, fixture_caps());
    let _ = command(&mut model, "customers");
    let page = answer(&model, Ok(last_page(vec![customer(1), customer(2)], None)));
    let _ = update(&mut model, Msg::CustomersLoaded(page));
    let effects = update(&mut model, key('y'));
    assert_eq!(
        effects,
        [Effect::Copy(Copying {
            what: "customer id".into(),
            text: "cus_1".into()
        })]
    );
    let _ = update(&mut model, key('Y'));
    let m = menu(&model);
    assert_eq!(m.about, "customer cus_1");
    // The fixture customer has no raw JSON: only the email.
    let whats: Vec<&str> = m.choices.iter().map(|c| c.copying.what.as_str()).collect();
    assert_eq!(whats, ["email"]);
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [Effect::Copy(Copying {
            what: "email".into(),
            text: "person1@example.com".into()
        })]
    );
}

#[test]
fn with_nothing_selected_big_y_opens_nothing() {
    let mut model = loaded(0, fixture_caps());
    let _ = command(&mut model, "refunds");
    let page = answer(
        &model,
        Ok(last_page(Vec::<crate::domain::Refund>::new(), None)),
    );
    let _ = update(&mut model, Msg::RefundListLoaded(page));
    let _ = update(&mut model, key('Y'));
    assert!(matches!(model.mode, Mode::Normal));
}
