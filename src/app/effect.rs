//! What `update` asks the outside world to do. The runner does it and answers with `Msg`s.

use chrono::{DateTime, Utc};

use crate::domain::{ChargeFilter, Cursor};
use crate::gateway::OperationKey;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask for charges newer than `newest` (all of the first page when `None`) and
    /// re-read `refresh`.
    Poll {
        newest: Option<(String, DateTime<Utc>)>,
        refresh: Vec<String>,
    },
    LoadOlder(Cursor),
    Search {
        filter: ChargeFilter,
        filter_text: String,
    },
    LoadRefunds(String),
    Capture {
        key: OperationKey,
        charge_id: String,
        amount: Money,
    },
    Void {
        key: OperationKey,
        charge_id: String,
        amount: Money,
    },
    Refund {
        key: OperationKey,
        charge_id: String,
        amount: Money,
        reason: Option<String>,
    },
    Copy(String),
    SwitchProfile(String),
}
