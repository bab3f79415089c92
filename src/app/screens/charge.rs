//! One charge on its own, reached from a customer, a refund or a dispute; and the
//! answers about a charge that any screen showing it takes in (its refunds, a newer
//! copy, its dispute, a 3-D Secure verification).

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Model, ToastKind};
use super::{Hint, Pane, scrolled};
use crate::app::offers::{self, Act};
use crate::domain::{Charge, ChargeStatus, Dispute, Refund};
use crate::gateway::GatewayError;

use super::super::model::Detail;

/// One charge on its own, reached from a customer or a refund.
#[derive(Debug, Clone)]
pub struct ChargePane {
    pub charge: Loadable<Charge>,
    pub detail: Detail,
}

impl ChargePane {
    pub fn new(id: &str, charge: Option<Charge>) -> ChargePane {
        ChargePane {
            charge: charge.map_or(Loadable::Loading, Loadable::Loaded),
            detail: Detail {
                charge_id: id.to_string(),
                raw: false,
                scroll: 0,
                refunds: Loadable::Loading,
                dispute: Loadable::Loaded(None),
            },
        }
    }
}

/// A charge on its own. The held copy shows at once, and the gateway's is asked for
/// anyway: a list's copy may be older than what happened to it since (a dispute).
pub(crate) fn open_charge(model: &mut Model, id: &str) -> Vec<Effect> {
    let held = model.find_charge(id).cloned();
    let mut effects = vec![
        Effect::LoadRefunds(id.to_string()),
        Effect::LoadCharge(id.to_string()),
    ];
    let (dispute, more) = dispute_of(model, id);
    effects.extend(more);
    let mut pane = ChargePane::new(id, held);
    pane.detail.dispute = dispute;
    model.screens.push(Pane::Charge(Box::new(pane)));
    model.touch();
    effects
}

/// The charge of a dispute chosen on the disputes screen: the same pane, with the
/// dispute already known, so its section and its keys are there at once.
pub(crate) fn open_disputed_charge(model: &mut Model, dispute: Dispute) -> Vec<Effect> {
    let mut effects = open_charge(model, &dispute.charge_id);
    effects.retain(|e| !matches!(e, Effect::LoadChargeDispute(_)));
    if let Some(Pane::Charge(pane)) = model.screens.top_mut() {
        pane.detail.dispute = Loadable::Loaded(Some(dispute));
    }
    effects
}

/// For an open charge the gateway now says is disputed, whose dispute is not yet
/// known: ask for it, so the detail shows it and its keys work.
pub(crate) fn load_disputes_now_known(model: &mut Model, charge: &Charge) -> Vec<Effect> {
    if charge.status != ChargeStatus::Disputed || !model.session.caps.disputes {
        return Vec::new();
    }
    let mut wanted = false;
    for detail in model.screens.details_mut() {
        if detail.charge_id == charge.id && detail.dispute == Loadable::Loaded(None) {
            detail.dispute = Loadable::Loading;
            wanted = true;
        }
    }
    if wanted {
        vec![Effect::LoadChargeDispute(charge.id.clone())]
    } else {
        Vec::new()
    }
}

pub(crate) fn on_charge_loaded(
    model: &mut Model,
    id: &str,
    result: Result<Box<Charge>, GatewayError>,
) -> Vec<Effect> {
    match result {
        Ok(charge) => {
            model.update_charge(&charge);
            load_disputes_now_known(model, &charge)
        }
        Err(e) => {
            for pane in model.screens.above_mut() {
                if let Pane::Charge(pane) = pane {
                    // A copy already shown stays: the newer one just could not be read.
                    if pane.detail.charge_id == id && !matches!(pane.charge, Loadable::Loaded(_)) {
                        pane.charge = Loadable::Failed(e.to_string());
                    }
                }
            }
            model.touch();
            Vec::new()
        }
    }
}

