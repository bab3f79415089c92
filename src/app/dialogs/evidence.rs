//! Submitting text evidence for a dispute. Gateways usually take evidence once, so the
//! dialog says so before ctrl-s sends it. Enter starts a new line: evidence is prose.
//! The gateway's answer is the dispute as it is now, taken in by the disputes screen.

use crossterm::event::KeyEvent;

use super::super::effect::Effect;
use super::super::mode_keys::ModeAction;
use super::super::model::{Mode, Model};
use super::super::text_area::TextArea;
use super::DialogState;
use crate::domain::Dispute;
use crate::money::Money;

/// Characters of evidence (line breaks count one). Some gateways take up to 150,000
/// across all their evidence fields; a page of prose is a few thousand, and the bound
/// keeps every gateway's request and the dialog's redraw small.
pub const MAX_EVIDENCE_CHARS: usize = 20_000;

#[derive(Debug, Clone)]
pub struct EvidenceDialog {
    pub dispute_id: String,
    pub charge_id: String,
    pub amount: Money,
    pub reason: String,
    pub input: TextArea,
    pub state: DialogState,
}

impl EvidenceDialog {
    pub fn new(dispute: &Dispute) -> EvidenceDialog {
        EvidenceDialog {
            dispute_id: dispute.id.clone(),
            charge_id: dispute.charge_id.clone(),
            amount: dispute.amount,
            reason: dispute.reason.clone(),
            input: TextArea::new(MAX_EVIDENCE_CHARS),
            state: DialogState::Editing,
        }
    }

    pub fn text(&self) -> Result<String, String> {
        let text = self.input.text();
        let text = text.trim();
        if text.is_empty() {
            Err("Write the evidence: what was sold, when, and why the charge is right".into())
        } else {
            Ok(text.to_string())
        }
    }

    /// Exactly what ctrl-s will do.
    pub fn confirmation(&self) -> Result<String, String> {
        self.text()?;
        Ok(format!(
            "Submit this evidence for the {} dispute of {} on {}; it usually cannot be changed afterwards",
            self.reason, self.amount, self.charge_id
        ))
    }
}

/// A key the dialog takes itself, `action` in its mode's keys.
pub(super) fn on_key(model: &mut Model, action: Option<ModeAction>, key: KeyEvent) -> Vec<Effect> {
    let Mode::Evidence(dialog) = &mut model.mode else {
        return Vec::new();
    };
    // Enter is a new line in evidence, so another key (ctrl-s) sends it.
    if action != Some(ModeAction::Send) {
        if dialog.input.handle_key(&key) {
            dialog.state = DialogState::Editing;
        }
        return Vec::new();
    }
    let Ok(text) = dialog.text() else {
        return Vec::new(); // the dialog already says why
    };
    dialog.state = DialogState::Working;
    let dispute_id = dialog.dispute_id.clone();
    model.busy.insert(dispute_id.clone(), "response");
    model.sent_at = Some(model.now);
    vec![Effect::SubmitEvidence {
        key: model.key_mint.next_key(),
        dispute_id,
        text,
    }]
}
