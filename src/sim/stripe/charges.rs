//! `/v1/charges`: create (legacy Charges API, test cards), list, retrieve,
//! update, capture (full or partial; the remainder is released as a refund).

use std::sync::Arc;

use axum::extract::State;
use chrono::{DateTime, Datelike, Utc};
use serde_json::Value;

use super::list::{ListQuery, allow_list, listed};
use super::render::ChargeExpand;
use super::test_cards::{self, Behaviour};
use super::{
    QueryParams, RequestParams, StripeError, StripeResult, StripeState, allow, boolean, expands,
    int, metadata_update, missing_param, ok, render,
};
use crate::sim::card_number;
use crate::sim::form::Params;
use crate::sim::ledger::{
    Card, Charge, ChargeState, DisputeStatus, Ledger, LedgerError, NewCharge, NewDispute, Outcome,
    Source,
};

/// Largest amount Stripe accepts (eight digits).
pub(crate) const MAX_AMOUNT: i64 = 99_999_999;
/// Smallest charge, in minor units (about $0.50).
pub(crate) const MIN_AMOUNT: i64 = 50;

/// `$12.34`-style money for messages (whole units for zero-decimal currencies).
pub(crate) fn money(amount: i64, currency: &str) -> String {
    if matches!(
        currency.to_ascii_uppercase().as_str(),
        "JPY" | "KRW" | "VND"
    ) {
        format!("¥{amount}")
    } else {
        format!("${}.{:02}", amount / 100, amount % 100)
    }
}

/// Stripe's error for a state-machine refusal on charge `id`.
pub(crate) fn ledger_error(e: LedgerError, id: &str) -> StripeError {
    match e {
        LedgerError::NotFound { kind, token } => StripeError::missing(kind, &token, "id"),
        LedgerError::AlreadyCaptured => StripeError::state(
            "charge_already_captured",
            format!("Charge {id} has already been captured."),
        ),
        LedgerError::Voided => StripeError::state(
            "charge_already_refunded",
            format!("Charge {id} has already been refunded."),
        ),
        LedgerError::Expired => StripeError::state(
            "charge_expired_for_capture",
            format!(
                "Charge {id} has expired for capture; uncaptured charges expire 7 days after creation."
            ),
        ),
        LedgerError::Declined => StripeError::invalid(format!(
            "Charge {id} has failed and cannot be captured or refunded."
        ))
        .stored(),
        LedgerError::PendingAuthentication => StripeError::invalid(format!(
            "Charge {id} is awaiting 3D Secure authentication."
        ))
        .stored(),
        LedgerError::CaptureExceedsAuthorised { authorised, given } => StripeError::state(
            "amount_too_large",
            format!(
                "The amount to capture ({given}) must be less than or equal to the authorized amount ({authorised})."
            ),
        )
        .param("amount"),
        LedgerError::RefundExceedsCaptured {
            requested,
            refundable,
        } if refundable <= 0 => StripeError::state(
            "charge_already_refunded",
            format!("Charge {id} has already been refunded."),
        )
        .param(if requested > 0 { "amount" } else { "charge" }),
        LedgerError::RefundExceedsCaptured { .. } => {
            StripeError::state("amount_too_large", e.to_string()).param("amount")
        }
        LedgerError::NonPositiveAmount => {
            StripeError::invalid("Amount must be greater than 0.").param("amount")
        }
        other => StripeError::invalid(other.to_string()).stored(),
    }
}

/// `amount`, required, within Stripe's limits.
pub(crate) fn amount_param(p: &Params, currency: &str) -> Result<i64, StripeError> {
    let a = int(p, "amount")?.ok_or_else(|| missing_param("amount"))?;
    if a < MIN_AMOUNT {
        return Err(StripeError::invalid(format!(
            "Amount must be at least {} {}",
            money(MIN_AMOUNT, currency),
            currency.to_ascii_lowercase()
        ))
        .code("amount_too_small")
        .param("amount"));
    }
    if a > MAX_AMOUNT {
        return Err(StripeError::invalid(format!(
            "Amount must be no more than {}",
            money(MAX_AMOUNT, currency)
        ))
        .code("amount_too_large")
        .param("amount"));
    }
    Ok(a)
}

