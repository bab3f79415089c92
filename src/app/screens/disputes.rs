//! The disputes screen, most urgent first, and a dispute's answers wherever it shows:
//! evidence (a dialog) or acceptance (a confirmation).

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Mode, Model, ToastKind};
use super::super::msg::Answer;
use super::charge;
use super::list_screen::{self, ListScreen};
use super::{Hint, loadable};
use crate::app::offers::{self, Act};
use crate::domain::Dispute;
use crate::gateway::{GatewayError, OperationKey};

use super::super::dialogs::DialogState;
use super::super::dialogs::confirm::{ConfirmDialog, Irreversible};
use super::super::dialogs::evidence::EvidenceDialog;
use super::super::listing::Listing;

#[derive(Debug, Clone, Default)]
pub struct DisputesPane {
    pub list: Listing<Dispute>,
}

/// Disputes that need a response first, the soonest due at the top; then the rest,
/// newest first.
pub fn dispute_order(a: &Dispute, b: &Dispute) -> std::cmp::Ordering {
    let urgent = |d: &Dispute| !d.status.needs_response();
    urgent(a).cmp(&urgent(b)).then_with(|| {
        match (a.status.needs_response(), a.evidence_due, b.evidence_due) {
            (true, Some(x), Some(y)) => x.cmp(&y),
            _ => b.created.cmp(&a.created),
        }
    })
}

pub(crate) fn disputes_pane(model: &mut Model) -> Option<&mut DisputesPane> {
    list_screen::find(model)
}

impl ListScreen for DisputesPane {
    const ACT: Act = Act::Disputes;
    const OPEN_ITEM: fn(&mut Model, Dispute) -> Vec<Effect> = charge::open_disputed_charge;

    /// Most urgent first, whatever order the gateway's pages come in.
    fn took_page(&mut self, added: bool) -> Vec<Effect> {
        if added {
            self.list.sort_by(dispute_order, |_| true);
        }
        Vec::new()
    }
}

/// A dispute as it is now: into the list, into any open charge's detail, and, when it
/// answers evidence the operator submitted, closing that dialog.
pub(crate) fn on_dispute(
    model: &mut Model,
    key: Option<&OperationKey>,
    result: Result<Box<Dispute>, GatewayError>,
) -> Vec<Effect> {
    model.touch();
    let dialog = match &model.mode {
        Mode::Evidence(d) if key.is_some() => Some(d.dispute_id.clone()),
        _ => None,
    };
    match result {
        Ok(dispute) => {
            model.busy.remove(&dispute.id);
            if let Some(pane) = disputes_pane(model) {
                let id = dispute.id.clone();
                pane.list
                    .replace(|d| d.id == id, Some((*dispute).clone()), |_| true);
            }
            set_charge_dispute(
                model,
                &dispute.charge_id,
                Loadable::Loaded(Some((*dispute).clone())),
            );
            if key.is_some() {
                if dialog.as_deref() == Some(dispute.id.as_str()) {
                    model.mode = Mode::Normal;
                }
                model.toast(
                    ToastKind::Success,
                    format!(
                        "Evidence submitted for {}: {}",
                        dispute.id,
                        dispute.status.label()
                    ),
                );
            }
        }
        Err(e) => {
            if let Some(id) = &dialog {
                model.busy.remove(id);
            }
            let words = e.to_string();
            match &mut model.mode {
                Mode::Evidence(d) if dialog.is_some() => d.state = DialogState::Failed(words),
                _ => model.toast(
                    ToastKind::Error,
                    format!("Could not read the dispute: {words}"),
                ),
            }
        }
    }
    Vec::new()
}

pub(crate) fn on_charge_dispute(
    model: &mut Model,
    answer: Answer<Option<Box<Dispute>>>,
) -> Vec<Effect> {
    let loaded = loadable(answer.result.map(|dispute| dispute.map(|d| *d)));
    set_charge_dispute(model, &answer.id, loaded);
    model.touch();
    Vec::new()
}

fn set_charge_dispute(model: &mut Model, charge_id: &str, dispute: Loadable<Option<Dispute>>) {
    for detail in model.screens.details_of(charge_id) {
        detail.dispute = dispute.clone();
    }
}

/// The dispute the keys act on: the selected one on the disputes screen, else the
/// open charge's.
pub(crate) fn target_dispute(model: &Model) -> Option<Dispute> {
    model.screens.target_dispute().cloned()
}

/// Evidence or acceptance, for a dispute that still needs a response (`offers` says).
pub(crate) fn dispute_action(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let Some(dispute) = target_dispute(model) else {
        return Vec::new();
    };
    model.mode = if intent == Intent::SubmitEvidence {
        Mode::Evidence(EvidenceDialog::new(&dispute))
    } else {
        let sentence = format!(
            "Accept the {} dispute of {} on {}: no evidence is sent, the money stays with the cardholder, and this cannot be undone.",
            dispute.reason, dispute.amount, dispute.charge_id
        );
        let action = Irreversible::CloseDispute {
            dispute_id: dispute.id.clone(),
        };
        Mode::Confirm(ConfirmDialog::new(action, "Accept dispute", sentence))
    };
    model.touch();
    Vec::new()
}

/// The status line's keys on the disputes list.
pub(crate) fn hints(model: &Model, pane: &DisputesPane) -> Vec<Hint> {
    let open = pane.list.selected().map(|_| (Intent::Open, "open charge"));
    let acts = [
        (Act::SubmitEvidence, "evidence"),
        (Act::AcceptDispute, "accept"),
    ];
    let offered = offers::offered(model, &acts);
    open.into_iter()
        .chain(offered)
        .chain([(Intent::Back, "back")])
        .collect()
}
