//! `update` offers only what the gateway can do, and sends nothing the screen already
//! knows the gateway will refuse.

use crossterm::event::KeyCode;

use super::dialogs::DialogState;
use super::effect::Effect;
use super::fixtures::*;
use super::model::{Loadable, Mode, Model, ToastKind};
use super::msg::{Answer, Msg};
use super::pane_tests::{customer_open_on, pane};
use super::screens::Section;
use super::update::update;
use crate::gateway::{Capabilities, GatewayError, OperationKey};
use crate::test_gateways::{NO_CUSTOMERS, NO_REFUND_LIST, TestGateway, WITH_DISPUTES};

fn on(gateway: TestGateway) -> Model {
    let mut model = loaded(5, gateway.caps);
    model.session.gateway = gateway.label;
    model
}

/// Customer `cus_1` open on the gateway with disputes, which deletes a primary card
/// (searching only what is held, as the fixtures do).
fn customer_open_with_disputes() -> Model {
    let mut model = customer_open_on(Capabilities {
        server_search: false,
        ..WITH_DISPUTES.caps
    });
    model.session.gateway = WITH_DISPUTES.label;
    model
}

fn last_toast(model: &Model) -> (ToastKind, String) {
    let toast = model.toasts.back().expect("a toast");
    (toast.kind, toast.text.clone())
}

#[test]
fn customers_are_not_opened_where_the_gateway_has_none() {
    let mut model = on(NO_CUSTOMERS);
    assert!(command(&mut model, "customers").is_empty());
    assert!(model.screens.at_bottom());
    assert_eq!(
        last_toast(&model),
        (
            ToastKind::Info,
            format!("{} has no customers paydeck can read", NO_CUSTOMERS.label)
        )
    );
}

#[test]
fn refunds_are_not_listed_where_the_gateway_cannot_list_them() {
    let mut model = on(NO_REFUND_LIST);
    assert!(command(&mut model, "refunds").is_empty());
    assert!(model.screens.at_bottom());
    let (kind, text) = last_toast(&model);
    assert_eq!(kind, ToastKind::Info);
    assert!(
        text.starts_with(&format!(
            "{} has no list of all refunds",
            NO_REFUND_LIST.label
        )),
        "{text}"
    );
}

#[test]
fn a_gateway_without_subscriptions_is_no_error_and_x_says_so() {
    let mut model = customer_open_with_disputes();
    let _ = update(
        &mut model,
        Msg::SubscriptionsLoaded(Answer::new(
            "cus_1",
            Err(GatewayError::Unsupported("subscriptions")),
        )),
    );
    assert_eq!(
        pane(&model).subscriptions.items,
        Loadable::Loaded(Vec::new())
    );
    let _ = update(&mut model, code(KeyCode::Tab));
    let _ = update(&mut model, code(KeyCode::Tab));
    assert_eq!(pane(&model).section, Section::Subscriptions);
    assert!(update(&mut model, key('x')).is_empty());
    assert!(matches!(model.mode, Mode::Normal));
    assert_eq!(
        last_toast(&model),
        (
            ToastKind::Info,
            format!(
                "{} has no subscriptions paydeck can read",
                WITH_DISPUTES.label
            )
        )
    );
}

#[test]
fn the_primary_card_is_not_sent_for_deletion_where_the_gateway_refuses_it() {
    // Some gateways refuse to delete a primary card; the key says what to do instead.
    let mut model = customer_open_on(fixture_caps());
    let _ = update(&mut model, code(KeyCode::Tab));
    assert!(pane(&model).selected_card().unwrap().primary);
    assert!(update(&mut model, key('d')).is_empty());
    assert!(matches!(model.mode, Mode::Normal), "no dialog to send it");
    let (kind, text) = last_toast(&model);
    assert_eq!(kind, ToastKind::Info);
    assert!(
        text.contains("will not delete the primary card ••4242")
            && text.contains("make another card primary")
            && text.contains("delete the customer (D)"),
        "{text}"
    );
}

#[test]
fn where_the_gateway_deletes_a_primary_card_the_dialog_says_what_follows() {
    let mut model = customer_open_with_disputes();
    let _ = update(&mut model, code(KeyCode::Tab));
    let _ = update(&mut model, key('d'));
    let dialog = confirm_dialog(&model);
    let warning = dialog.warning.as_deref().unwrap();
    assert!(
        warning.contains(&format!(
            "{} makes another saved card primary",
            WITH_DISPUTES.label
        )),
        "{warning}"
    );
    let effects = update(&mut model, code(KeyCode::Enter));
    let [Effect::Confirmed { action, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // The gateway still has the last word, in its own words.
    let _ = update(
        &mut model,
        Msg::ConfirmedDone {
            key: OperationKey::new(),
            action: action.clone(),
            result: Err(GatewayError::Refused {
                code: "card_declined".into(),
                message: "No such source".into(),
            }),
        },
    );
    let dialog = confirm_dialog(&model);
    assert_eq!(dialog.state, DialogState::Failed("No such source".into()));
}

#[test]
fn tab_completes_the_command_line() {
    let mut model = on(NO_CUSTOMERS);
    let _ = update(&mut model, key(':'));
    type_text(&mut model, "rec");
    let _ = update(&mut model, code(KeyCode::Tab));
    let Mode::Command { input, .. } = &model.mode else {
        panic!("the command line stays open")
    };
    assert_eq!(input.value(), "recon ");
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = update(&mut model, key(':'));
    type_text(&mut model, "ref");
    let _ = update(&mut model, code(KeyCode::Tab));
    let Mode::Command { input, .. } = &model.mode else {
        panic!("the command line stays open")
    };
    // `refresh` and `refunds` agree on "ref" only.
    assert_eq!(input.value(), "ref");
    type_text(&mut model, "u");
    let _ = update(&mut model, code(KeyCode::Tab));
    let Mode::Command { input, .. } = &model.mode else {
        panic!()
    };
    assert_eq!(input.value(), "refunds");
    // The cursor is at the end: what is typed next follows the completion.
    let _ = update(&mut model, code(KeyCode::Esc));
    let _ = update(&mut model, key(':'));
    type_text(&mut model, "p o");
    let _ = update(&mut model, code(KeyCode::Tab));
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(effects, [Effect::SwitchProfile("other".into())]);
}