/// The digits of a card number that passes the Luhn check, or Stripe's
/// `incorrect_number`.
pub(crate) fn card_digits(number: &str) -> Result<String, StripeError> {
    card_number::normalise(number)
        .filter(|d| card_number::luhn_valid(d))
        .ok_or_else(|| {
            StripeError::card_rejected(
                "incorrect_number",
                "Your card number is incorrect.",
                "number",
            )
        })
}

/// A masked card for a number, with the expiry (December, three years on,
/// unless `hash` says) and the holder's `name` from `hash`.
pub(crate) fn masked_card(digits: &str, hash: &Params, now: DateTime<Utc>) -> Card {
    let number = |k: &str| hash.int(k).ok().flatten();
    Card {
        scheme: card_number::scheme(digits).to_string(),
        display_number: card_number::display_number(digits),
        last4: card_number::last4(digits),
        issuing_country: "US".into(),
        expiry_month: number("exp_month")
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(12),
        expiry_year: number("exp_year")
            .and_then(|y| i32::try_from(y).ok())
            .unwrap_or(now.year() + 3),
        name: hash.text("name").unwrap_or_default(),
        ..Card::default()
    }
}

/// A masked card for a test-card number to charge once; `hash` holds
/// optional card fields (a two-digit year is this century's).
fn card_from_number(digits: &str, hash: &Params, now: DateTime<Utc>) -> Card {
    let card = masked_card(digits, hash, now);
    let address = [
        "address_line1",
        "address_line2",
        "address_city",
        "address_zip",
        "address_state",
        "address_country",
    ];
    Card {
        expiry_year: match card.expiry_year {
            y if y < 100 => y + 2000,
            y => y,
        },
        ..card
    }
    .with_address(address, |k| hash.text(k))
}

