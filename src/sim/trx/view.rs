//! Ledger records as TRX transactions: charges are PAYMENTs, refunds REFUNDs,
//! disputes CHARGEBACKs; status and `updated_at` are derived from ledger time.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::Extra;
use super::settlements::Settled;
use crate::sim::common::major_units::{major, text};
use crate::sim::ledger::settlement::fees::TRX_FEES;
use crate::sim::ledger::{
    AUTHORISATION_WINDOW, Card, Charge, ChargeState, DisputeStatus, Ledger, REFUND_SETTLEMENT,
    RefundState,
};

/// Captured payments settle after this much ledger time (and only then enter
/// a settlement batch).
pub(crate) const SETTLEMENT: TimeDelta = TRX_FEES.capture_settles_after;

/// One transaction, ready to filter, sort and render.
#[derive(Debug, Clone)]
pub(crate) struct Trx {
    pub id: String,
    pub ty: &'static str,
    pub status: &'static str,
    /// `order_amount` in major units (the sort key; currency ignored).
    pub order_major: rust_decimal::Decimal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub json: Value,
}

/// A charge's `order_id` and `external_id`: from its metadata, or derived from
/// its id for seeded charges (`ORD-` + last 10, `EXT-` + first 12 ULID characters).
pub(crate) fn order_ids(c: &Charge) -> (String, String) {
    let meta = |k: &str| {
        c.metadata
            .iter()
            .find(|(mk, _)| mk == k)
            .map(|(_, v)| v.clone())
    };
    let ulid = c.token.strip_prefix("trx_").unwrap_or(&c.token);
    let order =
        meta("order_id").unwrap_or_else(|| format!("ORD-{}", ulid.get(16..).unwrap_or(ulid)));
    let external =
        meta("external_id").unwrap_or_else(|| format!("EXT-{}", ulid.get(..12).unwrap_or(ulid)));
    (order, external)
}

