//! Everything that happens, as one type: keys, timers and the gateway's answers.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use super::dialogs::confirm::Irreversible;
use super::request::{Generation, PageAnswer};
use crate::domain::{
    Action, Card, Charge, Cursor, Customer, Dispute, Refund, Skipped, Subscription,
};
use crate::gateway::{GatewayError, OperationKey};
use crate::money::Money;

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
    Searched {
        generation: Generation,
        result: Result<Vec<Charge>, GatewayError>,
    },
    RefundsLoaded {
        charge_id: String,
        result: Result<Vec<Refund>, GatewayError>,
    },
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
    CustomerLoaded {
        id: String,
        result: Result<Customer, GatewayError>,
    },
    CardsLoaded {
        customer_id: String,
        result: Result<Vec<Card>, GatewayError>,
    },
    SubscriptionsLoaded {
        customer_id: String,
        result: Result<Vec<Subscription>, GatewayError>,
    },
    CustomerChargesLoaded {
        customer_id: String,
        answer: PageAnswer<Charge>,
    },
    RefundListLoaded(PageAnswer<Refund>),
    ChargeLoaded {
        id: String,
        result: Result<Box<Charge>, GatewayError>,
    },
    Verified {
        session: String,
        result: Result<Box<Charge>, GatewayError>,
    },
    ConfirmedDone {
        key: OperationKey,
        action: Irreversible,
        result: Result<(), GatewayError>,
    },
    CustomerCharged {
        key: OperationKey,
        customer_id: String,
        result: Result<Box<Charge>, GatewayError>,
    },
    DisputesLoaded(PageAnswer<Dispute>),
    /// A dispute as it is now (after a read, or evidence submitted with `key`).
    DisputeLoaded {
        key: Option<OperationKey>,
        result: Result<Box<Dispute>, GatewayError>,
    },
    ChargeDisputeLoaded {
        charge_id: String,
        result: Result<Option<Box<Dispute>>, GatewayError>,
    },
    /// Records of a list (`list`: "charges", "customers"...) the gateway sent that
    /// could not be read; the rest of their page was kept.
    Unreadable {
        list: &'static str,
        skipped: Vec<Skipped>,
    },
    Copied(Result<&'static str, String>),
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
