//! Refunds: created pending against a captured charge, settled by the clock.

use chrono::{DateTime, Utc};

use super::settlement::MovementKind;
use super::table::take_due;
use super::{ChangeKind, ClockChange, Ledger, LedgerError, REFUND_SETTLEMENT, Source, Table};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundState {
    Pending,
    Succeeded,
}

#[derive(Clone, Debug)]
pub struct Refund {
    pub token: String,
    pub charge: String,
    pub amount: i64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub state: RefundState,
    /// Stripe's `reason` (`requested_by_customer`, ...), if one was given.
    pub reason: Option<String>,
    pub metadata: Vec<(String, String)>,
    /// True when this record released uncaptured money rather than returning
    /// captured money (Stripe partial capture / refunded authorisation).
    pub release: bool,
}

/// Optional details of a refund (Stripe).
#[derive(Clone, Debug, Default)]
pub struct RefundExtra {
    pub reason: Option<String>,
    pub metadata: Vec<(String, String)>,
}

impl Ledger {
    /// Refund captured money; `None` refunds everything still refundable.
    /// The charge's `refunded_amount` grows at once (pending refunds count).
    pub fn refund(
        &mut self,
        charge: &str,
        amount: Option<i64>,
        source: Source,
    ) -> Result<String, LedgerError> {
        self.refund_with(charge, amount, RefundExtra::default(), source)
    }

    /// [`Ledger::refund`] with a reason and metadata.
    pub fn refund_with(
        &mut self,
        charge: &str,
        amount: Option<i64>,
        extra: RefundExtra,
        source: Source,
    ) -> Result<String, LedgerError> {
        let now = self.tick();
        let ix = self.charges.index_of(charge)?;
        let c = &self.charges[ix];
        if !c.is_captured() {
            return Err(LedgerError::NotCaptured);
        }
        let refundable = c.refundable();
        let requested = amount.unwrap_or(refundable);
        if amount.is_some() && requested <= 0 {
            return Err(LedgerError::NonPositiveAmount);
        }
        if requested > refundable || requested <= 0 {
            return Err(LedgerError::RefundExceedsCaptured {
                requested,
                refundable,
            });
        }
        let currency = c.currency.clone();
        let token = self.new_token("rf");
        let c = &mut self.charges[ix];
        c.refunded_amount += requested;
        c.refund_tokens.push(token.clone());
        let rix = self.refunds.push(
            token.clone(),
            Refund {
                token: token.clone(),
                charge: charge.to_string(),
                amount: requested,
                currency: currency.clone(),
                created_at: now,
                state: RefundState::Pending,
                reason: extra.reason,
                metadata: extra.metadata,
                release: false,
            },
        );
        self.pending_refunds.push(rix);
        self.log("refund", charge, Some((requested, currency)), now, source);
        self.changed(ChangeKind::RefundCreated, &token, now);
        Ok(token)
    }

    /// A succeeded refund record for authorised money released without capture.
    pub(super) fn record_release(
        &mut self,
        charge: &str,
        amount: i64,
        reason: Option<String>,
        metadata: Vec<(String, String)>,
        operation: &'static str,
        source: Source,
    ) -> Result<String, LedgerError> {
        let ix = self.charges.index_of(charge)?;
        let now = self.now();
        let token = self.new_token("rf");
        let c = &mut self.charges[ix];
        c.released_amount += amount;
        c.refund_tokens.push(token.clone());
        let currency = c.currency.clone();
        self.refunds.push(
            token.clone(),
            Refund {
                token: token.clone(),
                charge: charge.to_string(),
                amount,
                currency: currency.clone(),
                created_at: now,
                state: RefundState::Succeeded,
                reason,
                metadata,
                release: true,
            },
        );
        self.log(operation, charge, Some((amount, currency)), now, source);
        // A partial capture's release goes with its capture's change.
        if operation == "void" {
            self.changed(ChangeKind::ChargeVoided, charge, now);
        }
        Ok(token)
    }

    /// Replace a refund's metadata.
    pub fn update_refund_metadata(
        &mut self,
        token: &str,
        metadata: Vec<(String, String)>,
        source: Source,
    ) -> Result<(), LedgerError> {
        let now = self.tick();
        let ix = self.refunds.index_of(token)?;
        self.refunds[ix].metadata = metadata;
        self.log("update_refund", token, None, now, source);
        Ok(())
    }

    pub fn refund_by_token(&self, token: &str) -> Result<&Refund, LedgerError> {
        self.refunds.by_token(token)
    }

    /// All refunds in insertion order (`newest_first()` for the other order).
    pub fn refunds(&self) -> &Table<Refund> {
        &self.refunds
    }

    /// Refunds of one charge, newest first.
    pub fn refunds_for_charge(&self, charge: &str) -> Result<Vec<&Refund>, LedgerError> {
        let c = self.charge(charge)?;
        let mut list: Vec<&Refund> = c
            .refund_tokens
            .iter()
            .filter_map(|t| self.refund_by_token(t).ok())
            .collect();
        list.reverse();
        Ok(list)
    }

    /// True while any refund of the charge is still pending.
    pub fn refund_pending(&self, charge: &str) -> bool {
        self.charge(charge).is_ok_and(|c| {
            c.refund_tokens.iter().any(|t| {
                self.refund_by_token(t)
                    .is_ok_and(|r| r.state == RefundState::Pending)
            })
        })
    }

    /// Settle a pending refund now (Stripe: refunds to ordinary cards succeed
    /// immediately); a refund that is not pending is left as it is.
    pub fn settle_refund_now(&mut self, token: &str, source: Source) -> Result<(), LedgerError> {
        let ix = self.refunds.index_of(token)?;
        if self.refunds[ix].state != RefundState::Pending {
            return Ok(());
        }
        let now = self.now();
        self.pending_refunds.retain(|&i| i != ix);
        let r = &mut self.refunds[ix];
        r.state = RefundState::Succeeded;
        let (amount, currency, charge) = (r.amount, r.currency.clone(), r.charge.clone());
        self.record(MovementKind::Refund, (&charge, token), amount, now);
        self.log(
            "refund_succeeded",
            token,
            Some((amount, currency)),
            now,
            source,
        );
        self.changed(ChangeKind::RefundSucceeded, token, now);
        Ok(())
    }

    pub(super) fn settle_refunds(&mut self, now: DateTime<Utc>) {
        let due = take_due(
            &mut self.pending_refunds,
            &self.refunds,
            REFUND_SETTLEMENT,
            now,
        );
        self.apply_clock_rule(
            ("refund_succeeded", Some(ChangeKind::RefundSucceeded)),
            |l| &mut l.refunds,
            due.iter().copied(),
            |r| {
                r.state = RefundState::Succeeded;
                Some(ClockChange {
                    money: Some((r.amount, r.currency.clone())),
                    at: r.created_at + REFUND_SETTLEMENT,
                })
            },
        );
        for i in due {
            let r = &self.refunds[i];
            let (charge, token, amount) = (r.charge.clone(), r.token.clone(), r.amount);
            self.record(
                MovementKind::Refund,
                (&charge, &token),
                amount,
                r.created_at + REFUND_SETTLEMENT,
            );
        }
    }
}
