use super::raw::RawJson;
use chrono::{DateTime, Utc};

use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeStatus {
    WarningNeedsResponse,
    NeedsResponse,
    UnderReview,
    Won,
    Lost,
    Other(String),
}

impl DisputeStatus {
    pub fn label(&self) -> &str {
        match self {
            DisputeStatus::WarningNeedsResponse => "warning: needs response",
            DisputeStatus::NeedsResponse => "needs response",
            DisputeStatus::UnderReview => "under review",
            DisputeStatus::Won => "won",
            DisputeStatus::Lost => "lost",
            DisputeStatus::Other(s) => s,
        }
    }

    pub fn needs_response(&self) -> bool {
        matches!(
            self,
            DisputeStatus::WarningNeedsResponse | DisputeStatus::NeedsResponse
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dispute {
    pub id: String,
    pub charge_id: String,
    pub amount: Money,
    pub status: DisputeStatus,
    pub reason: String,
    pub evidence_due: Option<DateTime<Utc>>,
    /// Evidence has been submitted at least once.
    pub evidence_submitted: bool,
    pub created: DateTime<Utc>,
    pub raw: RawJson,
}
