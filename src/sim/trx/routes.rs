//! TRX handlers: token, transactions (list, get, lookup, create, capture,
//! void, refunds) and intents.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::{MethodRouter, post};
use chrono::{DateTime, NaiveDate, Utc};
use iso_currency::Currency;
use serde_json::{Map, Value, json};

use super::view::{self, Trx, order_ids};
use super::{AuthIntent, Extra, TOKEN_TTL_S, TrxError, TrxResult, TrxState, jwt};
use crate::sim::card_number;
use crate::sim::common::major_units::{exponent, parse_decimal, raw_field};
use crate::sim::common::test_cards;
use crate::sim::ledger::{
    CaptureRule, Card, ChargeState, Ledger, NewCharge, Outcome, RefundExtra, Source,
};
use crate::sim::respond;

type Body = Map<String, Value>;

fn body(bytes: &Bytes) -> TrxResult<Body> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(TrxError::bad_body("The request body must be a JSON object")),
        Err(e) => Err(TrxError::bad_body(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

fn text(b: &Body, name: &str, max: usize) -> TrxResult<Option<String>> {
    match b.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() > max => Err(TrxError::invalid(
            name,
            format!("{name} must be at most {max} characters"),
        )),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(_) => Err(TrxError::invalid(name, format!("{name} must be a string"))),
    }
}

fn required(b: &Body, name: &str, max: usize) -> TrxResult<String> {
    text(b, name, max)?.ok_or_else(|| TrxError::invalid(name, format!("{name} is required")))
}

/// `amount` in minor units of `currency`, if sent (exact decimal text).
fn amount(b: &Body, raw: &Bytes, currency: &str) -> TrxResult<Option<i64>> {
    if b.get("amount").is_none_or(Value::is_null) {
        return Ok(None);
    }
    let exp = exponent(currency);
    let bad = || {
        TrxError::invalid(
            "amount",
            format!("amount must be a decimal greater than zero with at most {exp} decimals"),
        )
    };
    let t = raw_field(raw, "amount").ok_or_else(bad)?;
    let mut d = parse_decimal(&t).ok_or_else(bad)?.normalize();
    if d <= rust_decimal::Decimal::ZERO || d.scale() > exp {
        return Err(bad());
    }
    d.rescale(exp);
    i64::try_from(d.mantissa())
        .ok()
        .filter(|m| *m <= 1_000_000_000_000)
        .map(Some)
        .ok_or_else(bad)
}

fn currency(b: &Body) -> TrxResult<String> {
    let c = required(b, "currency", 3)?.to_ascii_uppercase();
    if Currency::from_code(&c).is_none() {
        return Err(TrxError::invalid(
            "currency",
            "currency must be an ISO 4217 code",
        ));
    }
    Ok(c)
}

fn ok(status: StatusCode, v: &Value) -> Response {
    respond::json(status, v)
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) async fn token(State(s): State<Arc<TrxState>>, raw: Bytes) -> TrxResult<Response> {
    let b = body(&raw)?;
    let id = required(&b, "client_id", 200)?;
    let secret = required(&b, "client_secret", 200)?;
    if id != s.client_id || secret != s.client_secret {
        return Err(TrxError::invalid_client());
    }
    let now = s.now_s();
    let token = jwt::issue(&s.jwt_key, &id, now, now + TOKEN_TTL_S);
    Ok(ok(
        StatusCode::OK,
        &json!({"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL_S}),
    ))
}

pub(crate) fn query(q: Option<&str>) -> TrxResult<Vec<(String, String)>> {
    serde_urlencoded::from_str(q.unwrap_or(""))
        .map_err(|e| TrxError::bad_body(format!("The query string is invalid: {e}")))
}

fn date(q: &[(String, String)], name: &str) -> TrxResult<Option<DateTime<Utc>>> {
    let Some((_, v)) = q.iter().find(|(k, _)| k == name) else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(v.trim(), "%d/%m/%Y")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Some(d.and_utc()))
        .ok_or_else(|| TrxError::invalid(name, format!("{name} must be a date as DD/MM/YYYY")))
}

fn int(q: &[(String, String)], name: &str) -> TrxResult<Option<i64>> {
    q.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| TrxError::invalid(name, format!("{name} must be an integer")))
        })
        .transpose()
}

