//! `/charges`: create, capture, void, list, search, show, 3-D Secure verify.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};

use super::cards::parse_card;
use super::error::{Msg, PinError};
use super::{PinResult, PinState, render, reply};
use crate::sim::common::params::{BodyParams, QueryParams};
use crate::sim::common::test_cards;
use crate::sim::form::{ParamError, Params};
use crate::sim::ledger::{CaptureRule, Charge, Ledger, NewCharge, Outcome, Source};

/// Currencies Pin accepts, with their minimum charge in base units (§9.3).
const CURRENCIES: [(&str, i64); 15] = [
    ("AUD", 100),
    ("USD", 100),
    ("NZD", 100),
    ("SGD", 100),
    ("EUR", 100),
    ("GBP", 50),
    ("CAD", 100),
    ("HKD", 1000),
    ("JPY", 100),
    ("MYR", 300),
    ("THB", 2000),
    ("PHP", 3000),
    ("ZAR", 1000),
    ("IDR", 1_000_000),
    ("TWD", 2500),
];

/// Largest amount the simulator accepts (keeps fee arithmetic far from overflow).
const MAX_AMOUNT: i64 = 1_000_000_000_000;

fn amount_param(p: &Params, msgs: &mut Vec<Msg>) -> Option<i64> {
    match p.int("amount") {
        Ok(Some(a)) if a > 0 && a <= MAX_AMOUNT => Some(a),
        Ok(Some(_)) => {
            msgs.push(Msg::new("amount", "Amount must be a positive whole number"));
            None
        }
        Ok(None) | Err(ParamError::Blank) => {
            msgs.push(Msg::new("amount", "Amount can't be blank"));
            None
        }
        Err(_) => {
            msgs.push(Msg::new("amount", "Amount is not a number"));
            None
        }
    }
}

fn text_param(p: &Params, name: &str, msgs: &mut Vec<Msg>) -> String {
    p.text(name).unwrap_or_else(|| {
        let mut label = name.replace('_', " ");
        if let Some(f) = label.get_mut(..1) {
            f.make_ascii_uppercase();
        }
        msgs.push(Msg::new(name, format!("{label} can't be blank")));
        String::new()
    })
}

fn charge_response(s: &PinState, l: &Ledger, token: &str, status: StatusCode) -> PinResult {
    reply::one(status, render::charge(s, l, l.charge(token)?))
}