/// Validate a raw card hash (`source[number]`, `source[exp_month]`, ...).
fn raw_card(hash: &Params, now: DateTime<Utc>) -> Result<(Card, Behaviour), StripeError> {
    let number = hash
        .text("number")
        .ok_or_else(|| missing_param("source[number]"))?;
    let digits = card_digits(&number)?;
    let month = hash.int("exp_month").ok().flatten();
    let year = hash
        .int("exp_year")
        .ok()
        .flatten()
        .map(|y| if y < 100 { y + 2000 } else { y });
    let Some(month) = month.filter(|m| (1..=12).contains(m)) else {
        return Err(StripeError::card_rejected(
            "invalid_expiry_month",
            "Your card's expiration month is invalid.",
            "exp_month",
        ));
    };
    let this_year = i64::from(now.year());
    let Some(year) = year.filter(|y| (this_year..=this_year + 50).contains(y)) else {
        return Err(StripeError::card_rejected(
            "invalid_expiry_year",
            "Your card's expiration year is invalid.",
            "exp_year",
        ));
    };
    if (year, month) < (this_year, i64::from(now.month())) {
        return Err(StripeError::card_rejected(
            "expired_card",
            "Your card has expired.",
            "exp_month",
        ));
    }
    if let Some(cvc) = hash.text("cvc")
        && (!(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(StripeError::card_rejected(
            "invalid_cvc",
            "Your card's security code is invalid.",
            "cvc",
        ));
    }
    Ok((
        card_from_number(&digits, hash, now),
        test_cards::by_number(&digits),
    ))
}

fn no_such(what: &str, id: &str, param: &str) -> StripeError {
    StripeError::invalid(format!("No such {what}: '{id}'"))
        .code("resource_missing")
        .param(param)
}

/// The card to charge and what it will do. Single-use cards (shortcuts, raw
/// numbers) are stored as unattached ledger cards and consumed.
fn resolve_source(
    l: &mut Ledger,
    p: &Params,
    customer: Option<&str>,
) -> Result<(Card, Behaviour), StripeError> {
    let now = l.now();
    let (card, behaviour) = match p.get("source") {
        Some(Value::Object(_)) => raw_card(&p.sub("source"), now)?,
        Some(Value::String(s)) if s.starts_with("card_") => {
            let card = l
                .card(s)
                .ok()
                .filter(|c| c.customer_token.is_some() && c.customer_token.as_deref() == customer)
                .cloned()
                .ok_or_else(|| no_such("source", s, "source"))?;
            return Ok(stored_behaviour(card));
        }
        Some(Value::String(s)) if !s.trim().is_empty() => {
            let (digits, b) =
                test_cards::by_shortcut(s.trim()).ok_or_else(|| no_such("token", s, "source"))?;
            (card_from_number(digits, &Params::empty(), now), b)
        }
        Some(Value::String(_)) => return Err(super::empty("source")),
        Some(_) => return Err(StripeError::invalid("Invalid source").param("source")),
        None => {
            let Some(cus) = customer else {
                return Err(StripeError::invalid("Must provide source or customer.")
                    .code("parameter_missing")
                    .param("source"));
            };
            let card = l.primary_card(cus).map_err(|_| {
                StripeError::invalid("Cannot charge a customer that has no active card")
                    .code("missing")
                    .param("card")
            })?;
            return Ok(stored_behaviour(card));
        }
    };
    let token = l.create_card_token(card);
    let card = l
        .card_for_charge(&token)
        .map_err(|e| StripeError::invalid(e.to_string()))?;
    Ok((card, behaviour))
}

/// A stored card declines by its own `decline_code` (see `create`).
fn stored_behaviour(card: Card) -> (Card, Behaviour) {
    (card, Behaviour::Approve)
}

/// `POST /v1/charges` → 200 charge, or 402 `card_error` with the failed charge stored.
pub(super) async fn create(
    State(s): State<Arc<StripeState>>,
    RequestParams(p): RequestParams,
) -> StripeResult {
    allow(
        &p,
        &[
            "amount",
            "currency",
            "customer",
            "source",
            "description",
            "metadata",
            "capture",
            "receipt_email",
            "statement_descriptor",
            "statement_descriptor_suffix",
            "shipping",
            "transfer_group",
            "on_behalf_of",
            "application_fee_amount",
            "transfer_data",
            "radar_options",
        ],
    )?;
    let currency = p
        .text("currency")
        .ok_or_else(|| missing_param("currency"))?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(StripeError::invalid(format!(
            "Invalid currency: {}. Stripe currently supports these currencies: aud, usd, nzd, gbp, eur, jpy, ...",
            currency.to_ascii_lowercase()
        ))
        .param("currency"));
    }
    let amount = amount_param(&p, &currency)?;
    let capture = boolean(&p, "capture")?.unwrap_or(true);
    let metadata = metadata_update(&p, &[])?.unwrap_or_default();
    let description = p.str("description").unwrap_or_default();
    let email = p.str("receipt_email").unwrap_or_default();
    let expand = ChargeExpand::from(&expands(&p), "");
    let mut l = s.ledger();
    let customer = match p.text("customer") {
        Some(c) if l.customer(&c).is_ok() => Some(c),
        Some(c) => return Err(no_such("customer", &c, "customer")),
        None => None,
    };
    let (mut card, behaviour) = resolve_source(&mut l, &p, customer.as_deref())?;
    card.refunds_pending = behaviour == Behaviour::PendingRefund;
    let outcome = match behaviour {
        Behaviour::Decline(code) => Outcome::Declined {
            code: code.to_string(),
            message: test_cards::failure(code).2.to_string(),
        },
        _ => match &card.decline_code {
            Some(code) => Outcome::Declined {
                code: code.clone(),
                message: test_cards::failure(code).2.to_string(),
            },
            None => Outcome::Approved,
        },
    };
    let token = l.create_charge(
        NewCharge {
            amount,
            currency: currency.to_ascii_uppercase(),
            description,
            email,
            ip_address: String::new(),
            customer_token: customer.or_else(|| card.customer_token.clone()),
            card,
            capture,
            metadata,
            outcome: outcome.clone(),
            callback_url: None,
            reference: None,
        },
        Source::Api,
    );
    if let (Behaviour::Dispute(reason, inquiry), true) = (behaviour, capture) {
        let _ = l.open_dispute(
            NewDispute {
                charge: token.clone(),
                reason: reason.to_string(),
                status: if inquiry {
                    DisputeStatus::WarningNeedsResponse
                } else {
                    DisputeStatus::NeedsResponse
                },
                evidence: Vec::new(),
                submission_count: 0,
            },
            Source::Api,
        );
    }
    if let Outcome::Declined { code, .. } = &outcome {
        let (fc, dc, msg) = test_cards::failure(code);
        return Err(StripeError::card(fc, Some(dc), msg, &token));
    }
    let c = l.charge(&token).map_err(|e| ledger_error(e, &token))?;
    ok(render::charge(&l, c, expand))
}