fn card_json(card: &Card) -> Value {
    json!({
        "brand": card.scheme,
        "last4": card.last4,
        "expiry_month": card.expiry_month,
        "expiry_year": card.expiry_year,
    })
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The PAYMENT view of a charge.
pub(crate) fn payment(l: &Ledger, extra: &Extra, c: &Charge) -> Trx {
    payment_in(l, extra, c, &Settled::one(extra.seed, l, &c.token))
}

/// A transaction's JSON with its settlement fields added.
fn with_settlement(mut json: Value, settled: &Settled, id: &str, currency: &str) -> Value {
    for (field, value) in settled.fields(id, currency) {
        json[field] = value;
    }
    json
}

/// The PAYMENT view of a charge, whose settlement is in `settled`.
fn payment_in(l: &Ledger, extra: &Extra, c: &Charge, settled: &Settled) -> Trx {
    let now = l.now();
    let voided = extra.partial_void.get(&c.token).copied().unwrap_or(0);
    let mut updated = c.created_at;
    let mut bump = |t: Option<DateTime<Utc>>| {
        if let Some(t) = t.filter(|t| *t > updated && *t <= now) {
            updated = t;
        }
    };
    bump(extra.updated.get(&c.token).copied());
    let (status, decline) = match &c.state {
        ChargeState::Authorised => ("AUTHORIZED", None),
        ChargeState::Voided => ("VOIDED", None),
        ChargeState::Expired => {
            bump(Some(c.created_at + AUTHORISATION_WINDOW));
            ("EXPIRED", None)
        }
        ChargeState::Declined { code, message } => {
            ("DECLINED", Some((code.clone(), message.clone())))
        }
        ChargeState::PendingAuthentication => (
            "DECLINED",
            Some((
                "authentication_required".to_string(),
                "3-D Secure authentication was not completed".to_string(),
            )),
        ),
        ChargeState::Captured => {
            let at = c.captured_at.unwrap_or(c.created_at);
            bump(Some(at));
            let partial = c.captured_amount < c.amount;
            let settled = now >= at + SETTLEMENT;
            if settled {
                bump(Some(at + SETTLEMENT));
            }
            match (partial, settled) {
                (false, false) => ("CAPTURED", None),
                (true, false) => ("PARTIAL_CAPTURED", None),
                (false, true) => ("SETTLED", None),
                (true, true) => ("PARTIAL_SETTLED", None),
            }
        }
    };
    let refunded: i64 = l
        .refunds_for_charge(&c.token)
        .map(|rs| {
            rs.iter()
                .filter(|r| !r.release)
                .inspect(|r| bump(Some(r.created_at)))
                .map(|r| r.amount)
                .sum()
        })
        .unwrap_or(0);
    let authorized = match c.state {
        ChargeState::Authorised | ChargeState::Captured => c.amount - voided,
        _ => 0,
    };
    let (order_id, external_id) = order_ids(c);
    let cur = &c.currency;
    let json = json!({
        "id": c.token,
        "type": "PAYMENT",
        "status": status,
        "order_amount": text(c.amount, cur),
        "authorized_amount": text(authorized, cur),
        "captured_amount": text(c.captured_amount, cur),
        "refunded_amount": text(refunded, cur),
        "currency": cur,
        "order_id": order_id,
        "external_id": external_id,
        "parent_id": null,
        "description": c.description,
        "card": card_json(&c.card),
        "created_at": time(c.created_at),
        "updated_at": time(updated),
        "decline_code": decline.as_ref().map(|d| d.0.clone()),
        "decline_message": decline.as_ref().map(|d| d.1.clone()),
    });
    let json = with_settlement(json, settled, &c.token, cur);
    Trx {
        id: c.token.clone(),
        ty: "PAYMENT",
        status,
        order_major: major(c.amount, &c.currency),
        created_at: c.created_at,
        updated_at: updated,
        json,
    }
}

#[allow(clippy::too_many_arguments)]
fn child(
    parent: &Charge,
    id: &str,
    ty: &'static str,
    status: &'static str,
    amount: i64,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    reason: Option<&str>,
    settled: &Settled,
) -> Trx {
    let (order_id, external_id) = order_ids(parent);
    let cur = &parent.currency;
    let json = json!({
        "id": id,
        "type": ty,
        "status": status,
        "order_amount": text(amount, cur),
        "authorized_amount": text(amount, cur),
        "captured_amount": text(amount, cur),
        "refunded_amount": text(0, cur),
        "currency": cur,
        "order_id": order_id,
        "external_id": external_id,
        "parent_id": parent.token,
        "description": reason.unwrap_or(&parent.description),
        "card": card_json(&parent.card),
        "created_at": time(created),
        "updated_at": time(updated),
        "decline_code": null,
        "decline_message": null,
    });
    let json = with_settlement(json, settled, id, cur);
    Trx {
        id: id.to_string(),
        ty,
        status,
        order_major: major(amount, &parent.currency),
        created_at: created,
        updated_at: updated,
        json,
    }
}

/// Every transaction in the ledger (payments, then refunds, then chargebacks).
pub(crate) fn all(l: &Ledger, extra: &Extra) -> Vec<Trx> {
    let settled = Settled::all(extra.seed, l);
    let mut out: Vec<Trx> = l
        .charges()
        .iter()
        .map(|c| payment_in(l, extra, c, &settled))
        .collect();
    for r in l.refunds().iter().filter(|r| !r.release) {
        if let Ok(c) = l.charge(&r.charge) {
            let (status, updated) = match r.state {
                RefundState::Pending => ("CAPTURED", r.created_at),
                RefundState::Succeeded => ("SETTLED", r.created_at + REFUND_SETTLEMENT),
            };
            out.push(child(
                c,
                &r.token,
                "REFUND",
                status,
                r.amount,
                r.created_at,
                updated.min(l.now()).max(r.created_at),
                r.reason.as_deref(),
                &settled,
            ));
        }
    }
    for d in l.disputes() {
        if let Ok(c) = l.charge(&d.charge) {
            let status = match d.status {
                DisputeStatus::Lost => "SETTLED",
                DisputeStatus::Won => "VOIDED",
                _ => "CAPTURED",
            };
            out.push(child(
                c,
                &d.token,
                "CHARGEBACK",
                status,
                d.amount,
                d.created_at,
                d.updated_at.min(l.now()).max(d.created_at),
                Some(&d.reason),
                &settled,
            ));
        }
    }
    out
}

/// One transaction by id.
pub(crate) fn one(l: &Ledger, extra: &Extra, id: &str) -> Option<Trx> {
    if let Ok(c) = l.charge(id) {
        return Some(payment(l, extra, c));
    }
    all(l, extra).into_iter().find(|t| t.id == id)
}