/// `POST /charges` → 201 (success), 202 (3-D Secure pending), 400/502 (stored
/// failure with `charge_token`) or 422 (validation, nothing stored).
pub(super) async fn create(
    State(s): State<Arc<PinState>>,
    BodyParams(p, _): BodyParams<PinError>,
) -> PinResult {
    let mut msgs = Vec::new();
    let email = text_param(&p, "email", &mut msgs);
    let description = text_param(&p, "description", &mut msgs);
    let ip_address = text_param(&p, "ip_address", &mut msgs);
    let amount = amount_param(&p, &mut msgs);
    let currency = p
        .text("currency")
        .unwrap_or_else(|| "AUD".into())
        .to_ascii_uppercase();
    match (CURRENCIES.iter().find(|c| c.0 == currency), amount) {
        (None, _) => msgs.push(Msg::new("currency", "Currency is not supported")),
        (Some(&(_, min)), Some(a)) if a < min => msgs.push(Msg::new(
            "amount",
            format!("Amount must be at least {min} ({currency} base units)"),
        )),
        _ => {}
    }
    let capture = match p.bool("capture") {
        Ok(v) => v.unwrap_or(true),
        Err(_) => {
            msgs.push(Msg::new("capture", "Capture must be true or false"));
            true
        }
    };
    let three_ds = p
        .bool("three_d_secure.enabled")
        .ok()
        .flatten()
        .unwrap_or(false);
    let sources = [
        "card",
        "card_token",
        "customer_token",
        "payment_source_token",
    ]
    .into_iter()
    .filter(|k| p.has(k))
    .collect::<Vec<_>>();
    match sources.as_slice() {
        [_] => {}
        [] => msgs.push(Msg::new(
            "card",
            "One of card, card_token or customer_token is required",
        )),
        _ => msgs.push(Msg::new(
            "card",
            "Only one of card, card_token or customer_token may be given",
        )),
    }
    if sources == ["payment_source_token"] {
        msgs.push(Msg::new(
            "payment_source_token",
            "Payment sources are not supported by the simulator",
        ));
    }
    let mut metadata = p.string_map("metadata");
    metadata.sort();
    if metadata.len() > 25 || metadata.iter().any(|(k, v)| k.len() > 50 || v.len() > 500) {
        msgs.push(Msg::new(
            "metadata",
            "Metadata allows at most 25 items, keys up to 50 and values up to 500 characters",
        ));
    }
    let mut l = s.ledger();
    // Card problems are reported together with the other validation messages.
    let card = if p.has("card") {
        match parse_card(&p, "card.", l.now()) {
            Ok(card) => {
                let token = l.create_card_token(card);
                l.card_for_charge(&token).ok()
            }
            Err(PinError::Invalid(m)) => {
                msgs.extend(m);
                None
            }
            Err(e) => return Err(e),
        }
    } else if let Some(t) = p.text("card_token") {
        match l.card_for_charge(&t) {
            Ok(c) => Some(c),
            Err(e) => {
                let m = match e {
                    crate::sim::ledger::LedgerError::CardTokenUsed => {
                        "Card token has already been used"
                    }
                    _ => "Invalid card token",
                };
                msgs.push(Msg::new("card_token", m));
                None
            }
        }
    } else if let Some(t) = p.text("customer_token") {
        match l.primary_card(&t) {
            Ok(c) => Some(c),
            Err(_) => {
                msgs.push(Msg::new("customer_token", "Invalid customer token"));
                None
            }
        }
    } else {
        None
    };
    let (Some(card), Some(amount), true) = (card, amount, msgs.is_empty()) else {
        return Err(PinError::Invalid(msgs));
    };
    let outcome = match (&card.decline_code, card.challenge && three_ds) {
        (Some(code), _) => test_cards::declined(code),
        (None, true) => Outcome::Authenticate,
        (None, false) => Outcome::Approved,
    };
    let token = l.create_charge(
        NewCharge {
            amount,
            currency,
            description,
            email,
            ip_address,
            customer_token: card.customer_token.clone(),
            card,
            capture,
            metadata,
            outcome: outcome.clone(),
            callback_url: p.text("three_d_secure.callback_url"),
            reference: p.text("reference"),
        },
        Source::Api,
    );
    match outcome {
        Outcome::Approved => charge_response(&s, &l, &token, StatusCode::CREATED),
        Outcome::Authenticate => charge_response(&s, &l, &token, StatusCode::ACCEPTED),
        Outcome::Declined { code, message } => Err(PinError::ChargeFailed {
            code,
            message,
            charge_token: token,
        }),
    }
}

/// `PUT /charges/{ch}/capture` → 201. Pin captures only the full amount; a given
/// `amount` must equal it (else 422 `amount_invalid`, nothing captured).
pub(super) fn capture(s: &PinState, l: &mut Ledger, ch: &str, p: &Params) -> PinResult {
    let amount = match p.int("amount") {
        Ok(a) => a,
        Err(ParamError::Blank) => None,
        Err(_) => return Err(PinError::invalid("amount", "Amount is not a number")),
    };
    l.capture(ch, amount, CaptureRule::FullOnly, Source::Api)?;
    charge_response(s, l, ch, StatusCode::CREATED)
}

/// `PUT /charges/{ch}/void` → 200.
pub(super) async fn void(State(s): State<Arc<PinState>>, Path(ch): Path<String>) -> PinResult {
    let mut l = s.ledger();
    l.void(&ch, Source::Api)?;
    charge_response(&s, &l, &ch, StatusCode::OK)
}

pub(super) async fn show(State(s): State<Arc<PinState>>, Path(ch): Path<String>) -> PinResult {
    let l = s.ledger();
    charge_response(&s, &l, &ch, StatusCode::OK)
}

/// `GET /charges`: newest first.
pub(super) async fn list(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let l = s.ledger();
    charge_page(&s, &l, &l.charges().newest_first(), &p)
}

/// 200 with the page of `charges` that `p` asks for.
pub(super) fn charge_page(s: &PinState, l: &Ledger, charges: &[&Charge], p: &Params) -> PinResult {
    reply::page(charges, p, |c| render::charge(s, l, c))
}