pub(crate) fn one_of(
    q: &[(String, String)],
    name: &str,
    allowed: &[&'static str],
) -> TrxResult<Option<&'static str>> {
    let Some((_, v)) = q.iter().find(|(k, _)| k == name) else {
        return Ok(None);
    };
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(v.trim()))
        .copied()
        .map(Some)
        .ok_or_else(|| {
            TrxError::invalid(
                name,
                format!("{name} must be one of {}", allowed.join(", ")),
            )
        })
}

const STATUSES: [&str; 8] = [
    "AUTHORIZED",
    "DECLINED",
    "VOIDED",
    "EXPIRED",
    "PARTIAL_CAPTURED",
    "CAPTURED",
    "PARTIAL_SETTLED",
    "SETTLED",
];

/// What every TRX list reads from its query: the dates and the page, clamped
/// as the contract says (offset from 0, limit 10..100).
pub(crate) struct ListQuery {
    pub pairs: Vec<(String, String)>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub offset: i64,
    pub limit: i64,
}

/// A list handler takes its query already read: a bad one is the TRX error.
impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = TrxError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> TrxResult<ListQuery> {
        ListQuery::parse(parts.uri.query())
    }
}

impl ListQuery {
    pub fn parse(raw: Option<&str>) -> TrxResult<ListQuery> {
        let pairs = query(raw)?;
        Ok(ListQuery {
            start: date(&pairs, "start_date")?,
            end: date(&pairs, "end_date")?,
            offset: int(&pairs, "offset")?.unwrap_or(0).max(0),
            limit: int(&pairs, "limit")?.unwrap_or(10).clamp(10, 100),
            pairs,
        })
    }

    /// Whether `at` is within `start_date` and `end_date`.
    pub fn dated(&self, at: DateTime<Utc>) -> bool {
        self.start.is_none_or(|d| at >= d) && self.end.is_none_or(|d| at <= d)
    }

    /// This page of `rows` in the list envelope, with the count of all of them.
    pub fn answer(&self, rows: impl ExactSizeIterator<Item = Value>) -> Response {
        let total = rows.len();
        let data: Vec<Value> = rows
            .skip(usize::try_from(self.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(self.limit).unwrap_or(10))
            .collect();
        let (offset, limit) = (self.offset, self.limit);
        ok(
            StatusCode::OK,
            &json!({"data": data, "offset": offset, "limit": limit, "total": total}),
        )
    }
}

pub(crate) async fn list(State(s): State<Arc<TrxState>>, list: ListQuery) -> TrxResult<Response> {
    let q = &list.pairs;
    let sort = one_of(
        q,
        "sort",
        &["type", "status", "order_amount", "created_at", "updated_at"],
    )?
    .unwrap_or("updated_at");
    let desc = one_of(q, "direction", &["ASC", "DESC"])? == Some("DESC");
    let ty = one_of(q, "type", &["PAYMENT", "REFUND", "CHARGEBACK"])?;
    let status = one_of(q, "status", &STATUSES)?;
    let mut rows: Vec<Trx> = {
        let (l, e) = s.lock();
        view::all(&l, &e)
    };
    rows.retain(|t| {
        list.dated(t.created_at)
            && ty.is_none_or(|x| t.ty == x)
            && status.is_none_or(|x| t.status == x)
    });
    rows.sort_by(|a, b| {
        let key = match sort {
            "type" => a.ty.cmp(b.ty),
            "status" => a.status.cmp(b.status),
            "order_amount" => a.order_major.cmp(&b.order_major),
            "created_at" => a.created_at.cmp(&b.created_at),
            _ => a.updated_at.cmp(&b.updated_at),
        };
        let o = key.then_with(|| a.id.cmp(&b.id));
        if desc { o.reverse() } else { o }
    });
    Ok(list.answer(rows.into_iter().map(|t| t.json)))
}

pub(crate) async fn get(
    State(s): State<Arc<TrxState>>,
    Path(id): Path<String>,
) -> TrxResult<Response> {
    let (l, e) = s.lock();
    view::one(&l, &e, &id)
        .map(|t| ok(StatusCode::OK, &t.json))
        .ok_or_else(|| TrxError::not_found(format!("Transaction {id} not found")))
}

pub(crate) async fn lookup(
    State(s): State<Arc<TrxState>>,
    RawQuery(q): RawQuery,
) -> TrxResult<Response> {
    let q = query(q.as_deref())?;
    let kind = one_of(&q, "id_type", &["external_id", "order_id"])?
        .ok_or_else(|| TrxError::invalid("id_type", "id_type is required"))?;
    let id = q
        .iter()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| TrxError::invalid("id", "id is required"))?;
    let (l, e) = s.lock();
    l.charges()
        .iter()
        .find(|c| {
            let (o, x) = order_ids(c);
            if kind == "order_id" { o == id } else { x == id }
        })
        .map(|c| ok(StatusCode::OK, &view::payment(&l, &e, c).json))
        .ok_or_else(|| TrxError::not_found(format!("No transaction has {kind} {id}")))
}