pub(crate) fn on_verified(
    model: &mut Model,
    session: &str,
    result: Result<Box<Charge>, GatewayError>,
) -> Vec<Effect> {
    match result {
        Ok(charge) => {
            let text = format!("3-D Secure verified: {} is {}", charge.id, charge.status);
            model.busy.remove(&charge.id);
            model.update_charge(&charge);
            model.toast(ToastKind::Success, text);
        }
        Err(e) => {
            model.busy.retain(|_, what| *what != "verify");
            model.toast(ToastKind::Error, format!("Verifying {session} failed: {e}"));
        }
    }
    Vec::new()
}

pub(crate) fn on_refunds(
    model: &mut Model,
    charge_id: &str,
    result: Result<Vec<Refund>, GatewayError>,
) -> Vec<Effect> {
    let loaded = match result {
        Ok(refunds) => Loadable::Loaded(refunds),
        Err(e) => Loadable::Failed(e.to_string()),
    };
    for detail in model.screens.details_mut() {
        if detail.charge_id == charge_id {
            detail.refunds = loaded.clone();
        }
    }
    model.touch();
    Vec::new()
}

/// For a disputed charge on a gateway with disputes, the dispute is fetched too.
pub(crate) fn dispute_of(
    model: &Model,
    id: &str,
) -> (Loadable<Option<crate::domain::Dispute>>, Vec<Effect>) {
    let disputed = model
        .find_charge(id)
        .is_some_and(|c| c.status == ChargeStatus::Disputed);
    if disputed && model.session.caps.disputes {
        (
            Loadable::Loading,
            vec![Effect::LoadChargeDispute(id.to_string())],
        )
    } else {
        (Loadable::Loaded(None), Vec::new())
    }
}

/// Verifies the target charge's 3-D Secure session (which `offers` allows), where the
/// gateway told us it.
pub(crate) fn verify_target(model: &mut Model) -> Vec<Effect> {
    let Some(charge) = crate::app::offers::target_charge(model) else {
        return Vec::new();
    };
    let id = charge.id.clone();
    match charge.three_d_secure_session.clone() {
        Some(session) => {
            model.busy.insert(id, "verify");
            model.touch();
            vec![Effect::Verify {
                key: model.key_mint.next_key(),
                session,
            }]
        }
        None => {
            model.toast(
                ToastKind::Info,
                "The gateway sends this charge's session token to your callback URL; verify it with :verify TOKEN",
            );
            Vec::new()
        }
    }
}

/// What a key does on this screen.
pub(crate) fn on_key(model: &mut Model, intent: Intent, delta: Option<isize>) -> Vec<Effect> {
    let max_scroll = model.drawn.detail_max_scroll;
    let Some(Pane::Charge(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    if let Some(delta) = delta {
        pane.detail.scroll = scrolled(pane.detail.scroll, delta, max_scroll);
        return Vec::new();
    }
    let id = pane.detail.charge_id.clone();
    match intent {
        Intent::RawJson => {
            pane.detail.raw = !pane.detail.raw;
            pane.detail.scroll = 0;
            Vec::new()
        }
        Intent::Copy => vec![Effect::Copy(id)],
        Intent::Refresh => {
            pane.detail.refunds = Loadable::Loading;
            vec![Effect::LoadCharge(id.clone()), Effect::LoadRefunds(id)]
        }
        _ => Vec::new(),
    }
}

/// What may be done to the keys' charge, for the status line: capture, void and refund
/// as it allows them, then opening its customer and finishing its 3-D Secure.
pub(crate) fn actions(model: &Model) -> Vec<Hint> {
    let acts = [
        (Act::Capture, "capture"),
        (Act::Void, model.session.caps.void_name),
        (Act::Refund, "refund"),
        (Act::OpenCustomer, "customer"),
        (Act::Verify3ds, "verify 3DS"),
    ];
    offers::offered(model, &acts)
}

/// The status line's keys on a charge opened as its own screen.
pub(crate) fn hints(model: &Model, pane: &ChargePane) -> Vec<Hint> {
    let raw = if pane.detail.raw { "fields" } else { "raw" };
    let mut out = vec![(Intent::Back, "back"), (Intent::RawJson, raw)];
    out.extend(actions(model));
    out
}