/// Dates as Pin accepts them: `2012/12/25`, `2012-12-25`, `Mar 25, 2011`, or RFC 3339.
fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y/%m/%d", "%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn matches(l: &Ledger, c: &Charge, q: &str) -> bool {
    let lower = q.to_lowercase();
    let has = |s: &str| s.to_lowercase().contains(&lower);
    has(&c.description)
        || has(&c.email)
        || has(&c.card.name)
        || c.metadata.iter().any(|(k, v)| has(k) || has(v))
        || c.currency.eq_ignore_ascii_case(q)
        || q.parse::<i64>().is_ok_and(|a| a == c.amount)
        || c.token == q
        || c.card.token == q
        || c.customer_token.as_deref() == Some(q)
        || c.refund_tokens.iter().any(|r| r == q)
        || (q.starts_with("rf_") && l.refund_by_token(q).is_ok_and(|r| r.charge == c.token))
}

/// `GET /charges/search` with `query`, `start_date` (on/after), `end_date`
/// (before), `sort` (`created_at` | `amount` | `captured_at`), `direction`
/// (`1` ascending, `-1` descending). Default is newest first, as observed on
/// the real API (the docs say ascending).
pub(super) async fn search(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let mut msgs = Vec::new();
    let mut date = |name: &str| {
        p.text(name).and_then(|v| {
            let d = parse_date(&v);
            if d.is_none() {
                msgs.push(Msg::new(name, format!("{name} is not a valid date")));
            }
            d
        })
    };
    let (start, end) = (date("start_date"), date("end_date"));
    let sort = p.text("sort").unwrap_or_else(|| "created_at".into());
    if !["created_at", "amount", "captured_at"].contains(&sort.as_str()) {
        msgs.push(Msg::new(
            "sort",
            "Sort must be created_at, amount or captured_at",
        ));
    }
    let ascending = match p.text("direction").as_deref() {
        None | Some("-1") => false,
        Some("1") => true,
        Some(_) => {
            msgs.push(Msg::new("direction", "Direction must be 1 or -1"));
            false
        }
    };
    if !msgs.is_empty() {
        return Err(PinError::Invalid(msgs));
    }
    let query = p.text("query");
    let l = s.ledger();
    let mut found: Vec<&Charge> = l
        .charges()
        .newest_first()
        .into_iter()
        .filter(|c| start.is_none_or(|t| c.created_at >= t))
        .filter(|c| end.is_none_or(|t| c.created_at < t))
        .filter(|c| query.as_deref().is_none_or(|q| matches(&l, c, q)))
        .collect();
    // Stable sorts over the newest-first order keep ties newest first.
    match sort.as_str() {
        "amount" => found.sort_by_key(|c| std::cmp::Reverse(c.amount)),
        "captured_at" => found.sort_by_key(|c| std::cmp::Reverse(c.captured_at)),
        _ => {}
    }
    if ascending {
        found.reverse();
    }
    charge_page(&s, &l, &found, &p)
}

/// `GET /charges/verify?session_token=se_…` → 200 with the completed charge.
pub(super) async fn verify(
    State(s): State<Arc<PinState>>,
    QueryParams(p, _): QueryParams<PinError>,
) -> PinResult {
    let Some(session) = p.text("session_token") else {
        return Err(PinError::invalid(
            "session_token",
            "Session token can't be blank",
        ));
    };
    let mut l = s.ledger();
    let token = l.verify_3ds(&session, Source::Api)?;
    charge_response(&s, &l, &token, StatusCode::OK)
}

/// The page `redirect_url` points at (no auth: the cardholder's browser opens
/// it). It "authenticates" at once and sends the browser to the merchant's
/// `callback_url` with the session token; the merchant then calls verify.
pub(super) async fn challenge_page(
    State(s): State<Arc<PinState>>,
    Path(session): Path<String>,
) -> Response {
    let l = s.ledger();
    let Some(c) = l.charge_by_session(&session) else {
        return PinError::NotFound.into_response();
    };
    match &c.callback_url {
        Some(url) => {
            let sep = if url.contains('?') { '&' } else { '?' };
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{url}{sep}session_token={session}")) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        None => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><body><h1>3D Secure authentication complete</h1></body></html>",
        )
            .into_response(),
    }
}