pub(crate) async fn tokenize(State(s): State<Arc<TrxState>>, raw: Bytes) -> TrxResult<Response> {
    let b = body(&raw)?;
    let number = required(&b, "card_number", 30)?;
    let digits = card_number::normalise(&number)
        .filter(|d| card_number::luhn_valid(d))
        .ok_or_else(|| {
            TrxError::invalid("card_number", "card_number is not a valid card number")
        })?;
    let month = b
        .get("expiry_month")
        .and_then(Value::as_u64)
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| TrxError::invalid("expiry_month", "expiry_month must be 1 to 12"))?;
    let year = b
        .get("expiry_year")
        .and_then(Value::as_i64)
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| TrxError::invalid("expiry_year", "expiry_year must be a 4-digit year"))?;
    let cvv = required(&b, "cvv", 4)?;
    if !(3..=4).contains(&cvv.len()) || !cvv.bytes().all(|c| c.is_ascii_digit()) {
        return Err(TrxError::invalid("cvv", "cvv must be 3 or 4 digits"));
    }
    let holder = text(&b, "holder_name", 100)?.unwrap_or_default();
    let (mut l, _e) = s.lock();
    let now = l.now();
    let (ny, nm) = (
        i64::from(chrono::Datelike::year(&now)),
        u64::from(chrono::Datelike::month(&now)),
    );
    if year < ny || (year == ny && month < nm) {
        return Err(TrxError::invalid("expiry_year", "The card has expired"));
    }
    let decline_code = match test_cards::outcome(&digits) {
        Outcome::Declined { code, .. } => Some(code),
        _ => None,
    };
    let card = Card {
        scheme: card_number::scheme(&digits).to_string(),
        display_number: card_number::display_number(&digits),
        last4: card_number::last4(&digits),
        expiry_month: u32::try_from(month).unwrap_or(1),
        expiry_year: i32::try_from(year).unwrap_or(2000),
        name: holder,
        decline_code,
        ..Card::default()
    };
    let card_token = l.create_card_token(card.clone());
    let intent = l.new_token("tin");
    Ok(ok(
        StatusCode::CREATED,
        &json!({
            "intent_id": intent,
            "card_token": card_token,
            "card": {"brand": card.scheme, "last4": card.last4,
                     "expiry_month": card.expiry_month, "expiry_year": card.expiry_year},
            "created_at": time(now),
        }),
    ))
}

fn intent_json(id: &str, i: &AuthIntent) -> Value {
    json!({
        "intent_id": id,
        "amount": crate::sim::common::major_units::text(i.amount, &i.currency),
        "currency": i.currency,
        "order_id": i.order_id,
        "external_id": i.external_id,
        "description": i.description,
        "status": if i.used { "USED" } else { "CREATED" },
        "created_at": time(i.created_at),
    })
}

