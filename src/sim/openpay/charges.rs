//! Charges at merchant level (`/charges...`) and customer level
//! (`/customers/{cid}/charges...`): create, get, list, capture and refund.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Utc};

use super::list::{self, Amount, Creation, Page};
use super::render::{self, CUSTOMER_PREFIX, reply};
use super::{
    OpenpayError, OpenpayResult, OpenpayState, PathParams, Write, amount, amount_text, path_of,
    required, test_cards, text_field,
};
use crate::sim::card_number;
use crate::sim::form::Params;
use crate::sim::ledger::{
    CaptureRule, Card, Charge, ChargeState, Ledger, LedgerError, NewCharge, Outcome, RefundExtra,
    Source,
};

/// 1005 for a transaction that is not there (or not the customer's).
fn no_charge(id: &str) -> OpenpayError {
    OpenpayError::not_found(format!("The transaction with id '{id}' does not exist"))
}

pub(crate) fn no_customer(id: &str) -> OpenpayError {
    OpenpayError::not_found(format!("The customer with id '{id}' does not exist"))
}

/// The customer named in the path, which must exist.
fn path_customer(l: &Ledger, path: &PathParams) -> Result<Option<String>, OpenpayError> {
    match path.get("cid") {
        Some(cid) if l.customer(cid).is_ok() => Ok(Some(cid.clone())),
        Some(cid) => Err(no_customer(cid)),
        None => Ok(None),
    }
}

/// The charge in the path, checked against the path's customer.
fn path_charge<'l>(l: &'l Ledger, path: &PathParams) -> Result<&'l Charge, OpenpayError> {
    let cid = path_customer(l, path)?;
    let tid = path.get("tid").map_or("", String::as_str);
    let c = l.charge(tid).map_err(|_| no_charge(tid))?;
    if cid.is_some() && c.customer_token != cid {
        return Err(no_charge(tid));
    }
    Ok(c)
}

/// Openpay's error for a state-machine refusal.
fn ledger_error(e: LedgerError, id: &str) -> OpenpayError {
    match e {
        LedgerError::NotFound { .. } => no_charge(id),
        LedgerError::AlreadyCaptured => {
            OpenpayError::not_allowed(format!("The transaction '{id}' was already captured"))
        }
        LedgerError::Voided | LedgerError::Expired => {
            OpenpayError::not_allowed(format!("The transaction '{id}' was cancelled"))
        }
        LedgerError::Declined => {
            OpenpayError::not_allowed(format!("The transaction '{id}' failed"))
        }
        LedgerError::PendingAuthentication => {
            OpenpayError::not_allowed(format!("The transaction '{id}' is waiting to be paid"))
        }
        LedgerError::NotCaptured => {
            OpenpayError::not_allowed(format!("The transaction '{id}' has not been completed"))
        }
        LedgerError::CaptureExceedsAuthorised { .. } => OpenpayError::unprocessable(
            "The amount to capture must be less than or equal to the authorized amount",
        ),
        LedgerError::RefundExceedsCaptured { refundable, .. } if refundable <= 0 => {
            OpenpayError::not_allowed(format!("The transaction '{id}' was already refunded"))
        }
        LedgerError::RefundExceedsCaptured { .. } => OpenpayError::unprocessable(
            "The amount to refund must be less than or equal to the amount not yet refunded",
        ),
        LedgerError::NonPositiveAmount => {
            OpenpayError::bad_request("amount must be greater than zero")
        }
        other => OpenpayError::unprocessable(other.to_string()),
    }
}

/// A card object from a request (`card_number`, `holder_name`,
/// `expiration_month`, `expiration_year`, `cvv2`, optional `address`),
/// validated and masked, with the Openpay code it declines with, if any.
pub(crate) fn card_from_request(
    p: &Params,
    now: DateTime<Utc>,
    cvv_required: bool,
) -> Result<(Card, Option<u16>), OpenpayError> {
    let number = required(p, "card_number", 19)?;
    let digits = card_number::normalise(&number)
        .filter(|d| card_number::luhn_valid(d))
        .ok_or_else(OpenpayError::luhn)?;
    let holder = required(p, "holder_name", 255)?;
    let field_int = |name: &str| -> Result<i64, OpenpayError> {
        let t = required(p, name, 4)?;
        t.parse::<i64>()
            .map_err(|_| OpenpayError::bad_request(format!("{name} must be a number")))
    };
    let month = field_int("expiration_month")?;
    if !(1..=12).contains(&month) {
        return Err(OpenpayError::bad_request(
            "expiration_month must be from 01 to 12",
        ));
    }
    let year = field_int("expiration_year")?;
    let year = if (0..100).contains(&year) {
        year + 2000
    } else {
        year
    };
    if (year, month) < (i64::from(now.year()), i64::from(now.month())) {
        return Err(OpenpayError::expired_date());
    }
    match text_field(p, "cvv2", 4)? {
        None if cvv_required => return Err(OpenpayError::cvv_missing()),
        Some(cvv) if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(OpenpayError::bad_request("cvv2 must be 3 or 4 digits"));
        }
        _ => {}
    }
    let addr = p.sub("address");
    let address = [
        "line1",
        "line2",
        "city",
        "postal_code",
        "state",
        "country_code",
    ];
    let keep = digits.len().saturating_sub(10);
    let masked = format!(
        "{}{}{}",
        &digits[..6.min(digits.len())],
        "X".repeat(keep),
        card_number::last4(&digits)
    );
    let decline = test_cards::decline(&digits);
    let card = Card {
        scheme: card_number::scheme(&digits).to_string(),
        display_number: masked,
        last4: card_number::last4(&digits),
        issuing_country: "MX".into(),
        expiry_month: u32::try_from(month).unwrap_or(12),
        expiry_year: i32::try_from(year).unwrap_or(2099),
        name: holder,
        decline_code: decline.map(|c| c.to_string()),
        ..Card::default()
    }
    .with_address(address, |k| addr.text(k));
    Ok((card, decline))
}

