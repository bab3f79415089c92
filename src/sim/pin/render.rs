//! Ledger → Pin JSON (reference §2, §4.1, §5–§8).

use serde_json::{Map, Value, json};

use super::error::{Msg, PinError};
use super::{PinState, transfers};
use crate::money::Currency;
use crate::sim::form::Params;
use crate::sim::ledger::{
    Card, Charge, ChargeState, Customer, Ledger, Plan, Refund, RefundState, Subscription, fmt_time,
};

/// Pin's fee on a captured charge: the ledger's fee model for its card (the
/// same the settlement books charge), GST included (Pin has no tax field).
/// `None` for a charge the model cannot price.
fn total_fees(l: &Ledger, c: &Charge) -> Option<i64> {
    let fees = l.fee_model();
    let class = fees.card_class(&c.card.scheme, &c.card.issuing_country);
    let currency = Currency::from_code(&c.currency).ok()?;
    let fee = fees.charge_fee(c.captured_amount, currency, class).ok()?;
    fee.fee.checked_add(fee.fee_tax)
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> Value {
    t.map_or(Value::Null, |t| Value::String(fmt_time(t)))
}

pub fn card(c: &Card) -> Value {
    json!({
        "token": c.token,
        "scheme": c.scheme,
        "display_number": c.display_number,
        "issuing_country": c.issuing_country,
        "expiry_month": c.expiry_month,
        "expiry_year": c.expiry_year,
        "name": c.name,
        "address_line1": c.address_line1,
        "address_line2": c.address_line2,
        "address_city": c.address_city,
        "address_postcode": c.address_postcode,
        "address_state": c.address_state,
        "address_country": c.address_country,
        "network_type": null,
        "network_format": null,
        "customer_token": c.customer_token,
        "primary": c.primary,
    })
}

/// The charge object. Choices where the reference is uncertain:
/// * declined: `success:false`, `status_message:"Declined"`, `error_message` = description;
/// * pending 3-D Secure: `success:null` (not failed, not yet succeeded, like a
///   pending refund), `status_message:"Pending"`, `error_message:null`;
/// * expired: `status_message:"Authorisation Expired"`, `authorisation_expired:true`;
/// * 3-D Secure charges carry `redirect_url` (where to send the cardholder) and
///   `three_d_secure_session_token` (`se_…`, for `GET /charges/verify`).
/// * `transfer` names the transfer its capture went into (see `transfers`).
pub fn charge(s: &PinState, l: &Ledger, c: &Charge) -> Value {
    let captured = c.is_captured();
    let (success, status, error) = match &c.state {
        ChargeState::Declined { message, .. } => (json!(false), "Declined", Some(message.clone())),
        ChargeState::PendingAuthentication => (Value::Null, "Pending", None),
        ChargeState::Voided => (json!(true), "Authorisation Voided", None),
        ChargeState::Expired => (json!(true), "Authorisation Expired", None),
        ChargeState::Authorised | ChargeState::Captured => (json!(true), "Success", None),
    };
    let fees = captured.then(|| total_fees(l, c)).flatten();
    let (fees, entitlement) = match fees {
        Some(f) => (json!(f), json!(c.captured_amount.saturating_sub(f))),
        None => (Value::Null, Value::Null),
    };
    let metadata: Map<String, Value> = c
        .metadata
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let mut v = json!({
        "token": c.token,
        "success": success,
        "amount": c.amount,
        "currency": c.currency,
        "description": c.description,
        "email": c.email,
        "ip_address": c.ip_address,
        "created_at": fmt_time(c.created_at),
        "status_message": status,
        "error_message": error,
        "card": card(&c.card),
        "transfer": transfers::of_charge(s.seed, l, &c.token),
        "amount_refunded": c.refunded_amount,
        "total_fees": fees,
        "merchant_entitlement": entitlement,
        "refund_pending": l.refund_pending(&c.token),
        "authorisation_token": null,
        "authorisation_expired": c.state == ChargeState::Expired,
        "authorisation_voided": c.state == ChargeState::Voided,
        "captured": captured,
        "captured_at": time(c.captured_at),
        "settlement_currency": c.currency,
        "active_chargebacks": c.active_chargebacks,
        "metadata": metadata,
        "platform_fees": 0,
        "platform_adjustment": {"amount": 0, "currency": c.currency},
    });
    if let (Some(session), Value::Object(m)) = (&c.session_token, &mut v) {
        m.insert(
            "redirect_url".into(),
            json!(format!("{}/3ds/{session}", s.base_url)),
        );
        m.insert("three_d_secure_session_token".into(), json!(session));
    }
    v
}

pub fn customer(l: &Ledger, c: &Customer) -> Value {
    json!({
        "token": c.token,
        "email": c.email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone_number": c.phone_number,
        "company": c.company,
        "notes": c.notes,
        "created_at": fmt_time(c.created_at),
        "card": l.card(&c.primary_card).map_or(Value::Null, card),
    })
}

pub fn refund(r: &Refund) -> Value {
    let done = r.state == RefundState::Succeeded;
    json!({
        "token": r.token,
        "success": if done { json!(true) } else { Value::Null },
        "amount": r.amount,
        "currency": r.currency,
        "charge": r.charge,
        "created_at": fmt_time(r.created_at),
        "error_message": null,
        "status_message": if done { "Success" } else { "Pending" },
    })
}

/// A plan as `GET /plans/{plan}` gives it; the subscription counts are left out.
pub fn plan(p: &Plan) -> Value {
    json!({
        "name": p.name,
        "amount": p.amount,
        "currency": p.currency,
        "setup_amount": 0,
        "trial_amount": 0,
        "interval": p.interval,
        "interval_unit": p.interval_unit,
        "intervals": 0,
        "trial_interval": p.trial_interval,
        "trial_interval_unit": p.trial_interval_unit,
        "created_at": fmt_time(p.created_at),
        "token": p.token,
        "customer_permissions": ["cancel"],
    })
}

pub fn subscription(s: &Subscription) -> Value {
    json!({
        "state": s.state.to_string(),
        "next_billing_date": time(s.next_billing_date),
        "active_interval_started_at": fmt_time(s.active_interval_started_at),
        "active_interval_finishes_at": fmt_time(s.active_interval_finishes_at),
        "cancelled_at": time(s.cancelled_at),
        "created_at": fmt_time(s.created_at),
        "token": s.token,
        "plan_token": s.plan_token,
        "customer_token": s.customer_token,
        "card_token": s.card_token,
    })
}

/// `{"response": ...}`
pub fn one(v: Value) -> Value {
    json!({ "response": v })
}

/// Page request: `page` is 1-based (default 1); `per_page` defaults to 25 and is
/// clamped to 1..=100 — Pin documents neither the parameter nor a maximum, and
/// 100 keeps responses small while letting clients page quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

pub const DEFAULT_PER_PAGE: u64 = 25;
pub const MAX_PER_PAGE: u64 = 100;

impl Paging {
    /// Lenient: unusable values fall back to the defaults rather than failing.
    pub fn from_params(p: &Params) -> Self {
        let page = p
            .int("page")
            .ok()
            .flatten()
            .filter(|v| *v >= 1)
            .unwrap_or(1);
        let per = p
            .int("per_page")
            .ok()
            .flatten()
            .map_or(DEFAULT_PER_PAGE as i64, |v| v.clamp(1, MAX_PER_PAGE as i64));
        Paging {
            page: page.unsigned_abs(),
            per_page: per.unsigned_abs(),
        }
    }

    /// Strict, for the lists that answer bad paging with Pin's validation
    /// error (transfers and their line items): `page` and `per_page` must be
    /// whole numbers of at least 1; a `per_page` over the maximum is clamped,
    /// as on the charges list.
    pub fn strict(p: &Params) -> Result<Self, PinError> {
        let mut msgs = Vec::new();
        let mut read = |name: &str, default: u64| match p.int(name) {
            Ok(None) => default,
            Ok(Some(v)) if v >= 1 => v.unsigned_abs(),
            _ => {
                msgs.push(Msg::new(
                    name,
                    format!("{name} must be a whole number of at least 1"),
                ));
                default
            }
        };
        let page = read("page", 1);
        let per_page = read("per_page", DEFAULT_PER_PAGE).min(MAX_PER_PAGE);
        if msgs.is_empty() {
            Ok(Paging { page, per_page })
        } else {
            Err(PinError::Invalid(msgs))
        }
    }
}

/// A list envelope with top-level `count` and full `pagination`. A page past the
/// end is empty with `current` = the requested page.
pub fn page<T>(items: &[T], paging: Paging, render: impl Fn(&T) -> Value) -> Value {
    let total = items.len() as u64;
    let per = paging.per_page.max(1);
    let pages = total.div_ceil(per);
    let start = paging.page.saturating_sub(1).saturating_mul(per);
    let list: Vec<Value> = items
        .iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(per).unwrap_or(usize::MAX))
        .map(render)
        .collect();
    let current = paging.page;
    json!({
        "response": list,
        "count": total,
        "pagination": {
            "current": current,
            "previous": if current > 1 { json!(current - 1) } else { Value::Null },
            "next": if current < pages { json!(current + 1) } else { Value::Null },
            "per_page": per,
            "pages": pages,
            "count": total,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_envelope() {
        let items: Vec<u32> = (0..30).collect();
        let p = Paging {
            page: 2,
            per_page: 25,
        };
        let v = page(&items, p, |i| json!(i));
        assert_eq!(v["count"], 30);
        assert_eq!(v["pagination"]["previous"], 1);
        assert_eq!(v["pagination"]["next"], Value::Null);
        assert_eq!(v["pagination"]["pages"], 2);
        assert_eq!(v["response"].as_array().map(Vec::len), Some(5));
        let past = page(
            &items,
            Paging {
                page: 9,
                per_page: 25,
            },
            |i| json!(i),
        );
        assert_eq!(past["pagination"]["current"], 9);
        assert_eq!(past["response"].as_array().map(Vec::len), Some(0));
    }
}
