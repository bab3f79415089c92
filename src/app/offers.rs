//! What may be done now, and why not: the one answer for every action the keys and
//! commands offer. The key handlers ask it before they do anything (and toast its
//! reason); the status line, the help and the charge's detail only display it.

use super::keymap::Intent;
use super::model::{Loadable, Model, ToastKind};
use super::screens::stack::Target;
use super::screens::{Pane, Section, disputes::target_dispute};
use crate::domain::{Action, Charge, ChargeStatus, PayoutPlace, check_action};
use crate::gateway::Capabilities;

/// Everything the operator can ask for that may be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Capture,
    Void,
    Refund,
    Verify3ds,
    OpenCustomer,
    CopyId,
    SubmitEvidence,
    AcceptDispute,
    NewCharge,
    DeleteCard,
    CancelSubscription,
    DeleteCustomer,
    Customers,
    Refunds,
    Disputes,
    Payouts,
    Balance,
    /// The payout a charge's money went into, from its detail.
    OpenPayout,
}

impl Act {
    pub const ALL: [Act; 18] = [
        Act::Capture,
        Act::Void,
        Act::Refund,
        Act::Verify3ds,
        Act::OpenCustomer,
        Act::CopyId,
        Act::SubmitEvidence,
        Act::AcceptDispute,
        Act::NewCharge,
        Act::DeleteCard,
        Act::CancelSubscription,
        Act::DeleteCustomer,
        Act::Customers,
        Act::Refunds,
        Act::Disputes,
        Act::Payouts,
        Act::Balance,
        Act::OpenPayout,
    ];

    /// The key's intent for this act; the screens (`:customers`...) are commands.
    pub fn intent(self) -> Option<Intent> {
        Some(match self {
            Act::Capture => Intent::Capture,
            Act::Void => Intent::Void,
            Act::Refund => Intent::Refund,
            Act::Verify3ds => Intent::Verify3ds,
            Act::OpenCustomer => Intent::OpenCustomer,
            Act::CopyId => Intent::Copy,
            Act::SubmitEvidence => Intent::SubmitEvidence,
            Act::AcceptDispute => Intent::AcceptDispute,
            Act::NewCharge => Intent::NewCharge,
            Act::DeleteCard => Intent::DeleteCard,
            Act::CancelSubscription => Intent::CancelSubscription,
            Act::DeleteCustomer => Intent::DeleteCustomer,
            Act::OpenPayout => Intent::OpenPayout,
            Act::Customers | Act::Refunds | Act::Disputes | Act::Payouts | Act::Balance => {
                return None;
            }
        })
    }

    /// The act a key asks for, if it is one that may be refused.
    pub fn of_intent(intent: Intent) -> Option<Act> {
        Act::ALL
            .into_iter()
            .find(|act| act.intent() == Some(intent))
    }

    fn on_charges(self) -> bool {
        matches!(self, Act::Capture | Act::Void | Act::Refund)
    }
}

