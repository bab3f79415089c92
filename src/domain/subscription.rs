use super::raw::RawJson;
use crate::money::Money;
use chrono::{DateTime, Utc};

/// What a subscription bills, where the gateway says: `Gold monthly · A$49.00/month`.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub amount: Money,
    /// Bills every `interval` `interval_unit`s (`1` `month`).
    pub interval: u32,
    pub interval_unit: String,
}

impl Plan {
    /// `month` for every month, `3 months`, `30 days`.
    pub fn period(&self) -> String {
        match self.interval {
            1 => self.interval_unit.clone(),
            n => format!("{n} {}s", self.interval_unit),
        }
    }

    /// `Gold monthly · A$49.00/month`.
    pub fn label(&self) -> String {
        format!("{} · {}/{}", self.name, self.amount, self.period())
    }
}

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
    /// The plan's name and price; `None` where the gateway did not give them (the
    /// plan id is shown instead).
    pub plan: Option<Plan>,
    pub state: SubscriptionState,
    pub next_billing: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// `None` bills the customer's primary card.
    pub card_id: Option<String>,
    pub raw: RawJson,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn plan(interval: u32, unit: &str) -> Plan {
        let aud = Currency::from_code("AUD").unwrap();
        Plan {
            name: "Gold monthly".into(),
            amount: Money::from_minor(4_900, aud),
            interval,
            interval_unit: unit.into(),
        }
    }

    #[test]
    fn a_plan_says_its_name_price_and_period() {
        assert_eq!(plan(1, "month").label(), "Gold monthly · A$49.00/month");
        assert_eq!(plan(3, "month").label(), "Gold monthly · A$49.00/3 months");
        assert_eq!(plan(30, "day").period(), "30 days");
    }
}