/// `GET /v1/charges`: `created`, `customer`, cursors; `payment_intent` and
/// `transfer_group` match nothing (the simulator makes neither).
pub(super) async fn list(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow_list(
        &p,
        &["created", "customer", "payment_intent", "transfer_group"],
    )?;
    let lq = ListQuery::parse(&p)?;
    let customer = p.text("customer");
    let none = p.has("payment_intent") || p.has("transfer_group");
    let expand = ChargeExpand::from(&expands(&p), "data.");
    let l = s.ledger();
    let keep = |c: &Charge| {
        !none
            && customer
                .as_ref()
                .is_none_or(|cus| c.customer_token.as_ref() == Some(cus))
    };
    let render = |c: &Charge| render::charge(&l, c, expand);
    listed(l.charges(), keep, &lq, "/v1/charges", render)
}

/// The charge `ch`, or Stripe's `No such charge`.
pub(crate) fn find<'a>(l: &'a Ledger, ch: &str) -> Result<&'a Charge, StripeError> {
    l.charge(ch)
        .map_err(|_| StripeError::missing("charge", ch, "id"))
}

/// `GET /v1/charges/{ch}`: the charge, expanded as `expand` asks.
pub(crate) fn retrieve(l: &Ledger, ch: &str, p: &Params) -> StripeResult {
    ok(render::charge(
        l,
        find(l, ch)?,
        ChargeExpand::from(&expands(p), ""),
    ))
}

/// `POST /v1/charges/{id}`: `description`, `metadata`, `receipt_email` (others
/// accepted and ignored: `fraud_details`, `shipping`, `transfer_group`).
pub(super) fn update(l: &mut Ledger, ch: &str, p: &Params) -> StripeResult {
    allow(
        p,
        &[
            "description",
            "metadata",
            "receipt_email",
            "fraud_details",
            "shipping",
            "transfer_group",
        ],
    )?;
    let current = find(l, ch)?.metadata.clone();
    let metadata = metadata_update(p, &current)?;
    l.update_charge(
        ch,
        p.str("description"),
        p.str("receipt_email"),
        metadata,
        Source::Api,
    )
    .map_err(|e| ledger_error(e, ch))?;
    retrieve(l, ch, p)
}

/// `POST /v1/charges/{id}/capture` with optional `amount` (≤ authorised); a
/// partial capture releases the remainder as a succeeded refund.
pub(super) fn capture(l: &mut Ledger, ch: &str, p: &Params) -> StripeResult {
    allow(
        p,
        &[
            "amount",
            "receipt_email",
            "statement_descriptor",
            "statement_descriptor_suffix",
            "application_fee",
            "application_fee_amount",
            "transfer_data",
            "transfer_group",
        ],
    )?;
    let amount = int(p, "amount")?;
    if amount.is_some_and(|a| a <= 0) {
        return Err(StripeError::invalid("Amount must be greater than 0.").param("amount"));
    }
    if matches!(find(l, ch)?.state, ChargeState::Declined { .. }) {
        return Err(ledger_error(LedgerError::Declined, ch));
    }
    l.capture_and_release(ch, amount, Source::Api)
        .map_err(|e| ledger_error(e, ch))?;
    if let Some(email) = p.str("receipt_email") {
        l.update_charge(ch, None, Some(email), None, Source::Api)
            .map_err(|e| ledger_error(e, ch))?;
    }
    retrieve(l, ch, p)
}