pub(crate) async fn authorization_intent(
    State(s): State<Arc<TrxState>>,
    raw: Bytes,
) -> TrxResult<Response> {
    let b = body(&raw)?;
    let currency = currency(&b)?;
    let amount = amount(&b, &raw, &currency)?
        .ok_or_else(|| TrxError::invalid("amount", "amount is required"))?;
    let intent = AuthIntent {
        amount,
        currency,
        order_id: required(&b, "order_id", 100)?,
        external_id: text(&b, "external_id", 100)?,
        description: text(&b, "description", 255)?,
        created_at: Utc::now(),
        used: false,
    };
    let (mut l, mut e) = s.lock();
    let intent = AuthIntent {
        created_at: l.now(),
        ..intent
    };
    let id = l.new_token("ain");
    let v = intent_json(&id, &intent);
    e.intents.insert(id, intent);
    Ok(ok(StatusCode::CREATED, &v))
}

pub(crate) async fn create(State(s): State<Arc<TrxState>>, raw: Bytes) -> TrxResult<Response> {
    let b = body(&raw)?;
    let capture = match required(&b, "operation", 20)?.as_str() {
        "authorize" => false,
        "authcap" => true,
        _ => {
            return Err(TrxError::invalid(
                "operation",
                "operation must be authorize or authcap",
            ));
        }
    };
    let card_token = required(&b, "card_token", 100)?;
    let intent_id = text(&b, "intent_id", 100)?;
    let (mut l, mut e) = s.lock();
    let (amount, currency, order_id, external_id, description) = match &intent_id {
        Some(id) => {
            let i = e
                .intents
                .get(id)
                .ok_or_else(|| TrxError::not_found(format!("Intent {id} not found")))?;
            if i.used {
                return Err(TrxError::invalid_state(format!(
                    "Intent {id} was already used"
                )));
            }
            let differs = |name: &str, v: Option<String>, want: &str| match v {
                Some(v) if v != want => Err(TrxError::invalid(
                    name,
                    format!("{name} does not match the intent"),
                )),
                _ => Ok(()),
            };
            if b.contains_key("currency") {
                differs("currency", Some(currency(&b)?), &i.currency)?;
            }
            if b.contains_key("amount") && amount(&b, &raw, &i.currency)? != Some(i.amount) {
                return Err(TrxError::invalid(
                    "amount",
                    "amount does not match the intent",
                ));
            }
            differs("order_id", text(&b, "order_id", 100)?, &i.order_id)?;
            (
                i.amount,
                i.currency.clone(),
                i.order_id.clone(),
                i.external_id.clone(),
                i.description.clone(),
            )
        }
        None => {
            let currency = currency(&b)?;
            let amount = amount(&b, &raw, &currency)?
                .ok_or_else(|| TrxError::invalid("amount", "amount is required"))?;
            (
                amount,
                currency,
                required(&b, "order_id", 100)?,
                text(&b, "external_id", 100)?,
                text(&b, "description", 255)?,
            )
        }
    };
    if l.charges().iter().any(|c| order_ids(c).0 == order_id) {
        return Err(TrxError::duplicate_order(&order_id));
    }
    let card = l
        .card(&card_token)
        .map_err(|_| TrxError::not_found(format!("Card token {card_token} not found")))?
        .clone();
    let outcome = match &card.decline_code {
        Some(code) => test_cards::declined(code),
        None => Outcome::Approved,
    };
    let mut metadata = vec![("order_id".to_string(), order_id)];
    if let Some(x) = external_id {
        metadata.push(("external_id".to_string(), x));
    }
    let token = l.create_charge(
        NewCharge {
            amount,
            currency,
            description: description.unwrap_or_default(),
            email: String::new(),
            ip_address: String::new(),
            card,
            customer_token: None,
            capture,
            metadata,
            outcome,
            callback_url: None,
            reference: None,
        },
        Source::Api,
    );
    if let Some(id) = intent_id
        && let Some(i) = e.intents.get_mut(&id)
    {
        i.used = true;
    }
    let c = l.charge(&token)?;
    Ok(ok(StatusCode::CREATED, &view::payment(&l, &e, c).json))
}

