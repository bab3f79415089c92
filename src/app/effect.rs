//! What `update` asks the outside world to do. The runner does it and answers with `Msg`s.

use chrono::{DateTime, Utc};

use super::copy_menu::Copying;
use super::dialogs::confirm::Irreversible;
use super::request::{Generation, PageAsk};
use super::store_window::StoreAsk;
use crate::domain::{Action, ChargeFilter};
use crate::gateway::OperationKey;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask for charges newer than `newest` (all of the first page when `None`) and
    /// re-read `refresh`. With `from_store`, the newest is the local store's (the
    /// runner reads it) and what the poll finds is written to the store.
    Poll {
        newest: Option<(String, DateTime<Utc>)>,
        refresh: Vec<String>,
        from_store: bool,
    },
    /// A page of the charges window, read from the local store.
    StorePage(StoreAsk),
    /// The count and sums of the filter's charges, from the local store.
    StoreTotals {
        filter: ChargeFilter,
        generation: Generation,
    },
    /// The figures of `:stats`, from the local store.
    LoadStats(super::screens::stats::StatsAsk),
    /// The gateway's own JSON of a charge, which the store does not keep.
    LoadRaw(String),
    /// Syncs the gateway's charges into the store in the background (new ones, those
    /// changed, then older pages), telling its progress.
    Sync,
    /// The next older page of charges.
    LoadOlder(PageAsk),
    /// The gateway's search for charges, under the generation of the search in force.
    Search {
        filter: ChargeFilter,
        generation: Generation,
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
        /// Release only `amount` and keep the rest authorised.
        partial: bool,
    },
    Refund {
        key: OperationKey,
        charge_id: String,
        amount: Money,
        reason: Option<String>,
    },
    /// A page of customers (`None`: the first).
    LoadCustomers(PageAsk),
    /// A customer with their cards and subscriptions, and the page of their charges
    /// `charges` asks for.
    LoadCustomer {
        id: String,
        charges: PageAsk,
    },
    /// A further page of a customer's charges.
    LoadCustomerCharges {
        customer_id: String,
        ask: PageAsk,
    },
    /// A page of all refunds.
    LoadRefundList(PageAsk),
    LoadCharge(String),
    /// Completes a charge waiting on 3-D Secure.
    Verify {
        key: OperationKey,
        session: String,
    },
    Confirmed {
        key: OperationKey,
        action: Irreversible,
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
    /// A page of disputes (`None`: the first).
    LoadDisputes(PageAsk),
    LoadDispute(String),
    /// The dispute of a charge, for its detail.
    LoadChargeDispute(String),
    SubmitEvidence {
        key: OperationKey,
        dispute_id: String,
        text: String,
    },
    /// A page of payouts (`None`: the first).
    LoadPayouts(PageAsk),
    LoadPayout(String),
    /// A page of a payout's balance lines.
    LoadPayoutLines {
        payout_id: String,
        ask: PageAsk,
    },
    LoadBalance,
    /// A charge's fee, net and payout, for its detail.
    LoadChargeSettlement(String),
    /// Copy text for the operator (`y`, `Y`).
    Copy(Copying),
    SwitchProfile(String),
    /// A call to the reconciliation sessions (`:recon`).
    Recon(super::recon_ask::ReconAsk),
}

/// What a write to a charge does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeAct {
    Capture,
    Void,
    /// Release part of an authorisation and keep the rest.
    VoidPart,
    Refund,
}

impl ChargeAct {
    /// The action the operator chose: a part void is a void.
    pub fn action(self) -> Action {
        match self {
            ChargeAct::Capture => Action::Capture,
            ChargeAct::Void | ChargeAct::VoidPart => Action::Void,
            ChargeAct::Refund => Action::Refund,
        }
    }
}

/// A capture, void or refund, read alike: what the runner sends and what leaving waits
/// for.
#[derive(Debug, Clone, Copy)]
pub struct ChargeWrite<'a> {
    pub act: ChargeAct,
    pub key: &'a OperationKey,
    pub charge_id: &'a str,
    pub amount: Money,
    pub reason: Option<&'a str>,
}

impl Effect {
    /// The effect as a write to a charge, if it is one.
    pub fn charge_write(&self) -> Option<ChargeWrite<'_>> {
        let (act, key, charge_id, amount, reason) = match self {
            Effect::Capture {
                key,
                charge_id,
                amount,
            } => (ChargeAct::Capture, key, charge_id, amount, None),
            Effect::Void {
                key,
                charge_id,
                amount,
                partial,
            } => {
                let act = if *partial {
                    ChargeAct::VoidPart
                } else {
                    ChargeAct::Void
                };
                (act, key, charge_id, amount, None)
            }
            Effect::Refund {
                key,
                charge_id,
                amount,
                reason,
            } => (ChargeAct::Refund, key, charge_id, amount, reason.as_deref()),
            _ => return None,
        };
        Some(ChargeWrite {
            act,
            key,
            charge_id,
            amount: *amount,
            reason,
        })
    }
}