/// Why an act is not on offer now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing on screen for it to act on: the key does nothing, silently.
    NothingSelected,
    /// The profile is read-only.
    ReadOnly,
    /// The gateway cannot do it; the words say so.
    GatewayCannot(String),
    /// What is selected does not allow it (its status, its data).
    NotNow(String),
    /// Something of the same charge, dispute, card or customer is still in flight.
    InFlight { what: &'static str, of: String },
    /// It applies to another section of this screen.
    OtherSection(&'static str),
}

impl Refusal {
    /// The toast a key shows for `act` refused so; none where nothing is selected.
    pub fn toast(&self, act: Act) -> Option<String> {
        Some(match self {
            Refusal::NothingSelected => return None,
            Refusal::ReadOnly => match act {
                Act::Verify3ds => "Read-only: verifying 3-D Secure is off".into(),
                Act::SubmitEvidence | Act::AcceptDispute => {
                    "Read-only: disputes cannot be answered".into()
                }
                _ if act.on_charges() => "Read-only: capture, void and refund are off".into(),
                _ => "Read-only: changes to customers are off".into(),
            },
            // A charge's refusals read as the rest of a sentence in the detail.
            Refusal::GatewayCannot(why) | Refusal::NotNow(why)
                if act.on_charges() || act == Act::Verify3ds =>
            {
                capitalised(why)
            }
            Refusal::GatewayCannot(why) | Refusal::NotNow(why) => why.clone(),
            Refusal::InFlight { what, of } if act == Act::NewCharge => {
                format!("A {what} for {of} is still in flight")
            }
            Refusal::InFlight { what, of } => format!("A {what} of {of} is still in flight"),
            Refusal::OtherSection(why) => (*why).to_string(),
        })
    }

    /// The words beside an action in the charge's detail.
    pub fn verdict(&self) -> String {
        match self {
            Refusal::NothingSelected => "nothing selected".into(),
            Refusal::ReadOnly => "read-only: this profile cannot change charges".into(),
            Refusal::InFlight { what, .. } => format!("wait: a {what} is in flight"),
            Refusal::GatewayCannot(why) | Refusal::NotNow(why) => why.clone(),
            Refusal::OtherSection(why) => (*why).to_string(),
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether this gateway can do what the key does at all (the help lists only those).
pub fn gateway_can(caps: &Capabilities, intent: Intent) -> bool {
    match intent {
        Intent::OpenCustomer | Intent::NewCharge | Intent::DeleteCard | Intent::DeleteCustomer => {
            caps.customers
        }
        Intent::CancelSubscription => caps.customers && caps.subscriptions,
        Intent::SubmitEvidence | Intent::AcceptDispute => caps.disputes,
        Intent::Verify3ds => caps.three_d_secure,
        Intent::OpenPayout => caps.charge_settlement && caps.payouts,
        _ => true,
    }
}

/// The charge the keys act on (see `Screens::target`), for app and ui alike.
pub fn target(model: &Model) -> Option<Target<'_>> {
    model.screens.target()
}

/// The charge the keys act on, where it is loaded.
pub fn target_charge(model: &Model) -> Option<&Charge> {
    target(model).and_then(|t| t.charge)
}

/// Whether `act` may be done now, on whatever the keys would apply it to.
pub fn check(model: &Model, act: Act) -> Result<(), Refusal> {
    let caps = &model.session.caps;
    match act {
        Act::Capture | Act::Void | Act::Refund | Act::Verify3ds | Act::OpenCustomer => {
            let target = target(model).ok_or(Refusal::NothingSelected)?;
            match target.charge {
                Some(charge) => on_charge(model, charge, act),
                // Before its charge has loaded, only read-only and in-flight are known.
                None if act == Act::OpenCustomer => Err(no_customer(target.id)),
                None => {
                    charge_writable(model, act, target.id)?;
                    Err(Refusal::NothingSelected)
                }
            }
        }
        // What the status line offers to copy: a charge's id, once it is loaded.
        Act::CopyId => target_charge(model)
            .map(|_| ())
            .ok_or(Refusal::NothingSelected),
        Act::SubmitEvidence | Act::AcceptDispute => {
            let dispute = target_dispute(model).ok_or(Refusal::NothingSelected)?;
            writable(model)?;
            if !caps.disputes {
                return Err(not_here(model, "disputes"));
            }
            let open = dispute.status.needs_response();
            let label = dispute.status.label();
            ready(model, &dispute.id, open, || {
                format!(
                    "{} is {label}; only a dispute that needs a response can be answered",
                    dispute.id
                )
            })
        }
        Act::NewCharge | Act::DeleteCard | Act::CancelSubscription | Act::DeleteCustomer => {
            customer_act(model, act)
        }
        Act::Customers if !caps.customers => Err(not_here(model, "customers")),
        Act::Refunds if !caps.refund_list => Err(Refusal::GatewayCannot(format!(
            "{} has no list of all refunds; a charge's refunds are on the charge (Enter)",
            model.session.gateway
        ))),
        Act::Disputes if !caps.disputes => Err(not_here(model, "disputes")),
        Act::Payouts if !caps.payouts => Err(not_here(model, "payouts")),
        Act::Balance if !caps.balance => Err(not_here(model, "balance")),
        Act::OpenPayout => settled_payout(model).map(|_| ()),
        Act::Customers | Act::Refunds | Act::Disputes | Act::Payouts | Act::Balance => Ok(()),
    }
}

/// The payout the keys' charge went into, as its detail shows it; why not where it
/// has none to open.
pub fn settled_payout(model: &Model) -> Result<&str, Refusal> {
    let target = target(model).ok_or(Refusal::NothingSelected)?;
    if !model.session.caps.charge_settlement || !model.session.caps.payouts {
        return Err(not_here(model, "payouts for a charge"));
    }
    let detail = model
        .screens
        .details()
        .find(|d| d.charge_id == target.id)
        .ok_or(Refusal::NothingSelected)?;
    match &detail.settlement {
        Loadable::Loaded(Some(settlement)) => match &settlement.payout {
            PayoutPlace::PaidOut { payout_id } => Ok(payout_id),
            _ => Err(Refusal::NotNow(format!(
                "{} is not yet paid out",
                target.id
            ))),
        },
        _ => Err(Refusal::NothingSelected),
    }
}

/// For the key handlers: true if `act` may be done now; if not, the operator is told
/// why (nothing is said where nothing is selected).
pub(crate) fn allowed(model: &mut Model, act: Act) -> bool {
    match check(model, act) {
        Ok(()) => true,
        Err(refusal) => {
            if let Some(text) = refusal.toast(act) {
                model.toast(ToastKind::Info, text);
            }
            false
        }
    }
}

/// Whether `act` may be done now on `charge` (the one shown in a detail, which need
/// not be the keys' target).
pub fn on_charge(model: &Model, charge: &Charge, act: Act) -> Result<(), Refusal> {
    let caps = &model.session.caps;
    match act {
        Act::Capture | Act::Void | Act::Refund => {
            charge_writable(model, act, &charge.id)?;
            let action = match act {
                Act::Capture => Action::Capture,
                Act::Void => Action::Void,
                _ => Action::Refund,
            };
            check_action(action, charge, caps).map_err(|refusal| match act {
                Act::Void if !caps.void => Refusal::GatewayCannot(refusal.0),
                _ => Refusal::NotNow(refusal.0),
            })
        }
        Act::Verify3ds => {
            writable(model)?;
            if charge.status != ChargeStatus::Pending3ds {
                return Err(Refusal::NotNow(format!(
                    "only a charge waiting on 3-D Secure can be verified; {} is {}",
                    charge.id, charge.status
                )));
            }
            if !caps.three_d_secure {
                return Err(Refusal::GatewayCannot(format!(
                    "{} has no 3-D Secure verification to call",
                    model.session.gateway
                )));
            }
            not_busy(model, &charge.id)
        }
        Act::OpenCustomer => {
            if charge.customer_id.as_deref().is_none_or(str::is_empty) {
                return Err(no_customer(&charge.id));
            }
            if !caps.customers {
                return Err(not_here(model, "customers"));
            }
            Ok(())
        }
        Act::CopyId => Ok(()),
        other => check(model, other),
    }
}

/// Read-only first, then anything of the same charge in flight.
fn charge_writable(model: &Model, act: Act, id: &str) -> Result<(), Refusal> {
    writable(model)?;
    match act {
        Act::Verify3ds | Act::OpenCustomer => Ok(()),
        _ => not_busy(model, id),
    }
}

fn writable(model: &Model) -> Result<(), Refusal> {
    match model.session.read_only {
        true => Err(Refusal::ReadOnly),
        false => Ok(()),
    }
}

fn not_busy(model: &Model, id: &str) -> Result<(), Refusal> {
    match model.busy.get(id) {
        Some(what) => Err(Refusal::InFlight {
            what,
            of: id.to_string(),
        }),
        None => Ok(()),
    }
}

/// `id` may be acted on when its state allows it (`allowed`; else `why` it does not)
/// and nothing is in flight on it.
fn ready(
    model: &Model,
    id: &str,
    allowed: bool,
    why: impl FnOnce() -> String,
) -> Result<(), Refusal> {
    if !allowed {
        return Err(Refusal::NotNow(why()));
    }
    not_busy(model, id)
}

fn no_customer(id: &str) -> Refusal {
    Refusal::NotNow(format!("{id} has no saved customer"))
}

/// In neutral words: this gateway has no `what`.
fn not_here(model: &Model, what: &str) -> Refusal {
    Refusal::GatewayCannot(format!(
        "{} has no {what} paydeck can read",
        model.session.gateway
    ))
}

/// The acts on the customer on top, in the order its keys check them.
fn customer_act(model: &Model, act: Act) -> Result<(), Refusal> {
    let Some(Pane::Customer(pane)) = model.screens.top() else {
        return Err(Refusal::NothingSelected);
    };
    writable(model)?;
    let caps = &model.session.caps;
    let gateway = model.session.gateway;
    match act {
        Act::DeleteCard => {
            if !caps.customers {
                return Err(not_here(model, "saved cards"));
            }
            if pane.section != Section::Cards {
                return Err(Refusal::OtherSection("Tab to the cards to delete one"));
            }
            let card = pane.selected_card().ok_or(Refusal::NothingSelected)?;
            if card.primary && !caps.delete_primary_card {
                return Err(Refusal::GatewayCannot(format!(
                    "{gateway} will not delete the primary card ••{}: make another card primary on {gateway} first, or delete the customer (D)",
                    card.last4
                )));
            }
            not_busy(model, &card.id)
        }
        Act::CancelSubscription => {
            if !caps.subscriptions {
                return Err(not_here(model, "subscriptions"));
            }
            if pane.section != Section::Subscriptions {
                return Err(Refusal::OtherSection(
                    "Tab to the subscriptions to cancel one",
                ));
            }
            let sub = pane
                .selected_subscription()
                .ok_or(Refusal::NothingSelected)?;
            let label = sub.state.label();
            ready(model, &sub.id, sub.state.can_cancel(), || {
                format!(
                    "Only a trial or active subscription can be cancelled; {} is {label}",
                    sub.id
                )
            })
        }
        _ => {
            let Loadable::Loaded(customer) = &pane.customer else {
                return Err(Refusal::NothingSelected);
            };
            let chargeable = act != Act::NewCharge || customer.primary_card.is_some();
            ready(model, &customer.id, chargeable, || {
                "This customer has no saved card to charge".into()
            })
        }
    }
}

/// Each of `acts` that may be done now, as the intent of its key and its name on the
/// status line.
pub fn offered(model: &Model, acts: &[(Act, &'static str)]) -> Vec<(Intent, &'static str)> {
    acts.iter()
        .filter(|&&(act, _)| check(model, act).is_ok())
        .filter_map(|&(act, name)| Some((act.intent()?, name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::app::fixtures::*;
    use crate::app::model::Mode;
    use crate::app::msg::{Msg, Polled};
    use crate::app::pane_tests::customer_open_on;
    use crate::app::{Effect, update};
    use crate::domain::ChargeStatus;

    /// The charges list with a charge waiting on 3-D Secure selected, its session known.
    fn pending_3ds(caps: Capabilities) -> Model {
        let mut model = loaded(5, caps);
        let mut pending = charge(6, ChargeStatus::Pending3ds);
        pending.three_d_secure_session = Some("se_abc".into());
        let polled = Polled {
            newer: vec![pending],
            refreshed: Vec::new(),
            total: None,
            older: None,
            first: false,
        };
        let _ = update(&mut model, Msg::Polled(Ok(polled)));
        model.screens.charges.list.select_row(0);
        model
    }

    fn last_toast(model: &Model) -> Option<&str> {
        model.toasts.back().map(|t| t.text.as_str())
    }

    /// The key sends no request, opens no dialog, and says `toast`.
    fn refused_by_key(model: &mut Model, key_char: char, toast: Option<&str>) {
        let before = model.toasts.len();
        assert_eq!(update(model, key(key_char)), Vec::<Effect>::new());
        assert!(matches!(model.mode, Mode::Normal), "{:?}", model.mode);
        match toast {
            Some(text) => assert_eq!(last_toast(model), Some(text)),
            None => assert_eq!(model.toasts.len(), before),
        }
    }

    #[test]
    fn a_read_only_profile_refuses_every_change() {
        let mut model = loaded(10, fixture_caps());
        model.session.read_only = true;
        select_status(&mut model, ChargeStatus::Authorised);
        for act in [Act::Capture, Act::Void] {
            assert_eq!(check(&model, act), Err(Refusal::ReadOnly));
        }
        assert_eq!(check(&model, Act::CopyId), Ok(()));
        refused_by_key(
            &mut model,
            'c',
            Some("Read-only: capture, void and refund are off"),
        );
    }

    #[test]
    fn the_charges_status_refuses_what_it_does_not_allow() {
        let mut model = loaded(10, fixture_caps());
        select_status(&mut model, ChargeStatus::Captured);
        assert_eq!(check(&model, Act::Refund), Ok(()));
        let Err(Refusal::NotNow(why)) = check(&model, Act::Capture) else {
            panic!("capture offered on a captured charge");
        };
        assert!(why.starts_with("only an authorised charge can be captured"));
        refused_by_key(&mut model, 'c', Some(&capitalised(&why)));
    }

    #[test]
    fn a_gateway_without_3ds_is_not_asked_to_verify() {
        let caps = Capabilities {
            three_d_secure: false,
            ..fixture_caps()
        };
        let mut model = pending_3ds(caps);
        let refusal = check(&model, Act::Verify3ds).unwrap_err();
        let Refusal::GatewayCannot(why) = &refusal else {
            panic!("{refusal:?}");
        };
        assert!(why.ends_with("has no 3-D Secure verification to call"));
        assert!(!gateway_can(&caps, Intent::Verify3ds));
        refused_by_key(&mut model, 'a', Some(why));
        // The same charge on a gateway with 3-D Secure is verified by the same key.
        let mut model = pending_3ds(fixture_caps());
        assert!(matches!(
            update(&mut model, key('a')).as_slice(),
            [Effect::Verify { .. }]
        ));
    }

    #[test]
    fn an_action_in_flight_refuses_another_on_the_same_charge() {
        let mut model = pending_3ds(fixture_caps());
        model.busy.insert("ch_0006".into(), "verify");
        let in_flight = Refusal::InFlight {
            what: "verify",
            of: "ch_0006".into(),
        };
        assert_eq!(check(&model, Act::Verify3ds), Err(in_flight.clone()));
        assert_eq!(in_flight.verdict(), "wait: a verify is in flight");
        refused_by_key(
            &mut model,
            'a',
            Some("A verify of ch_0006 is still in flight"),
        );
    }

    #[test]
    fn with_nothing_selected_a_key_does_nothing_and_says_nothing() {
        let mut model = loaded(0, fixture_caps());
        for act in [Act::Capture, Act::Verify3ds, Act::OpenCustomer, Act::CopyId] {
            assert_eq!(check(&model, act), Err(Refusal::NothingSelected));
        }
        let before = model.toasts.len();
        assert!(update(&mut model, key('c')).is_empty());
        assert_eq!(model.toasts.len(), before);
    }

    #[test]
    fn a_card_is_deleted_from_the_cards_section_only() {
        let mut model = customer_open_on(fixture_caps());
        let refusal = check(&model, Act::DeleteCard).unwrap_err();
        assert_eq!(
            refusal,
            Refusal::OtherSection("Tab to the cards to delete one")
        );
        assert!(update(&mut model, key('d')).is_empty());
        assert_eq!(
            last_toast(&model),
            refusal.toast(Act::DeleteCard).as_deref()
        );
        assert!(matches!(model.mode, Mode::Normal));
    }

    #[test]
    fn screens_the_gateway_lacks_are_refused_in_its_words() {
        let model = loaded(1, crate::test_gateways::NO_CUSTOMERS.caps);
        let refusal = check(&model, Act::Customers).unwrap_err();
        assert!(matches!(refusal, Refusal::GatewayCannot(_)), "{refusal:?}");
        assert_eq!(check(&model, Act::Refunds), Ok(()));
    }

    #[test]
    fn the_target_is_the_open_charge_when_the_detail_has_the_keys() {
        let mut model = loaded(10, fixture_caps());
        model.screen = (160, 40);
        select_status(&mut model, ChargeStatus::Authorised);
        let selected_id = |model: &Model| model.screens.charges.list.selected().unwrap().id.clone();
        let open = selected_id(&model);
        let _ = update(&mut model, code(KeyCode::Enter));
        let _ = update(&mut model, key('j'));
        let selected = selected_id(&model);
        assert_ne!(open, selected);
        assert_eq!(target(&model).map(|t| t.id), Some(selected.as_str()));
        let _ = update(&mut model, code(KeyCode::Tab));
        assert_eq!(target(&model).map(|t| t.id), Some(open.as_str()));
        assert_eq!(
            target_charge(&model).map(|c| c.status),
            Some(ChargeStatus::Authorised)
        );
        assert_eq!(check(&model, Act::Capture), Ok(()));
    }
}
