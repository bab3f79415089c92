//! The in-memory, gateway-neutral ledger: charges, refunds, disputes,
//! customers, cards, plans and subscriptions, with one state machine and an
//! operations log. Every dialect has one and renders it in its own words; it
//! knows no HTTP and no dialect (a dialect's id spelling is an [`IdStyle`] it
//! is given).
//!
//! Time is `real UTC now + offset`; time-dependent rules (authorisation
//! expiry, refund settlement, subscription period end, payout cut-offs) are
//! applied lazily by [`Ledger::tick`], which every mutation calls and readers
//! call first.

mod books;
mod changes;
mod charge;
mod customer;
mod dispute;
mod refund;
pub mod settlement;
mod table;

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::rng::Rng;

pub use books::{MAX_PAYOUTS, MadePayout};
pub use changes::{CHANGE_LOG_CAP, Change, ChangeKind, FEED_RETENTION};
pub use charge::{CaptureRule, Charge, ChargeState, NewCharge, Outcome};
pub use customer::{
    Card, CardChange, CardRef, Customer, CustomerUpdate, NewCustomer, Plan, Subscription,
    SubscriptionState,
};
pub use dispute::{Dispute, DisputeStatus, NewDispute, RESPONSE_WINDOW};
pub use refund::{Refund, RefundExtra, RefundState};
pub use table::{Record, Table};

/// Uncaptured authorisations expire after this long (Pin: seven days).
pub const AUTHORISATION_WINDOW: TimeDelta = TimeDelta::days(7);
/// Pending refunds settle after this much ledger time.
pub const REFUND_SETTLEMENT: TimeDelta = TimeDelta::seconds(60);

/// Who caused a mutation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Api,
    Live,
    Clock,
}

/// One entry of the operations log (tests use it to prove exactly-once).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Operation {
    pub seq: u64,
    pub operation: &'static str,
    pub target: String,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    #[serde(serialize_with = "ser_time")]
    pub at: DateTime<Utc>,
    pub source: Source,
}

fn ser_time<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_time(*t))
}

/// `2012-06-20T03:10:49Z`: second precision, `Z` suffix, as Pin renders times.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Illegal transitions and lookups; never a panic.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum LedgerError {
    #[error("{kind} {token} not found")]
    NotFound { kind: &'static str, token: String },
    #[error("Charge has already been captured")]
    AlreadyCaptured,
    #[error("Charge has been voided")]
    Voided,
    #[error("Authorisation has expired")]
    Expired,
    #[error("Charge was declined")]
    Declined,
    #[error("Charge is awaiting 3D Secure authentication")]
    PendingAuthentication,
    #[error("Charge has not been captured")]
    NotCaptured,
    #[error("Amount {given} does not equal the authorised amount {expected}")]
    AmountMismatch { expected: i64, given: i64 },
    #[error("Amount {given} exceeds the authorised amount {authorised}")]
    CaptureExceedsAuthorised { authorised: i64, given: i64 },
    #[error("Refund of {requested} exceeds the refundable amount {refundable}")]
    RefundExceedsCaptured { requested: i64, refundable: i64 },
    #[error("Amount must be greater than zero")]
    NonPositiveAmount,
    #[error("Card token has already been used")]
    CardTokenUsed,
    #[error("Card does not belong to this customer")]
    CardNotOwned,
    #[error("You cannot delete a customer's primary card token")]
    PrimaryCard,
    #[error("Cannot cancel subscription when state is {0}")]
    NotCancellable(SubscriptionState),
    #[error("Dispute is {0} and no longer accepts a response")]
    DisputeNotOpen(DisputeStatus),
}

impl LedgerError {
    pub(crate) fn not_found(kind: &'static str, token: &str) -> Self {
        LedgerError::NotFound {
            kind,
            token: token.to_string(),
        }
    }
}

/// How the ledger spells new tokens: from its random stream, the kind's
/// prefix (`ch`, `rf`, `dp`, `cus`, `card`, `plan`, `sub`, ...) and ledger
/// time. Each dialect has its own (see its `Dialect::ids`); [`pin_ids`] is the
/// default.
pub type IdStyle = fn(&mut Rng, &str, DateTime<Utc>) -> String;

/// Pin style: the prefix, `_` and 22 URL-safe base64 characters.
pub fn pin_ids(rng: &mut Rng, prefix: &str, _now: DateTime<Utc>) -> String {
    rng.token(prefix)
}

