//! Charges and their state machine: authorised → captured | voided | expired;
//! declined and pending-3-D-Secure charges are stored too.

use chrono::{DateTime, Utc};

use super::settlement::MovementKind;
use super::table::take_due;
use super::{
    AUTHORISATION_WINDOW, Card, ChangeKind, ClockChange, Ledger, LedgerError, Source, Table,
};

/// Where a charge stands. Refunds and disputes are tracked beside the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChargeState {
    Authorised,
    Captured,
    Voided,
    Expired,
    Declined { code: String, message: String },
    PendingAuthentication,
}

/// What the card network says about a new charge (decided by the dialect's test cards).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    Declined {
        code: String,
        message: String,
    },
    /// 3-D Secure challenge first; completes on verification.
    Authenticate,
}

/// How much of an authorisation a capture may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureRule {
    /// Pin: the amount, if given, must equal the authorised amount.
    FullOnly,
    /// Gateways with partial capture: any amount up to the authorised amount.
    UpTo,
}

/// Input for [`Ledger::create_charge`]; the card is already resolved and masked.
#[derive(Clone, Debug)]
pub struct NewCharge {
    pub amount: i64,
    pub currency: String,
    pub description: String,
    pub email: String,
    pub ip_address: String,
    pub card: Card,
    pub customer_token: Option<String>,
    pub capture: bool,
    pub metadata: Vec<(String, String)>,
    pub outcome: Outcome,
    pub callback_url: Option<String>,
    pub reference: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Charge {
    pub token: String,
    pub amount: i64,
    pub currency: String,
    pub description: String,
    pub email: String,
    pub ip_address: String,
    pub created_at: DateTime<Utc>,
    pub card: Card,
    pub customer_token: Option<String>,
    pub state: ChargeState,
    /// The `capture` flag of the request, applied once 3-D Secure completes.
    pub capture_requested: bool,
    pub captured_amount: i64,
    pub captured_at: Option<DateTime<Utc>>,
    pub refunded_amount: i64,
    /// Authorised money released without capture (Stripe: the remainder of a
    /// partial capture, or a whole refunded authorisation); never refundable.
    pub released_amount: i64,
    pub refund_tokens: Vec<String>,
    pub metadata: Vec<(String, String)>,
    pub active_chargebacks: bool,
    pub session_token: Option<String>,
    pub callback_url: Option<String>,
    pub reference: Option<String>,
}

impl Charge {
    pub fn is_captured(&self) -> bool {
        self.state == ChargeState::Captured
    }

    /// Captured money not yet refunded (pending refunds count as refunded).
    pub fn refundable(&self) -> i64 {
        if self.is_captured() {
            self.captured_amount - self.refunded_amount
        } else {
            0
        }
    }

    fn check_authorised(&self) -> Result<(), LedgerError> {
        match self.state {
            ChargeState::Authorised => Ok(()),
            ChargeState::Captured => Err(LedgerError::AlreadyCaptured),
            ChargeState::Voided => Err(LedgerError::Voided),
            ChargeState::Expired => Err(LedgerError::Expired),
            ChargeState::Declined { .. } => Err(LedgerError::Declined),
            ChargeState::PendingAuthentication => Err(LedgerError::PendingAuthentication),
        }
    }
}

impl Ledger {
    /// Store a charge (declined ones too) and return its token.
    pub fn create_charge(&mut self, new: NewCharge, source: Source) -> String {
        let now = self.tick();
        let token = self.new_token("ch");
        let (state, session) = match new.outcome {
            Outcome::Approved if new.capture => (ChargeState::Captured, None),
            Outcome::Approved => (ChargeState::Authorised, None),
            Outcome::Declined { code, message } => (ChargeState::Declined { code, message }, None),
            Outcome::Authenticate => (
                ChargeState::PendingAuthentication,
                Some(self.new_token("se")),
            ),
        };
        let captured = state == ChargeState::Captured;
        let charge = Charge {
            token: token.clone(),
            amount: new.amount,
            currency: new.currency,
            description: new.description,
            email: new.email,
            ip_address: new.ip_address,
            created_at: now,
            card: new.card,
            customer_token: new.customer_token,
            state,
            capture_requested: new.capture,
            captured_amount: if captured { new.amount } else { 0 },
            captured_at: captured.then_some(now),
            refunded_amount: 0,
            released_amount: 0,
            refund_tokens: Vec::new(),
            metadata: new.metadata,
            active_chargebacks: false,
            session_token: session.clone(),
            callback_url: new.callback_url,
            reference: new.reference,
        };
        self.log(
            "create_charge",
            &token,
            Some((charge.amount, charge.currency.clone())),
            now,
            source,
        );
        let authorised = charge.state == ChargeState::Authorised;
        let kind = match charge.state {
            ChargeState::Declined { .. } => ChangeKind::ChargeFailed,
            ChargeState::PendingAuthentication => ChangeKind::ChargePending,
            _ => ChangeKind::ChargeCreated,
        };
        self.changed(kind, &token, now);
        let ix = self.charges.push(token.clone(), charge);
        if captured {
            self.record(MovementKind::Charge, (&token, &token), new.amount, now);
        }
        if authorised {
            self.open_auths.push(ix);
        }
        if let Some(s) = session {
            self.sessions.insert(s, ix);
        }
        token
    }

