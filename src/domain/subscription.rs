use super::raw::RawJson;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionState {
    Trial,
    Active,
    Cancelling,
    Cancelled,
    PastDue,
    Other(String),
}

impl SubscriptionState {
    pub fn label(&self) -> &str {
        match self {
            SubscriptionState::Trial => "trial",
            SubscriptionState::Active => "active",
            SubscriptionState::Cancelling => "cancelling",
            SubscriptionState::Cancelled => "cancelled",
            SubscriptionState::PastDue => "past due",
            SubscriptionState::Other(s) => s,
        }
    }

    /// Gateways let a subscription be cancelled only while it is running.
    pub fn can_cancel(&self) -> bool {
        matches!(self, SubscriptionState::Trial | SubscriptionState::Active)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: String,
    pub customer_id: String,
    pub plan_id: String,
    pub state: SubscriptionState,
    pub next_billing: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// `None` bills the customer's primary card.
    pub card_id: Option<String>,
    pub raw: RawJson,
}
