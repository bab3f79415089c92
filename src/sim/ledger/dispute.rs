//! Disputes (chargebacks and inquiries) against captured charges: evidence,
//! submission, closing (conceding) and the outcome.
//!
//! State machine: `warning_needs_response` (inquiry) and `needs_response` accept
//! evidence. Submitting moves them to `warning_under_review` / `under_review`,
//! except that evidence text containing `winning_evidence` or `losing_evidence`
//! (Stripe's test strings) decides the outcome at once: `won` / `lost`.
//! Closing concedes: → `lost`. A `needs_response` dispute still open when its
//! evidence is due is lost by the clock.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

use super::settlement::MovementKind;
use super::{ChangeKind, ClockChange, Ledger, LedgerError, Source, Table};

/// How long a merchant has to respond to a new dispute.
pub const RESPONSE_WINDOW: TimeDelta = TimeDelta::days(21);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisputeStatus {
    WarningNeedsResponse,
    WarningUnderReview,
    NeedsResponse,
    UnderReview,
    Won,
    Lost,
}

impl DisputeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::WarningNeedsResponse => "warning_needs_response",
            DisputeStatus::WarningUnderReview => "warning_under_review",
            DisputeStatus::NeedsResponse => "needs_response",
            DisputeStatus::UnderReview => "under_review",
            DisputeStatus::Won => "won",
            DisputeStatus::Lost => "lost",
        }
    }

    /// True once decided: won or lost.
    pub fn is_closed(self) -> bool {
        matches!(self, DisputeStatus::Won | DisputeStatus::Lost)
    }

    /// True while the merchant may still respond (submit evidence or close).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            DisputeStatus::WarningNeedsResponse | DisputeStatus::NeedsResponse
        )
    }
}

impl fmt::Display for DisputeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct Dispute {
    pub token: String,
    pub charge: String,
    pub amount: i64,
    pub currency: String,
    pub reason: String,
    pub status: DisputeStatus,
    /// Evidence fields (`uncategorized_text`, `customer_name`, ...) in the order first set.
    pub evidence: Vec<(String, String)>,
    pub evidence_due_by: DateTime<Utc>,
    pub submission_count: u32,
    pub metadata: Vec<(String, String)>,
    pub created_at: DateTime<Utc>,
    /// When it last changed (evidence, metadata, status).
    pub updated_at: DateTime<Utc>,
}

/// Input for [`Ledger::open_dispute`] (seed data may give history too).
#[derive(Clone, Debug)]
pub struct NewDispute {
    pub charge: String,
    pub reason: String,
    pub status: DisputeStatus,
    pub evidence: Vec<(String, String)>,
    pub submission_count: u32,
}

fn set_pairs(into: &mut Vec<(String, String)>, changes: Vec<(String, String)>) {
    for (k, v) in changes {
        match into.iter().position(|(ek, _)| *ek == k) {
            Some(i) if v.is_empty() => {
                into.remove(i);
            }
            Some(i) => into[i].1 = v,
            None if v.is_empty() => {}
            None => into.push((k, v)),
        }
    }
}

impl Ledger {
    /// Open a dispute on a captured charge (seed data, test cards). The charge
    /// is flagged `active_chargebacks`.
    pub fn open_dispute(&mut self, new: NewDispute, source: Source) -> Result<String, LedgerError> {
        let now = self.tick();
        let c = self.charge(&new.charge)?;
        if !c.is_captured() {
            return Err(LedgerError::NotCaptured);
        }
        let (amount, currency) = (c.captured_amount, c.currency.clone());
        let token = self.new_token("dp");
        self.disputes.push(
            token.clone(),
            Dispute {
                token: token.clone(),
                charge: new.charge.clone(),
                amount,
                currency: currency.clone(),
                reason: new.reason,
                status: new.status,
                evidence: new.evidence,
                evidence_due_by: now + RESPONSE_WINDOW,
                submission_count: new.submission_count,
                metadata: Vec::new(),
                created_at: now,
                updated_at: now,
            },
        );
        self.set_chargeback(&new.charge, true)?;
        self.record(MovementKind::Dispute, (&new.charge, &token), amount, now);
        if new.status == DisputeStatus::Won {
            self.record(
                MovementKind::DisputeReversal,
                (&new.charge, &token),
                amount,
                now,
            );
        }
        self.log(
            "open_dispute",
            &token,
            Some((amount, currency)),
            now,
            source,
        );
        self.changed(ChangeKind::DisputeCreated, &token, now);
        Ok(token)
    }