    pub fn charge(&self, token: &str) -> Result<&Charge, LedgerError> {
        self.charges.by_token(token)
    }

    /// All charges in insertion order (`newest_first()` for the other order).
    pub fn charges(&self) -> &Table<Charge> {
        &self.charges
    }

    /// Capture an authorisation. `amount` of `None` means the full authorised amount.
    pub fn capture(
        &mut self,
        token: &str,
        amount: Option<i64>,
        rule: CaptureRule,
        source: Source,
    ) -> Result<(), LedgerError> {
        let (ix, now) = self.open_authorisation(token)?;
        let c = &mut self.charges[ix];
        let take = amount.unwrap_or(c.amount);
        if take <= 0 {
            return Err(LedgerError::NonPositiveAmount);
        }
        match rule {
            CaptureRule::FullOnly if take != c.amount => {
                return Err(LedgerError::AmountMismatch {
                    expected: c.amount,
                    given: take,
                });
            }
            CaptureRule::UpTo if take > c.amount => {
                return Err(LedgerError::CaptureExceedsAuthorised {
                    authorised: c.amount,
                    given: take,
                });
            }
            _ => {}
        }
        c.state = ChargeState::Captured;
        c.captured_amount = take;
        c.captured_at = Some(now);
        let currency = c.currency.clone();
        self.open_auths.retain(|&i| i != ix);
        self.log("capture", token, Some((take, currency)), now, source);
        self.changed(ChangeKind::ChargeCaptured, token, now);
        self.record(MovementKind::Charge, (token, token), take, now);
        Ok(())
    }

    /// Stripe-style capture: any amount up to the authorisation; the uncaptured
    /// remainder is released at once as a succeeded refund record. Returns the
    /// remainder's refund token, if there was a remainder.
    pub fn capture_and_release(
        &mut self,
        token: &str,
        amount: Option<i64>,
        source: Source,
    ) -> Result<Option<String>, LedgerError> {
        self.capture(token, amount, CaptureRule::UpTo, source)?;
        let c = self.charge(token)?;
        let remainder = c.amount - c.captured_amount - c.released_amount;
        if remainder <= 0 {
            return Ok(None);
        }
        let refund = self.record_release(token, remainder, None, Vec::new(), "release", source)?;
        Ok(Some(refund))
    }

    /// Stripe-style refund of an uncaptured charge: the whole authorisation is
    /// released (the charge is voided) and a succeeded refund record is kept.
    pub fn release_authorisation(
        &mut self,
        token: &str,
        reason: Option<String>,
        metadata: Vec<(String, String)>,
        source: Source,
    ) -> Result<String, LedgerError> {
        let (ix, _) = self.open_authorisation(token)?;
        self.charges[ix].state = ChargeState::Voided;
        self.open_auths.retain(|&i| i != ix);
        let amount = self.charges[ix].amount;
        self.record_release(token, amount, reason, metadata, "void", source)
    }

