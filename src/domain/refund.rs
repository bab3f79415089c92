use super::raw::RawJson;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Pending,
    Succeeded,
    Failed,
}

impl RefundStatus {
    pub fn label(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    pub id: String,
    pub charge_id: String,
    pub amount: Money,
    pub status: RefundStatus,
    pub created: DateTime<Utc>,
    pub reason: Option<String>,
    pub error_message: Option<String>,
    pub raw: RawJson,
}

/// A refund to make: `amount` of a charge, with the operator's words for why.
#[derive(Debug, Clone, Copy)]
pub struct NewRefund<'a> {
    pub charge_id: &'a str,
    pub amount: Money,
    pub reason: Option<&'a str>,
}