/// The ledger. Dialects share it behind a lock (`sim::common::SharedLedger`);
/// never hold it across `.await`.
#[derive(Debug)]
pub struct Ledger {
    offset: TimeDelta,
    /// Seeding pins the clock to historical instants and silences the log.
    pinned: Option<DateTime<Utc>>,
    quiet: bool,
    rng: Rng,
    ids: IdStyle,
    charges: Table<Charge>,
    sessions: HashMap<String, usize>,
    refunds: Table<Refund>,
    customers: Table<Customer>,
    cards: HashMap<String, Card>,
    plans: Vec<Plan>,
    subscriptions: Table<Subscription>,
    /// Indexes of charges still authorised / refunds still pending, so `tick` stays cheap.
    open_auths: Vec<usize>,
    pending_refunds: Vec<usize>,
    disputes: Table<Dispute>,
    ops: Vec<Operation>,
    changes: changes::ChangeLog,
    books: books::Books,
}

impl Ledger {
    /// An empty ledger whose tokens derive from `seed`.
    pub fn new(seed: u64) -> Self {
        Self::with_ids(seed, pin_ids)
    }

    /// An empty ledger whose tokens derive from `seed`, spelled in `ids` style.
    pub fn with_ids(seed: u64, ids: IdStyle) -> Self {
        Ledger {
            offset: TimeDelta::zero(),
            pinned: None,
            quiet: false,
            rng: Rng::derive(seed, 1),
            ids,
            charges: Table::default(),
            sessions: HashMap::new(),
            refunds: Table::default(),
            customers: Table::default(),
            cards: HashMap::new(),
            plans: Vec::new(),
            subscriptions: Table::default(),
            open_auths: Vec::new(),
            pending_refunds: Vec::new(),
            disputes: Table::default(),
            ops: Vec::new(),
            changes: changes::ChangeLog::default(),
            books: books::Books::default(),
        }
    }

    /// Ledger time: real UTC now plus the test offset (or the seeding instant).
    pub fn now(&self) -> DateTime<Utc> {
        self.pinned.unwrap_or_else(|| Utc::now() + self.offset)
    }

    /// Move ledger time forward (tests use this for expiry) and apply due rules.
    pub fn advance(&mut self, by: TimeDelta) -> DateTime<Utc> {
        if by > TimeDelta::zero() {
            self.offset += by;
        }
        self.tick()
    }

    /// Seeding support: pin the clock (`Some`) and silence the log, or restore (`None`).
    pub(crate) fn pin_clock(&mut self, at: Option<DateTime<Utc>>) {
        self.pinned = at;
        self.quiet = at.is_some();
    }

    /// A fresh token from the ledger's deterministic stream.
    pub fn new_token(&mut self, prefix: &str) -> String {
        let now = self.now();
        (self.ids)(&mut self.rng, prefix, now)
    }

    /// Apply every time-dependent rule that is due at ledger time; returns
    /// that time.
    pub fn tick(&mut self) -> DateTime<Utc> {
        let now = self.now();
        let first_change = self.next_change_seq();
        self.expire_authorisations(now);
        self.settle_refunds(now);
        self.finish_cancelled_subscriptions(now);
        self.lose_overdue_disputes(now);
        self.close_batches(now);
        self.order_changes_from(first_change);
        now
    }

    /// The operations log with `seq > since`, in order.
    pub fn operations_since(&self, since: u64) -> &[Operation] {
        let start = self.ops.partition_point(|o| o.seq <= since);
        &self.ops[start..]
    }

    fn log(
        &mut self,
        operation: &'static str,
        target: &str,
        money: Option<(i64, String)>,
        at: DateTime<Utc>,
        source: Source,
    ) {
        if self.quiet {
            return;
        }
        let seq = self.ops.last().map_or(1, |o| o.seq + 1);
        self.ops.push(Operation {
            seq,
            operation,
            target: target.to_string(),
            amount: money.as_ref().map(|m| m.0),
            currency: money.map(|m| m.1),
            at,
            source,
        });
    }

    /// Apply a time rule to the records at `indexes` of the table `table`
    /// picks: `rule` changes each record it falls due on and answers what that
    /// moved; each change is logged, in order, as `operation` by the clock,
    /// and as `kind` (if any) in the change log.
    fn apply_clock_rule<T: Record>(
        &mut self,
        (operation, kind): (&'static str, Option<ChangeKind>),
        table: fn(&mut Ledger) -> &mut Table<T>,
        indexes: impl IntoIterator<Item = usize>,
        mut rule: impl FnMut(&mut T) -> Option<ClockChange>,
    ) {
        for i in indexes {
            let record = &mut table(self)[i];
            if let Some(ClockChange { money, at }) = rule(record) {
                let token = record.token().to_string();
                self.log(operation, &token, money, at, Source::Clock);
                if let Some(kind) = kind {
                    self.changed_by_clock(kind, &token, at);
                }
            }
        }
    }
}

/// What a time rule did to one record: the money it moved, and when the rule
/// fell due.
struct ClockChange {
    money: Option<(i64, String)>,
    at: DateTime<Utc>,
}

#[cfg(test)]
mod changes_tests;
#[cfg(test)]
mod tests;