/// True when a transaction already carries `order_id`.
fn order_used(l: &Ledger, order_id: &str) -> bool {
    l.charges()
        .iter()
        .any(|c| render::order_id(c) == Some(order_id))
}

/// `POST /charges` and `POST /customers/{cid}/charges`: a card charge from a
/// stored card (`source_id`) or a `card` object; `capture: false` authorises only.
pub(super) async fn create(
    State(s): State<Arc<OpenpayState>>,
    Write { path, p, body }: Write,
) -> OpenpayResult {
    let method = text_field(&p, "method", 20)?.unwrap_or_else(|| "card".to_string());
    if !method.eq_ignore_ascii_case("card") {
        return Err(OpenpayError::unprocessable(format!(
            "The method '{method}' is not supported; only card charges are"
        )));
    }
    let currency = text_field(&p, "currency", 3)?
        .map_or_else(|| "MXN".to_string(), |c| c.to_ascii_uppercase());
    if !amount::CURRENCIES.contains(&currency.as_str()) {
        return Err(OpenpayError::unprocessable(format!(
            "The currency '{currency}' is not supported"
        )));
    }
    let text = amount_text(&p, &body, "amount")
        .ok_or_else(|| OpenpayError::bad_request("amount is required"))?;
    let minor = amount::parse("amount", &text, &currency)?;
    let description = required(&p, "description", 250)?;
    let order_id = text_field(&p, "order_id", 100)?.filter(|o| !o.is_empty());
    let device = text_field(&p, "device_session_id", 255)?;
    let capture = p
        .bool("capture")
        .map_err(|_| OpenpayError::bad_request("capture must be true or false"))?
        .unwrap_or(true);
    let source_id = text_field(&p, "source_id", 45)?.filter(|s| !s.is_empty());
    let has_card = matches!(p.get("card"), Some(serde_json::Value::Object(_)));
    let mut metadata: Vec<(String, String)> = p.string_map("metadata");
    if let Some(d) = device {
        metadata.push(("device_session_id".into(), d));
    }

    let mut l = s.ledger();
    let cid = path_customer(&l, &path)?;
    let mut email = String::new();
    if cid.is_none() {
        let cus = p.sub("customer");
        for field in ["name", "last_name", "phone_number", "email"] {
            if let Some(v) = cus.text(field) {
                if field == "email" {
                    email = v.clone();
                }
                metadata.push((format!("{CUSTOMER_PREFIX}{field}"), v));
            }
        }
    }
    if let Some(o) = &order_id
        && order_used(&l, o)
    {
        return Err(OpenpayError::duplicate_order(o));
    }
    let now = l.now();
    let card = match (source_id, has_card) {
        (Some(_), true) => {
            return Err(OpenpayError::bad_request(
                "Send either source_id or card, not both",
            ));
        }
        (None, false) => {
            return Err(OpenpayError::bad_request("source_id or card is required"));
        }
        (Some(id), false) => {
            let card = l
                .card(&id)
                .ok()
                .filter(|c| {
                    c.customer_token.is_some() && (cid.is_none() || c.customer_token == cid)
                })
                .cloned()
                .ok_or_else(|| {
                    OpenpayError::not_found(format!("The card with id '{id}' does not exist"))
                })?;
            if let Some(cvv) = text_field(&p, "cvv2", 4)?
                && (!(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(OpenpayError::bad_request("cvv2 must be 3 or 4 digits"));
            }
            card
        }
        (None, true) => {
            let (card, _) = card_from_request(&p.sub("card"), now, true)?;
            let token = l.create_card_token(card);
            l.card_for_charge(&token)
                .map_err(|e| OpenpayError::internal(e.to_string()))?
        }
    };
    if email.is_empty()
        && let Some(c) = cid.as_deref().and_then(|c| l.customer(c).ok())
    {
        email = c.email.clone();
    }
    let outcome = match card.decline_code.as_deref() {
        Some(code) => {
            let n = test_cards::code_of(code);
            Outcome::Declined {
                code: n.to_string(),
                message: test_cards::message(n).to_string(),
            }
        }
        None => Outcome::Approved,
    };
    let token = l.create_charge(
        NewCharge {
            amount: minor,
            currency,
            description,
            email,
            ip_address: String::new(),
            card,
            customer_token: cid,
            capture,
            metadata,
            outcome: outcome.clone(),
            callback_url: None,
            reference: order_id,
        },
        Source::Api,
    );
    if let Outcome::Declined { code, message } = outcome {
        let n = code.parse::<u16>().unwrap_or(3001);
        return Err(OpenpayError::card(n, message));
    }
    let c = l.charge(&token).map_err(|e| ledger_error(e, &token))?;
    Ok(reply(StatusCode::OK, &render::charge(&l, c)))
}

/// `GET /charges/{tid}` and `GET /customers/{cid}/charges/{tid}`.
pub(super) async fn get(
    State(s): State<Arc<OpenpayState>>,
    path: Option<Path<PathParams>>,
) -> OpenpayResult {
    let path = path_of(path);
    let l = s.ledger();
    let c = path_charge(&l, &path)?;
    Ok(reply(StatusCode::OK, &render::charge(&l, c)))
}

/// `GET /charges` and `GET /customers/{cid}/charges`: newest first, filtered
/// by creation date, amount, status and order id, paged by offset and limit.
pub(super) async fn list(
    State(s): State<Arc<OpenpayState>>,
    path: Option<Path<PathParams>>,
    RawQuery(q): RawQuery,
) -> OpenpayResult {
    let path = path_of(path);
    let (q, page) = Page::read(q.as_deref())?;
    let creation = Creation::parse(&q)?;
    let amounts = Amount::parse(&q)?;
    let status = list::status(&q)?;
    let order_id = q.get("order_id");
    let l = s.ledger();
    let cid = path_customer(&l, &path)?;
    let all = l.charges().newest_first();
    let matching = all.into_iter().filter(|c| {
        (cid.is_none() || c.customer_token == cid)
            && creation.matches(c.created_at)
            && amounts.contains(&render::shown_amount(c))
            && status
                .as_deref()
                .is_none_or(|st| render::status(&l, c) == st)
            && order_id.is_none_or(|o| render::order_id(c) == Some(o))
    });
    let data: Vec<_> = page
        .apply(matching)
        .into_iter()
        .map(|c| render::charge(&l, c))
        .collect();
    Ok(reply(StatusCode::OK, &data))
}

/// `POST .../charges/{tid}/capture` with optional `amount` ≤ the authorised one.
pub(super) async fn capture(
    State(s): State<Arc<OpenpayState>>,
    Write { path, p, body }: Write,
) -> OpenpayResult {
    let mut l = s.ledger();
    let c = path_charge(&l, &path)?;
    let (id, currency) = (c.token.clone(), c.currency.clone());
    let amount = amount_text(&p, &body, "amount")
        .map(|t| amount::parse("amount", &t, &currency))
        .transpose()?;
    if let ChargeState::Declined { .. } = c.state {
        return Err(ledger_error(LedgerError::Declined, &id));
    }
    l.capture(&id, amount, CaptureRule::UpTo, Source::Api)
        .map_err(|e| ledger_error(e, &id))?;
    let c = l.charge(&id).map_err(|e| ledger_error(e, &id))?;
    Ok(reply(StatusCode::OK, &render::charge(&l, c)))
}

/// `POST .../charges/{tid}/refund` with optional `amount` and `description`:
/// refunds captured money, or cancels an uncaptured pre-authorisation.
pub(super) async fn refund(
    State(s): State<Arc<OpenpayState>>,
    Write { path, p, body }: Write,
) -> OpenpayResult {
    let description = text_field(&p, "description", 250)?;
    let mut l = s.ledger();
    let c = path_charge(&l, &path)?;
    let (id, currency, state, authorised) = (
        c.token.clone(),
        c.currency.clone(),
        c.state.clone(),
        c.amount,
    );
    let amount = amount_text(&p, &body, "amount")
        .map(|t| amount::parse("amount", &t, &currency))
        .transpose()?;
    match state {
        ChargeState::Authorised => {
            if amount.is_some_and(|a| a > authorised) {
                return Err(OpenpayError::unprocessable(
                    "The amount to refund must be less than or equal to the authorized amount",
                ));
            }
            l.void(&id, Source::Api).map_err(|e| ledger_error(e, &id))?;
        }
        ChargeState::Captured => {
            l.refund_with(
                &id,
                amount,
                RefundExtra {
                    reason: description,
                    metadata: Vec::new(),
                },
                Source::Api,
            )
            .map_err(|e| ledger_error(e, &id))?;
        }
        ChargeState::Voided | ChargeState::Expired => {
            return Err(ledger_error(LedgerError::Voided, &id));
        }
        ChargeState::Declined { .. } => return Err(ledger_error(LedgerError::Declined, &id)),
        ChargeState::PendingAuthentication => {
            return Err(ledger_error(LedgerError::PendingAuthentication, &id));
        }
    }
    let c = l.charge(&id).map_err(|e| ledger_error(e, &id))?;
    Ok(reply(StatusCode::OK, &render::charge(&l, c)))
}
