//! What `update` asks the outside world to do. The runner does it and answers with `Msg`s.

use chrono::{DateTime, Utc};

use super::confirm::CustomerAction;
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
    /// A page of customers (`None`: the first).
    LoadCustomers(Option<Cursor>),
    /// A customer with their cards and subscriptions.
    LoadCustomer(String),
    LoadCustomerCharges {
        customer_id: String,
        cursor: Option<Cursor>,
    },
    /// A page of all refunds.
    LoadRefundList(Option<Cursor>),
    LoadCharge(String),
    /// Completes a charge waiting on 3-D Secure.
    Verify {
        key: OperationKey,
        session: String,
    },
    Customer {
        key: OperationKey,
        action: CustomerAction,
    },
    /// Charges a customer's saved (primary) card.
    ChargeCustomer {
        key: OperationKey,
        customer_id: String,
        email: String,
        amount: Money,
        description: String,
        capture: bool,
    },
    Copy(String),
    SwitchProfile(String),
}
