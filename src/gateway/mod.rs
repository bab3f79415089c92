//! The gateway seam: one trait over the normalised model, made of one async trait per
//! resource, and one adapter per gateway behind it, each in a folder of its own with a
//! file per resource. Adapters translate; what they share lives once, in the files
//! directly here: retries, timeouts and error mapping (`http`), reading and writing
//! records over an adapter's own exchanges and paging (`transport`), the exactly-once
//! rules (`write_once`), paging (`paging`), where a REST record is (`paths`), decoding
//! records (`record`, `list_records`, `card_wire`, `decimal_amount`), the checks of a
//! charge before a write (`charge_rules`), customers kept as Pin and Openpay keep them
//! (`customer_records`), what changed after creation (`changes`), a new customer's fields as an update (`contact`) and a saved
//! card's checked deletion (`saved_cards`). `registry` lists every gateway, each
//! described by its folder's `DESCRIPTOR`.
//!
//! [`Payouts`] (payouts, their balance lines, the balance, and a charge's fee and payout)
//! answers `Unsupported` by default; a gateway's capabilities say which parts it fills in.

mod capabilities;
pub mod card_wire;
mod changes;
pub mod charge_rules;
mod contact;
mod customer_records;
pub mod decimal_amount;
mod error;
pub mod http;
pub mod list_records;
pub mod openpay;
pub mod paging;
mod paths;
pub mod pin;
pub mod record;
pub mod registry;
mod retry;
mod saved_cards;
pub mod stripe;
mod transport;
pub mod trx;
pub mod write_once;

use async_trait::async_trait;

pub use capabilities::Capabilities;
pub use changes::{ChangeFeed, Changed, Changes, ChargeChange, ending_at};
pub use error::{FieldError, GatewayError};
pub use registry::GatewayDescriptor;
pub use retry::RetryPolicy;
pub use write_once::OperationKey;

use crate::domain::{
    Balance, BalanceLine, Card, Charge, ChargeFilter, ChargeSettlement, Customer, CustomerUpdate,
    Dispute, NewCharge, NewCustomer, NewRefund, Page, PageRequest, Payout, Refund, Subscription,
};
use crate::money::Money;

pub type Result<T> = std::result::Result<T, GatewayError>;

/// Everything paydeck asks of a gateway: one trait per resource, each implemented in
/// the adapter's file of that resource (`pin/charges.rs` implements [`Charges`]).
/// Methods for what a gateway cannot do answer `Unsupported` by default, so an adapter
/// leaves them out; `capabilities` says which those are so the UI never offers them.
/// Every mutating call takes the operation's key, already in the audit log.
pub trait Gateway:
    Charges + Refunds + Customers + Cards + Subscriptions + Disputes + Payouts + Changes
{
    /// What the registry knows of this gateway: its label and capabilities.
    fn descriptor(&self) -> &'static GatewayDescriptor;

    /// The gateway's name for people: "Pin Payments".
    fn name(&self) -> &'static str {
        self.descriptor().label
    }

    fn capabilities(&self) -> Capabilities {
        self.descriptor().capabilities
    }
}

#[async_trait]
pub trait Charges: Send + Sync {
    /// Newest first. Gateways that search server-side use the filter; the caller
    /// applies it locally as well, so an adapter may narrow only as far as it can.
    async fn list_charges(&self, page: &PageRequest, filter: &ChargeFilter)
    -> Result<Page<Charge>>;

    async fn get_charge(&self, id: &str) -> Result<Charge>;

    async fn create_charge(&self, charge: &NewCharge, key: &OperationKey) -> Result<Charge>;

    /// Captures `amount` of an authorised charge; where partial capture is impossible
    /// the amount must be the whole authorisation.
    async fn capture(&self, id: &str, amount: Money, key: &OperationKey) -> Result<Charge>;

    async fn void(&self, id: &str, key: &OperationKey) -> Result<Charge>;

    /// Releases `amount` of an authorisation and keeps the rest authorised, where the
    /// gateway can (`Capabilities::partial_void`).
    async fn void_part(&self, _id: &str, _amount: Money, _key: &OperationKey) -> Result<Charge> {
        Err(GatewayError::Unsupported("partial void"))
    }

    /// Completes a charge that waited on 3-D Secure authentication.
    async fn verify_3ds(&self, _session_token: &str) -> Result<Charge> {
        Err(GatewayError::Unsupported("3-D Secure verification"))
    }
}

#[async_trait]
pub trait Refunds: Send + Sync {
    /// Refunds `amount` of a charge: [`Refunds::create_refund`], its parts spelled out.
    async fn refund(
        &self,
        charge_id: &str,
        amount: Money,
        reason: Option<&str>,
        key: &OperationKey,
    ) -> Result<Refund> {
        let refund = NewRefund {
            charge_id,
            amount,
            reason,
        };
        self.create_refund(&refund, key).await
    }

