//! Card parameters (`card[...]` or flat) and `POST /cards` (single-use tokens).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use chrono::{DateTime, Datelike, Utc};

use super::error::{Msg, PinError};
use super::{PinResult, PinState, reply};
use crate::sim::card_number;
use crate::sim::common::params::BodyParams;
use crate::sim::common::test_cards;
use crate::sim::form::{ParamError, Params};
use crate::sim::ledger::{Card, Outcome};

/// Pin's 3-D Secure test card: with `three_d_secure[enabled]=true` the charge
/// waits for authentication.
pub const THREE_DS_CARD: &str = "4242424242424242";

/// "card.expiry_month" → "Card expiry month"; "number" → "Number".
fn label(param: &str) -> String {
    let s = param.replace(['.', '_'], " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn required(p: &Params, prefix: &str, field: &str, msgs: &mut Vec<Msg>) -> String {
    let param = format!("{prefix}{field}");
    p.text(&param).unwrap_or_else(|| {
        msgs.push(Msg::new(
            &param,
            format!("{} can't be blank", label(&param)),
        ));
        String::new()
    })
}

fn int_field(p: &Params, param: &str, msgs: &mut Vec<Msg>) -> Option<i64> {
    match p.int(param) {
        Ok(Some(v)) => Some(v),
        Ok(None) | Err(ParamError::Blank) => {
            msgs.push(Msg::new(param, format!("{} can't be blank", label(param))));
            None
        }
        Err(_) => {
            msgs.push(Msg::new(param, format!("{} is not a number", label(param))));
            None
        }
    }
}

/// `AU`/`Australia` → `AU`; other names default to `US` (the simulator's guess).
fn issuing_country(country: &str) -> String {
    let c = country.trim();
    if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        c.to_ascii_uppercase()
    } else if c.eq_ignore_ascii_case("australia") {
        "AU".into()
    } else if c.eq_ignore_ascii_case("new zealand") {
        "NZ".into()
    } else {
        "US".into()
    }
}

/// Parse and validate card fields under `prefix` (`"card."` or `""`). The
/// number is checked and reduced to its masked form here; it is not kept.
pub(crate) fn parse_card(p: &Params, prefix: &str, now: DateTime<Utc>) -> Result<Card, PinError> {
    let mut msgs = Vec::new();
    let number_param = format!("{prefix}number");
    let raw = required(p, prefix, "number", &mut msgs);
    let digits = if raw.is_empty() {
        None
    } else {
        match card_number::normalise(&raw).filter(|d| card_number::luhn_valid(d)) {
            Some(d) => Some(d),
            None => {
                msgs.push(Msg::new(
                    &number_param,
                    format!("{} is not a valid credit card number", label(&number_param)),
                ));
                None
            }
        }
    };
    let month_param = format!("{prefix}expiry_month");
    let year_param = format!("{prefix}expiry_year");
    let month = int_field(p, &month_param, &mut msgs);
    let year = int_field(p, &year_param, &mut msgs)
        .map(|y| if (0..100).contains(&y) { y + 2000 } else { y });
    if let Some(m) = month.filter(|m| !(1..=12).contains(m)) {
        msgs.push(Msg::new(
            &month_param,
            format!("{} is invalid ({m})", label(&month_param)),
        ));
    }
    if let (Some(m), Some(y)) = (month.filter(|m| (1..=12).contains(m)), year) {
        let (ny, nm) = (i64::from(now.year()), i64::from(now.month()));
        if (y, m) < (ny, nm) {
            msgs.push(Msg::new(
                &month_param,
                format!("{} is expired", label(&month_param)),
            ));
            msgs.push(Msg::new(
                &year_param,
                format!("{} is expired", label(&year_param)),
            ));
        }
        if y > ny + 100 {
            msgs.push(Msg::new(
                &year_param,
                format!("{} is invalid", label(&year_param)),
            ));
        }
    }
    let cvc_param = format!("{prefix}cvc");
    if let Some(cvc) = p.str(&cvc_param) {
        let cvc = cvc.trim();
        let well_formed = (3..=4).contains(&cvc.len()) && cvc.bytes().all(|b| b.is_ascii_digit());
        if !cvc.is_empty() && !well_formed {
            msgs.push(Msg::new(
                &cvc_param,
                format!("{} is invalid", label(&cvc_param)),
            ));
        }
    }
    let name = required(p, prefix, "name", &mut msgs);
    let line1 = required(p, prefix, "address_line1", &mut msgs);
    let city = required(p, prefix, "address_city", &mut msgs);
    let country = required(p, prefix, "address_country", &mut msgs);
    if !msgs.is_empty() {
        return Err(PinError::Invalid(msgs));
    }
    let digits = digits.unwrap_or_default();
    let decline_code = match test_cards::outcome(&digits) {
        Outcome::Declined { code, .. } => Some(code),
        _ => None,
    };
    Ok(Card {
        token: String::new(),
        scheme: card_number::scheme(&digits).to_string(),
        display_number: card_number::display_number(&digits),
        last4: card_number::last4(&digits),
        issuing_country: issuing_country(&country),
        expiry_month: u32::try_from(month.unwrap_or(1)).unwrap_or(1),
        expiry_year: i32::try_from(year.unwrap_or(0)).unwrap_or(0),
        name,
        address_line1: line1,
        address_line2: p.str(&format!("{prefix}address_line2")),
        address_city: city,
        address_postcode: p.str(&format!("{prefix}address_postcode")),
        address_state: p.str(&format!("{prefix}address_state")),
        address_country: country,
        customer_token: None,
        primary: None,
        used: false,
        decline_code,
        challenge: digits == THREE_DS_CARD,
        refunds_pending: false,
    })
}

/// `POST /cards` → 201 with the card and a top-level `ip_address`.
pub(super) async fn create(
    State(s): State<Arc<PinState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    BodyParams(p, _): BodyParams<PinError>,
) -> PinResult {
    let mut l = s.ledger();
    let card = parse_card(&p, "", l.now())?;
    let token = l.create_card_token(card);
    reply::new_card(l.card(&token)?, peer)
}