    pub fn dispute(&self, token: &str) -> Result<&Dispute, LedgerError> {
        self.disputes.by_token(token)
    }

    /// All disputes in insertion order (`newest_first()` for the other order).
    pub fn disputes(&self) -> &Table<Dispute> {
        &self.disputes
    }

    /// The newest dispute of a charge, if any.
    pub fn dispute_for_charge(&self, charge: &str) -> Option<&Dispute> {
        self.disputes
            .iter()
            .filter(|d| d.charge == charge)
            .max_by_key(|d| d.created_at)
    }

    /// Stage evidence (empty values remove a field), replace metadata; with `submit`,
    /// send it. Metadata alone may change in any state; evidence only while open.
    pub fn update_dispute(
        &mut self,
        token: &str,
        evidence: Vec<(String, String)>,
        metadata: Option<Vec<(String, String)>>,
        submit: bool,
        source: Source,
    ) -> Result<(), LedgerError> {
        let now = self.tick();
        let ix = self.disputes.index_of(token)?;
        let d = &mut self.disputes[ix];
        let touches_evidence = !evidence.is_empty() || submit;
        if touches_evidence && !d.status.is_open() {
            return Err(LedgerError::DisputeNotOpen(d.status));
        }
        set_pairs(&mut d.evidence, evidence);
        if let Some(m) = metadata {
            d.metadata = m;
        }
        d.updated_at = now;
        if !submit {
            self.log("update_dispute", token, None, now, source);
            self.changed(ChangeKind::DisputeUpdated, token, now);
            return Ok(());
        }
        d.submission_count += 1;
        let text = d
            .evidence
            .iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        d.status = if text.contains("winning_evidence") {
            DisputeStatus::Won
        } else if text.contains("losing_evidence") {
            DisputeStatus::Lost
        } else if d.status == DisputeStatus::WarningNeedsResponse {
            DisputeStatus::WarningUnderReview
        } else {
            DisputeStatus::UnderReview
        };
        let money = (d.amount, d.currency.clone());
        let kind = if d.status.is_closed() {
            ChangeKind::DisputeClosed
        } else {
            ChangeKind::DisputeUpdated
        };
        if d.status == DisputeStatus::Won {
            let charge = d.charge.clone();
            self.record(
                MovementKind::DisputeReversal,
                (&charge, token),
                money.0,
                now,
            );
        }
        self.log("submit_dispute_evidence", token, Some(money), now, source);
        self.changed(kind, token, now);
        Ok(())
    }

    /// Concede: an open dispute becomes `lost`.
    pub fn close_dispute(&mut self, token: &str, source: Source) -> Result<(), LedgerError> {
        let now = self.tick();
        let ix = self.disputes.index_of(token)?;
        let d = &mut self.disputes[ix];
        if !d.status.is_open() {
            return Err(LedgerError::DisputeNotOpen(d.status));
        }
        d.status = DisputeStatus::Lost;
        d.updated_at = now;
        let money = (d.amount, d.currency.clone());
        self.log("close_dispute", token, Some(money), now, source);
        self.changed(ChangeKind::DisputeClosed, token, now);
        Ok(())
    }

    pub(super) fn lose_overdue_disputes(&mut self, now: DateTime<Utc>) {
        let all = 0..self.disputes.len();
        self.apply_clock_rule(
            ("dispute_lost", Some(ChangeKind::DisputeClosed)),
            |l| &mut l.disputes,
            all,
            |d| {
                if d.status != DisputeStatus::NeedsResponse || d.evidence_due_by > now {
                    return None;
                }
                d.status = DisputeStatus::Lost;
                d.updated_at = d.evidence_due_by;
                Some(ClockChange {
                    money: Some((d.amount, d.currency.clone())),
                    at: d.evidence_due_by,
                })
            },
        );
    }
}
