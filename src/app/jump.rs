//! `:charge ID`, `:customer ID`, `:payout ID`: straight to an object's screen. The
//! screen opens at once, as `Enter` on a list opens it, and asks the gateway; if the
//! gateway has no such object the screen closes again and says so, so the dashboard is
//! where it was before the command.

use super::effect::Effect;
use super::model::{Model, ToastKind};
use super::offers::{self, Act};
use super::screens::{Pane, charge, customer, payout};
use crate::gateway::GatewayError;

/// What a jump opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JumpTo {
    Charge,
    Customer,
    Payout,
}

impl JumpTo {
    pub fn word(self) -> &'static str {
        match self {
            JumpTo::Charge => "charge",
            JumpTo::Customer => "customer",
            JumpTo::Payout => "payout",
        }
    }

    /// Whether `pane` is this kind's screen of `id`.
    fn shows(self, pane: &Pane, id: &str) -> bool {
        match (self, pane) {
            (JumpTo::Charge, Pane::Charge(detail)) => detail.charge_id == id,
            (JumpTo::Customer, Pane::Customer(pane)) => pane.id == id,
            (JumpTo::Payout, Pane::Payout(pane)) => pane.payout_id == id,
            _ => false,
        }
    }
}

/// A jump whose object the gateway has not yet answered for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub to: JumpTo,
    pub id: String,
}

/// Opens the screen of `id`; where the gateway cannot show such objects, says so and
/// opens nothing.
pub(crate) fn jump(model: &mut Model, to: JumpTo, id: String) -> Vec<Effect> {
    let act = match to {
        JumpTo::Charge => None,
        JumpTo::Customer => Some(Act::Customers),
        JumpTo::Payout => Some(Act::Payouts),
    };
    if act.is_some_and(|act| !offers::allowed(model, act)) {
        return Vec::new();
    }
    // Already there: nothing to open twice.
    if model.screens.top().is_some_and(|pane| to.shows(pane, &id)) {
        return Vec::new();
    }
    let effects = match to {
        JumpTo::Charge => charge::open_charge(model, &id),
        JumpTo::Customer => customer::open_customer(model, &id),
        JumpTo::Payout => payout::open_payout_by_id(model, &id),
    };
    model.jump = Some(Jump { to, id });
    effects
}

/// The gateway answered about `id`: if that ends a jump to it and the gateway has no
/// such object, the screen the jump opened closes (if it is still on top) and the
/// toast says what was not found. Any other failure stays on the screen, as it would
/// after `Enter`, where it can be read again.
pub(crate) fn answered<T>(
    model: &mut Model,
    to: JumpTo,
    id: &str,
    result: &Result<T, GatewayError>,
) {
    if model.jump.as_ref() != Some(&Jump { to, id: id.into() }) {
        return;
    }
    model.jump = None;
    let Err(GatewayError::NotFound { .. }) = result else {
        return;
    };
    if model.screens.top().is_some_and(|pane| to.shows(pane, id)) {
        model.screens.pop();
    }
    let text = format!(
        "No {} {id} at {} ({})",
        to.word(),
        model.session.gateway,
        model.session.profile
    );
    model.toast(ToastKind::Error, text);
    model.touch();
}

#[cfg(test)]
mod tests {
    use super::super::command::{Command, parse};
    use super::super::fixtures::*;
    use super::super::msg::{Answer, Msg};
    use super::super::pane_tests::customer;
    use super::super::update::update;
    use super::*;
    use crate::domain::ChargeStatus;

    fn not_found(id: &str) -> GatewayError {
        GatewayError::NotFound {
            message: format!("no {id}"),
        }
    }

    #[test]
    fn the_command_takes_one_id_of_a_bounded_length() {
        let caps = fixture_caps();
        assert_eq!(
            parse("charge ch_1", &caps),
            Ok(Command::Jump(JumpTo::Charge, "ch_1".into()))
        );
        assert_eq!(
            parse("payout po_9", &caps),
            Ok(Command::Jump(JumpTo::Payout, "po_9".into()))
        );
        let usage = parse("customer", &caps).unwrap_err();
        assert!(usage.contains("usage: :customer ID"), "{usage}");
        let two = parse("charge a b", &caps).unwrap_err();
        assert!(two.contains("usage: :charge ID"), "{two}");
        let long = parse(&format!("charge {}", "x".repeat(300)), &caps).unwrap_err();
        assert!(long.contains("at most 255"), "{long}");
    }

    #[test]
    fn a_charge_jumped_to_opens_its_screen_at_once() {
        let mut model = loaded(5, fixture_caps());
        let effects = command(&mut model, "charge ch_0999");
        assert!(
            effects.contains(&Effect::LoadCharge("ch_0999".into())),
            "{effects:?}"
        );
        assert_eq!(model.breadcrumb(), ["charges", "charge ch_0999"]);
        let found = Box::new(charge(999, ChargeStatus::Captured));
        let _ = update(
            &mut model,
            Msg::ChargeLoaded(Answer::new("ch_0999", Ok(found))),
        );
        assert_eq!(model.breadcrumb(), ["charges", "charge ch_0999"]);
        assert_eq!(model.jump, None);
    }

    #[test]
    fn an_unknown_id_says_so_and_the_dashboard_stays_where_it_was() {
        let mut model = loaded(5, fixture_caps());
        let _ = command(&mut model, "refunds");
        for (line, msg) in [
            (
                "charge ch_nope",
                Msg::ChargeLoaded(Answer::new("ch_nope", Err(not_found("ch_nope")))),
            ),
            (
                "customer cus_nope",
                Msg::CustomerLoaded(Answer::new("cus_nope", Err(not_found("cus_nope")))),
            ),
            (
                "payout po_nope",
                Msg::PayoutLoaded(Answer::new("po_nope", Err(not_found("po_nope")))),
            ),
        ] {
            let _ = command(&mut model, line);
            assert_eq!(
                model.breadcrumb().len(),
                3,
                "{line}: {:?}",
                model.breadcrumb()
            );
            let _ = update(&mut model, msg);
            assert_eq!(model.breadcrumb(), ["charges", "refunds"], "{line}");
            let toast = model.toasts.back().unwrap();
            let (word, id) = line.split_once(' ').unwrap();
            assert_eq!(toast.kind, ToastKind::Error);
            assert!(
                toast.text.starts_with(&format!("No {word} {id} at ")),
                "{}",
                toast.text
            );
        }
    }

    #[test]
    fn another_failure_stays_on_the_screen_and_a_found_customer_loads() {
        let mut model = loaded(5, fixture_caps());
        let _ = command(&mut model, "customer cus_1");
        let down = GatewayError::Timeout;
        let _ = update(
            &mut model,
            Msg::CustomerLoaded(Answer::new("cus_1", Err(down))),
        );
        assert_eq!(model.breadcrumb(), ["charges", "customer cus_1"]);
        let effects = command(&mut model, "customer cus_1");
        assert!(effects.is_empty(), "already there: {effects:?}");
        let _ = update(
            &mut model,
            Msg::CustomerLoaded(Answer::new("cus_1", Ok(customer(1)))),
        );
        assert_eq!(
            model.breadcrumb(),
            ["charges", "customer person1@example.com"]
        );
    }

    #[test]
    fn a_gateway_without_payouts_opens_nothing() {
        let caps = caps_with(|c| c.payouts = false);
        let mut model = loaded(5, caps);
        let effects = command(&mut model, "payout po_1");
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(model.breadcrumb(), ["charges"]);
    }
}
