//! Submitting text evidence for a dispute. Gateways usually take evidence once, so the
//! dialog says so before Enter sends it.

use tui_input::Input;

use super::dialog::DialogState;
use crate::domain::Dispute;
use crate::money::Money;

#[derive(Debug, Clone)]
pub struct EvidenceDialog {
    pub dispute_id: String,
    pub charge_id: String,
    pub amount: Money,
    pub reason: String,
    pub input: Input,
    pub state: DialogState,
}

impl EvidenceDialog {
    pub fn new(dispute: &Dispute) -> EvidenceDialog {
        EvidenceDialog {
            dispute_id: dispute.id.clone(),
            charge_id: dispute.charge_id.clone(),
            amount: dispute.amount,
            reason: dispute.reason.clone(),
            input: Input::default(),
            state: DialogState::Editing,
        }
    }

    pub fn text(&self) -> Result<String, String> {
        let text = self.input.value().trim();
        if text.is_empty() {
            Err("Write the evidence: what was sold, when, and why the charge is right".into())
        } else {
            Ok(text.to_string())
        }
    }

    /// Exactly what Enter will do.
    pub fn confirmation(&self) -> Result<String, String> {
        self.text()?;
        Ok(format!(
            "Submit this evidence for the {} dispute of {} on {}; it usually cannot be changed afterwards",
            self.reason, self.amount, self.charge_id
        ))
    }
}