fn authorised_payment(l: &Ledger, e: &Extra, id: &str) -> TrxResult<(i64, String)> {
    let c = l
        .charge(id)
        .map_err(|_| TrxError::not_found(format!("Transaction {id} not found")))?;
    if c.state != ChargeState::Authorised {
        let status = view::payment(l, e, c).status;
        return Err(TrxError::invalid_state(format!(
            "Transaction {id} is {status}, not AUTHORIZED"
        )));
    }
    let voided = e.partial_void.get(id).copied().unwrap_or(0);
    Ok((c.amount - voided, c.currency.clone()))
}

/// The `amount` asked of an authorised payment (its whole remainder when
/// none is sent) and that remainder; asking more than remains is refused.
fn part_of_authorised(
    l: &Ledger,
    e: &Extra,
    id: &str,
    b: &Body,
    raw: &Bytes,
) -> TrxResult<(i64, i64)> {
    let (remaining, cur) = authorised_payment(l, e, id)?;
    let part = amount(b, raw, &cur)?.unwrap_or(remaining);
    if part > remaining {
        return Err(TrxError::amount_exceeds(
            "amount exceeds the remaining authorized amount",
        ));
    }
    Ok((part, remaining))
}

/// A `POST` that changes the payment named in the path, given the ledger and
/// the side table (both locked) and the raw body.
pub(crate) fn on_payment(
    change: fn(&mut Ledger, &mut Extra, &str, &Bytes) -> TrxResult<Response>,
) -> MethodRouter<Arc<TrxState>> {
    post(
        move |State(s): State<Arc<TrxState>>, Path(id): Path<String>, raw: Bytes| async move {
            let (mut l, mut e) = s.lock();
            change(&mut l, &mut e, &id, &raw)
        },
    )
}

/// Note that the API changed payment `id` now, and answer it as it reads.
fn changed(l: &Ledger, e: &mut Extra, id: &str) -> TrxResult<Response> {
    e.updated.insert(id.to_string(), l.now());
    Ok(ok(StatusCode::OK, &view::payment(l, e, l.charge(id)?).json))
}

/// `POST /transactions/{id}/capture`: all or part of what remains authorised.
pub(crate) fn capture(l: &mut Ledger, e: &mut Extra, id: &str, raw: &Bytes) -> TrxResult<Response> {
    let b = body(raw)?;
    let (take, _) = part_of_authorised(l, e, id, &b, raw)?;
    l.capture(id, Some(take), CaptureRule::UpTo, Source::Api)?;
    changed(l, e, id)
}

/// `POST /transactions/{id}/void`: all of what remains authorised, or part.
pub(crate) fn void(l: &mut Ledger, e: &mut Extra, id: &str, raw: &Bytes) -> TrxResult<Response> {
    let b = body(raw)?;
    let (release, remaining) = part_of_authorised(l, e, id, &b, raw)?;
    if release == remaining {
        l.void(id, Source::Api)?;
    } else {
        *e.partial_void.entry(id.to_string()).or_insert(0) += release;
    }
    changed(l, e, id)
}

/// `POST /transactions/{id}/refunds`: all or part of what is refundable.
pub(crate) fn refund(l: &mut Ledger, e: &mut Extra, id: &str, raw: &Bytes) -> TrxResult<Response> {
    let b = body(raw)?;
    let reason = text(&b, "reason", 255)?;
    let c = l
        .charge(id)
        .map_err(|_| TrxError::not_found(format!("Transaction {id} not found")))?;
    if !c.is_captured() {
        let status = view::payment(l, e, c).status;
        return Err(TrxError::invalid_state(format!(
            "Transaction {id} is {status}; only captured or settled payments can be refunded"
        )));
    }
    let cur = c.currency.clone();
    let refundable = c.refundable();
    let amt = amount(&b, raw, &cur)?;
    if amt.unwrap_or(refundable) > refundable || refundable == 0 {
        return Err(TrxError::amount_exceeds(
            "amount exceeds the refundable amount",
        ));
    }
    let token = l.refund_with(
        id,
        amt,
        RefundExtra {
            reason,
            metadata: Vec::new(),
        },
        Source::Api,
    )?;
    e.updated.insert(id.to_string(), l.now());
    let t = view::one(l, e, &token)
        .ok_or_else(|| TrxError::not_found(format!("Transaction {token} not found")))?;
    Ok(ok(StatusCode::CREATED, &t.json))
}
