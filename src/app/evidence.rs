//! Submitting text evidence for a dispute. Gateways usually take evidence once, so the
//! dialog says so before ctrl-s sends it. Enter starts a new line: evidence is prose.

use super::dialog::DialogState;
use super::text_area::TextArea;
use crate::domain::Dispute;
use crate::money::Money;

/// Characters of evidence (line breaks count one). Stripe takes up to 150,000 across all
/// its evidence fields; a page of prose is a few thousand, and the bound keeps every
/// gateway's request and the dialog's redraw small.
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
