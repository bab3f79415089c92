//! The normalised model every gateway adapter translates to and from.

mod actions;
mod balance;
mod charge;
mod charge_settlement;
mod customer;
mod dispute;
mod filter;
mod page;
mod payout;
mod raw;
mod refund;
mod subscription;

pub use actions::{Action, Refusal, check_action};
pub use balance::{Balance, BalanceAmounts};
pub use charge::{
    CardBrand, CardDetails, CardSummary, Charge, ChargeStatus, Failure, NewCharge, PaymentSource,
};
pub use charge_settlement::{ChargeSettlement, PayoutPlace};
pub use customer::{Card, Customer, CustomerUpdate, NewCustomer};
pub use dispute::{Dispute, DisputeStatus};
pub use filter::ChargeFilter;
pub use page::{Cursor, Page, PageRequest, Skipped};
pub use payout::{
    BalanceLine, BankAccountSummary, LineAmounts, LineKind, LineTotals, NetCheck, Payout,
    PayoutStatus,
};
pub use raw::RawJson;
pub use refund::{NewRefund, Refund, RefundStatus};
pub use subscription::{Plan, Subscription, SubscriptionState};