    async fn create_refund(&self, refund: &NewRefund<'_>, key: &OperationKey) -> Result<Refund>;

    async fn charge_refunds(&self, charge_id: &str) -> Result<Vec<Refund>>;

    /// Every refund, where the gateway lists them (`Capabilities::refund_list`).
    async fn list_refunds(&self, _page: &PageRequest) -> Result<Page<Refund>> {
        Err(GatewayError::Unsupported("a list of all refunds"))
    }

    async fn get_refund(&self, _id: &str) -> Result<Refund> {
        Err(GatewayError::Unsupported("looking up a refund on its own"))
    }
}

#[async_trait]
pub trait Customers: Send + Sync {
    async fn list_customers(&self, _page: &PageRequest) -> Result<Page<Customer>> {
        Err(GatewayError::Unsupported("customers"))
    }

    async fn get_customer(&self, _id: &str) -> Result<Customer> {
        Err(GatewayError::Unsupported("customers"))
    }

    async fn create_customer(
        &self,
        _customer: &NewCustomer,
        _key: &OperationKey,
    ) -> Result<Customer> {
        Err(GatewayError::Unsupported("customers"))
    }

    async fn update_customer(
        &self,
        _id: &str,
        _update: &CustomerUpdate,
        _key: &OperationKey,
    ) -> Result<Customer> {
        Err(GatewayError::Unsupported("customers"))
    }

    async fn delete_customer(&self, _id: &str, _key: &OperationKey) -> Result<()> {
        Err(GatewayError::Unsupported("customers"))
    }

    async fn customer_charges(&self, _id: &str, _page: &PageRequest) -> Result<Page<Charge>> {
        Err(GatewayError::Unsupported("customers"))
    }
}

/// A customer's saved cards.
#[async_trait]
pub trait Cards: Send + Sync {
    async fn customer_cards(&self, _id: &str) -> Result<Vec<Card>> {
        Err(GatewayError::Unsupported("customers"))
    }

    /// Saves a tokenised card on a customer; paydeck never handles the card number.
    async fn add_card(
        &self,
        _customer_id: &str,
        _card_token: &str,
        _key: &OperationKey,
    ) -> Result<Card> {
        Err(GatewayError::Unsupported("customer cards"))
    }

    async fn delete_card(
        &self,
        _customer_id: &str,
        _card_id: &str,
        _key: &OperationKey,
    ) -> Result<()> {
        Err(GatewayError::Unsupported("customer cards"))
    }
}

/// A customer's subscriptions.
#[async_trait]
pub trait Subscriptions: Send + Sync {
    async fn customer_subscriptions(&self, _customer_id: &str) -> Result<Vec<Subscription>> {
        Err(GatewayError::Unsupported("subscriptions"))
    }

    async fn cancel_subscription(
        &self,
        _customer_id: &str,
        _subscription_id: &str,
        _key: &OperationKey,
    ) -> Result<Subscription> {
        Err(GatewayError::Unsupported("subscriptions"))
    }
}

#[async_trait]
pub trait Disputes: Send + Sync {
    async fn list_disputes(&self, _page: &PageRequest) -> Result<Page<Dispute>> {
        Err(GatewayError::Unsupported("disputes"))
    }

    async fn get_dispute(&self, _id: &str) -> Result<Dispute> {
        Err(GatewayError::Unsupported("disputes"))
    }

    /// The dispute of a charge, if it has one.
    async fn charge_dispute(&self, _charge_id: &str) -> Result<Option<Dispute>> {
        Err(GatewayError::Unsupported("disputes"))
    }

    /// Submits text evidence for a dispute.
    async fn submit_dispute_evidence(
        &self,
        _id: &str,
        _text: &str,
        _key: &OperationKey,
    ) -> Result<Dispute> {
        Err(GatewayError::Unsupported("disputes"))
    }

    /// Accepts (closes) a dispute: no evidence is submitted and it is lost.
    async fn close_dispute(&self, _id: &str, _key: &OperationKey) -> Result<Dispute> {
        Err(GatewayError::Unsupported("disputes"))
    }
}

/// Money after capture: what reached the merchant's bank and what it was made of. All
/// reads, so no operation keys.
#[async_trait]
pub trait Payouts: Send + Sync {
    /// Newest first.
    async fn list_payouts(&self, _page: &PageRequest) -> Result<Page<Payout>> {
        Err(GatewayError::Unsupported("payouts"))
    }

    async fn get_payout(&self, _id: &str) -> Result<Payout> {
        Err(GatewayError::Unsupported("payouts"))
    }

    /// The charges, refunds, fees and dispute debits a payout was made of.
    async fn payout_lines(&self, _id: &str, _page: &PageRequest) -> Result<Page<BalanceLine>> {
        Err(GatewayError::Unsupported("the lines of a payout"))
    }

    async fn balance(&self) -> Result<Balance> {
        Err(GatewayError::Unsupported("the balance"))
    }

    /// A charge's fee, tax on the fee, net, and the payout it went into.
    async fn charge_settlement(&self, _charge_id: &str) -> Result<ChargeSettlement> {
        Err(GatewayError::Unsupported("a charge's fee and payout"))
    }
}
