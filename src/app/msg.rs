//! Everything that happens, as one type: keys, timers and the gateway's answers.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use super::dialogs::confirm::Irreversible;
use super::request::{Generation, PageAnswer};
use super::store_window::StoreAsk;
use crate::domain::{
    Action, Balance, BalanceLine, Card, Charge, ChargeSettlement, Cursor, Customer, Dispute,
    Payout, RawJson, Refund, Skipped, Subscription,
};
use crate::gateway::{GatewayError, OperationKey};
use crate::money::Money;
use crate::store::query::{SearchedTotals, StorePage, Totals};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// Time passed; the loop sends it when something was due.
    Tick(DateTime<Utc>),
    /// A spinner frame while work is in flight.
    Spin,
    Polled(Result<Polled, GatewayError>),
    OlderLoaded(PageAnswer<Charge>),
    /// The local store opened (the charges list is a window over it), or why not.
    StoreOpened(Result<(), String>),
    /// A page of the charges window from the store, for the ask it answers.
    StorePaged {
        ask: StoreAsk,
        result: Result<StorePage, String>,
    },
    /// A short needle's totals over the newest charges only (how many it looked at
    /// says how far), sent before the whole sum, which takes longer.
    StorePartlyTotalled {
        generation: Generation,
        partial: SearchedTotals,
    },
    /// The filter's totals from the store.
    StoreTotalled {
        generation: Generation,
        result: Result<Totals, String>,
    },
    /// The figures of `:stats` from the store.
    StatsRead {
        generation: Generation,
        result: Result<Box<crate::stats::ChargeStats>, String>,
    },
    /// How far the background sync has got (its progress, as said).
    SyncProgress(String),
    /// The background sync ended: whether the store now holds every older page.
    Synced(Result<bool, String>),
    /// Writing what the gateway said into the store failed.
    StoreWriteFailed(String),
    /// A charge's raw JSON, fetched on demand.
    RawLoaded(Answer<RawJson>),
    Searched {
        generation: Generation,
        result: Result<Vec<Charge>, GatewayError>,
    },
    /// A charge's refunds.
    RefundsLoaded(Answer<Vec<Refund>>),
    /// An action finished: `Ok(Some(charge))` with the charge as it is now, `Ok(None)`
    /// when it succeeded but the charge could not be read back.
    ActionDone {
        key: OperationKey,
        action: Action,
        charge_id: String,
        amount: Money,
        result: Result<Option<Box<Charge>>, GatewayError>,
    },
    CustomersLoaded(PageAnswer<Customer>),
    CustomerLoaded(Answer<Customer>),
    /// A customer's saved cards.
    CardsLoaded(Answer<Vec<Card>>),
    /// A customer's subscriptions.
    SubscriptionsLoaded(Answer<Vec<Subscription>>),
    CustomerChargesLoaded {
        customer_id: String,
        answer: PageAnswer<Charge>,
    },
    RefundListLoaded(PageAnswer<Refund>),
    ChargeLoaded(Answer<Box<Charge>>),
    /// A 3-D Secure session's charge, once verified.
    Verified(Answer<Box<Charge>>),
    ConfirmedDone {
        key: OperationKey,
        action: Irreversible,
        result: Result<(), GatewayError>,
    },
    /// A customer's saved card charged, under `key`.
    CustomerCharged {
        key: OperationKey,
        answer: Answer<Box<Charge>>,
    },
    DisputesLoaded(PageAnswer<Dispute>),
    /// A dispute as it is now (after a read, or evidence submitted with `key`).
    DisputeLoaded {
        key: Option<OperationKey>,
        result: Result<Box<Dispute>, GatewayError>,
    },
    /// A charge's dispute, if it has one.
    ChargeDisputeLoaded(Answer<Option<Box<Dispute>>>),
    PayoutsLoaded(PageAnswer<Payout>),
    PayoutLoaded(Answer<Box<Payout>>),
    PayoutLinesLoaded {
        payout_id: String,
        answer: PageAnswer<BalanceLine>,
    },
    BalanceLoaded(Result<Box<Balance>, GatewayError>),
    /// A charge's fee, net and payout.
    ChargeSettlementLoaded(Answer<ChargeSettlement>),
    /// Records of a list (`list`: "charges", "customers"...) the gateway sent that
    /// could not be read; the rest of their page was kept.
    Unreadable {
        list: &'static str,
        skipped: Vec<Skipped>,
    },
    /// The clipboard's answer: how `what` was copied, or why not.
    Copied {
        what: String,
        result: Result<&'static str, String>,
    },
    /// What the view found when it drew the frame now on screen.
    Drawn(super::layout::Drawn),
    /// `:profile NAME` opened the profile: the runner already speaks to its gateway.
    ProfileOpened(Box<super::model::Session>),
    /// `:profile NAME` could not open the profile.
    ProfileFailed(String),
    /// The profile being opened has waited this long for its key_command.
    ProfileWaiting(std::time::Duration),
    /// An action a crash or kill interrupted, checked with the gateway at start.
    Interrupted(super::interrupted::Checked),
    /// A write's answer is in and its `after` line written (sent after its result).
    WriteSettled(OperationKey),
    /// SIGTERM, SIGINT or SIGHUP (its number): leave once the writes in flight are
    /// answered, waiting a bounded time.
    Signal(i32),
    /// The terminal is gone: leave as on a signal.
    Terminate,
    /// The reconciliation sessions answered.
    Recon(super::recon_ask::ReconAnswer),
    /// News of the session store: another operator's write, or the store gone or back.
    StoreNews(crate::store::sessions::watch::News),
}

/// The gateway's answer about one thing: the id it was asked about (a charge's, a
/// customer's, a 3-D Secure session's) and what it said.
#[derive(Debug)]
pub struct Answer<T> {
    pub id: String,
    pub result: Result<T, GatewayError>,
}

impl<T> Answer<T> {
    pub fn new(id: &str, result: Result<T, GatewayError>) -> Answer<T> {
        Answer {
            id: id.to_string(),
            result,
        }
    }
}

/// What one poll found.
#[derive(Debug, Clone, PartialEq)]
pub struct Polled {
    /// Charges newer than the newest held, newest first.
    pub newer: Vec<Charge>,
    /// Fresh copies of held charges that may have changed.
    pub refreshed: Vec<Charge>,
    pub total: Option<u64>,
    /// On the first poll, where older pages start.
    pub older: Option<Cursor>,
    pub first: bool,
}