    /// Apply due time rules and find `token`, which must be an authorisation
    /// still open: its index, and ledger time.
    fn open_authorisation(&mut self, token: &str) -> Result<(usize, DateTime<Utc>), LedgerError> {
        let now = self.tick();
        let ix = self.charges.index_of(token)?;
        self.charges[ix].check_authorised()?;
        Ok((ix, now))
    }

    /// Change what an operator may edit: description, email (Stripe's
    /// `receipt_email`) and the whole metadata list; `None` leaves a field alone.
    pub fn update_charge(
        &mut self,
        token: &str,
        description: Option<String>,
        email: Option<String>,
        metadata: Option<Vec<(String, String)>>,
        source: Source,
    ) -> Result<(), LedgerError> {
        let now = self.tick();
        let ix = self.charges.index_of(token)?;
        self.changed(ChangeKind::ChargeUpdated, token, now);
        let c = &mut self.charges[ix];
        if let Some(d) = description {
            c.description = d;
        }
        if let Some(e) = email {
            c.email = e;
        }
        if let Some(m) = metadata {
            c.metadata = m;
        }
        self.log("update_charge", token, None, now, source);
        Ok(())
    }

    /// Release an authorisation.
    pub fn void(&mut self, token: &str, source: Source) -> Result<(), LedgerError> {
        let (ix, now) = self.open_authorisation(token)?;
        let c = &mut self.charges[ix];
        c.state = ChargeState::Voided;
        let money = (c.amount, c.currency.clone());
        self.open_auths.retain(|&i| i != ix);
        self.log("void", token, Some(money), now, source);
        self.changed(ChangeKind::ChargeVoided, token, now);
        Ok(())
    }

    /// Complete 3-D Secure: the charge becomes captured or authorised per its
    /// `capture` flag. Verifying an already-completed session is a no-op.
    pub fn verify_3ds(&mut self, session: &str, source: Source) -> Result<String, LedgerError> {
        self.tick();
        let ix = *self
            .sessions
            .get(session)
            .ok_or_else(|| LedgerError::not_found("session", session))?;
        let now = self.now();
        let c = &mut self.charges[ix];
        if c.state != ChargeState::PendingAuthentication {
            return Ok(c.token.clone());
        }
        if c.capture_requested {
            c.state = ChargeState::Captured;
            c.captured_amount = c.amount;
            c.captured_at = Some(now);
        } else {
            c.state = ChargeState::Authorised;
        }
        let (token, money) = (c.token.clone(), (c.amount, c.currency.clone()));
        if self.charges[ix].state == ChargeState::Authorised {
            self.open_auths.push(ix);
        }
        if self.charges[ix].state == ChargeState::Captured {
            self.record(MovementKind::Charge, (&token, &token), money.0, now);
        }
        self.log("verify_3ds", &token, Some(money), now, source);
        self.changed(ChangeKind::ChargeAuthenticated, &token, now);
        Ok(token)
    }

    /// Charge behind a 3-D Secure session token.
    pub fn charge_by_session(&self, session: &str) -> Option<&Charge> {
        self.sessions
            .get(session)
            .and_then(|&i| self.charges.get(i))
    }

    /// Flag or clear a dispute (seed data and admin use).
    pub fn set_chargeback(&mut self, token: &str, active: bool) -> Result<(), LedgerError> {
        let ix = self.charges.index_of(token)?;
        self.charges[ix].active_chargebacks = active;
        Ok(())
    }

    pub(super) fn expire_authorisations(&mut self, now: DateTime<Utc>) {
        let due = take_due(
            &mut self.open_auths,
            &self.charges,
            AUTHORISATION_WINDOW,
            now,
        );
        self.apply_clock_rule(
            ("expire", Some(ChangeKind::ChargeExpired)),
            |l| &mut l.charges,
            due,
            |c| {
                if c.state != ChargeState::Authorised {
                    return None;
                }
                c.state = ChargeState::Expired;
                Some(ClockChange {
                    money: Some((c.amount, c.currency.clone())),
                    at: c.created_at + AUTHORISATION_WINDOW,
                })
            },
        );
    }
}
