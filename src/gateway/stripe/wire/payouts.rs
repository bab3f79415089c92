//! Stripe's Payout, BalanceTransaction and Balance objects as payouts, balance
//! lines and a balance. Amounts are integer minor units; a balance transaction's
//! `fee` includes any tax on it, which `fee_details` of type `tax` (or
//! `withheld_tax`) names, so the line's fee is `fee` less that tax and
//! `gross − fee − tax = net` is Stripe's own `net = amount − fee`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{id_of, time};
use crate::domain::{
    Balance, BalanceAmounts, BalanceLine, BankAccountSummary, LineAmounts, LineKind, Payout,
    PayoutStatus, RawJson,
};
use crate::gateway::GatewayError;
use crate::gateway::record::{currency, decode, malformed};
use crate::money::{Currency, Money};

#[derive(Deserialize)]
struct StripePayout {
    id: String,
    amount: i64,
    arrival_date: Option<i64>,
    automatic: Option<bool>,
    created: i64,
    currency: String,
    /// The bank account's id, or the account itself with `expand[]=destination`.
    destination: Option<Value>,
    statement_descriptor: Option<String>,
    status: String,
    trace_id: Option<TraceId>,
}

#[derive(Deserialize)]
struct TraceId {
    value: Option<String>,
}

#[derive(Deserialize)]
struct FeeDetail {
    amount: i64,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct StripeTxn {
    amount: i64,
    available_on: Option<i64>,
    created: i64,
    currency: String,
    fee: i64,
    #[serde(default)]
    fee_details: Vec<FeeDetail>,
    net: i64,
    reporting_category: Option<String>,
    /// An id, or the object with `expand[]=source`.
    source: Option<Value>,
    status: Option<String>,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct StripeBalance {
    available: Vec<Funds>,
    #[serde(default)]
    pending: Vec<Funds>,
}

#[derive(Deserialize)]
struct Funds {
    amount: i64,
    currency: String,
}

fn payout_status(status: &str) -> PayoutStatus {
    match status {
        "pending" => PayoutStatus::Pending,
        "in_transit" => PayoutStatus::InTransit,
        "paid" => PayoutStatus::Paid,
        "failed" => PayoutStatus::Failed,
        "canceled" => PayoutStatus::Canceled,
        other => PayoutStatus::Other(other.to_string()),
    }
}

fn date(seconds: i64, raw: &RawValue) -> Result<NaiveDate, GatewayError> {
    Ok(time(seconds, raw)?.date_naive())
}

/// The masked account of an expanded `destination`: never more than four digits.
fn bank_account(destination: Option<&Value>) -> Option<BankAccountSummary> {
    let account = destination?.as_object()?;
    let last4: String = account
        .get("last4")?
        .as_str()?
        .chars()
        .rev()
        .take(4)
        .collect();
    Some(BankAccountSummary {
        bank_name: account
            .get("bank_name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(String::from),
        last4: last4.chars().rev().collect(),
    })
}

pub fn payout(raw: &RawValue) -> Result<Payout, GatewayError> {
    let p: StripePayout = decode("payout", raw)?;
    let cur = currency(&p.currency, raw)?;
    Ok(Payout {
        status: payout_status(&p.status),
        amount: Money::from_minor(p.amount, cur),
        created: time(p.created, raw)?,
        arrival: p.arrival_date.map(|a| date(a, raw)).transpose()?,
        // What the bank shows to match it: the trace id once the bank has one.
        bank_reference: p.trace_id.and_then(|t| t.value).filter(|v| !v.is_empty()),
        statement_descriptor: p.statement_descriptor,
        bank_account: bank_account(p.destination.as_ref()),
        automatic: p.automatic,
        line_count: None,
        id: p.id,
        raw: RawJson::new(raw.get()),
    })
}

/// A line's kind from its `reporting_category` (which splits `type: adjustment`
/// into disputes and their reversals), else its `type`.
fn line_kind(t: &StripeTxn) -> LineKind {
    let category = t.reporting_category.as_deref().unwrap_or(t.kind.as_str());
    match category {
        "charge" | "payment" => LineKind::Charge,
        "refund" | "payment_refund" => LineKind::Refund,
        "dispute" => LineKind::Dispute,
        "dispute_reversal" => LineKind::DisputeReversal,
        "partial_capture_reversal" => LineKind::Release,
        "fee" | "stripe_fee" | "tax" => LineKind::Fee,
        "payout" => LineKind::Payout,
        _ => LineKind::Adjustment,
    }
}

/// The charge a line's (expanded) source belongs to: the charge itself, or the
/// refund's or dispute's `charge`.
fn charge_of(source: Option<&Value>) -> Option<String> {
    let source = source?;
    let own = id_of(Some(source)).filter(|id| id.starts_with("ch_") || id.starts_with("py_"));
    own.or_else(|| id_of(source.get("charge")))
}

/// A balance transaction's four amounts.
fn amounts(t: &StripeTxn, cur: Currency, raw: &RawValue) -> Result<LineAmounts, GatewayError> {
    let mut tax: i64 = 0;
    for d in t
        .fee_details
        .iter()
        .filter(|d| d.kind == "tax" || d.kind == "withheld_tax")
    {
        tax = tax
            .checked_add(d.amount)
            .ok_or_else(|| malformed("fee_details", "tax too large", raw))?;
    }
    let fee = t
        .fee
        .checked_sub(tax)
        .ok_or_else(|| malformed("fee", "too large", raw))?;
    let money = |minor| Money::from_minor(minor, cur);
    Ok(LineAmounts {
        gross: money(t.amount),
        fee: money(fee),
        fee_tax: money(tax),
        net: money(t.net),
    })
}

pub fn balance_line(raw: &RawValue) -> Result<BalanceLine, GatewayError> {
    let t: StripeTxn = decode("balance transaction", raw)?;
    let cur = currency(&t.currency, raw)?;
    Ok(BalanceLine {
        kind: line_kind(&t),
        source_id: id_of(t.source.as_ref()),
        charge_id: charge_of(t.source.as_ref()),
        amounts: amounts(&t, cur, raw)?,
        occurred: time(t.created, raw)?,
        raw: RawJson::new(raw.get()),
    })
}

/// A charge's balance transaction: its amounts, and whether and when its money
/// is available (Stripe's `available_on`, the date a payout can take it).
pub struct ChargeTxn {
    pub amounts: LineAmounts,
    pub source: Option<String>,
    pub available: bool,
    pub available_on: Option<DateTime<Utc>>,
}

pub fn charge_txn(raw: &RawValue) -> Result<ChargeTxn, GatewayError> {
    let t: StripeTxn = decode("balance transaction", raw)?;
    let cur = currency(&t.currency, raw)?;
    Ok(ChargeTxn {
        amounts: amounts(&t, cur, raw)?,
        source: id_of(t.source.as_ref()),
        available: t.status.as_deref() == Some("available"),
        available_on: t.available_on.map(|a| time(a, raw)).transpose()?,
    })
}

/// A charge's `balance_transaction`, as far as the charge carries it.
pub enum ChargeBalance {
    /// Not captured: no money moved.
    None,
    /// Only its id (the charge was read without the expansion).
    Id(String),
    Txn(ChargeTxn),
}

#[derive(Deserialize)]
struct ChargeWithTxn {
    balance_transaction: Option<Value>,
}

/// The `balance_transaction` of a charge read with `expand[]=balance_transaction`.
pub fn charge_balance(raw: &RawValue) -> Result<ChargeBalance, GatewayError> {
    let charge: ChargeWithTxn = decode("charge", raw)?;
    match charge.balance_transaction {
        None | Some(Value::Null) => Ok(ChargeBalance::None),
        Some(Value::String(id)) => Ok(ChargeBalance::Id(id)),
        Some(object) => {
            let one = serde_json::value::to_raw_value(&object)
                .map_err(|e| malformed("balance_transaction", e, raw))?;
            charge_txn(&one).map(ChargeBalance::Txn)
        }
    }
}

pub fn balance(raw: &RawValue) -> Result<Balance, GatewayError> {
    let b: StripeBalance = decode("balance", raw)?;
    let mut amounts = Vec::with_capacity(b.available.len());
    for funds in &b.available {
        let cur = currency(&funds.currency, raw)?;
        let pending = b
            .pending
            .iter()
            .find(|p| p.currency.eq_ignore_ascii_case(&funds.currency))
            .map(|p| Money::from_minor(p.amount, cur));
        let entry = BalanceAmounts::new(Money::from_minor(funds.amount, cur), pending)
            .map_err(|e| malformed("balance", e, raw))?;
        amounts.push(entry);
    }
    Ok(Balance {
        amounts,
        raw: RawJson::new(raw.get()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(value: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&value).unwrap()
    }

    #[test]
    fn tax_in_the_fee_details_is_kept_apart_from_the_fee() {
        let line = balance_line(&raw(json!({
            "id": "txn_1", "object": "balance_transaction", "amount": 10000,
            "available_on": 1_700_000_000, "created": 1_700_000_000, "currency": "aud",
            "fee": 200, "net": 9800, "reporting_category": "charge", "type": "charge",
            "status": "available", "source": "ch_1",
            "fee_details": [
                {"amount": 182, "currency": "aud", "type": "stripe_fee"},
                {"amount": 18, "currency": "aud", "type": "tax"}]
        })))
        .unwrap();
        assert_eq!(line.kind, LineKind::Charge);
        assert_eq!(line.charge_id.as_deref(), Some("ch_1"));
        let a = line.amounts;
        assert_eq!(
            (a.gross, a.fee, a.fee_tax, a.net),
            (
                Money::from_minor(10000, Currency::AUD),
                Money::from_minor(182, Currency::AUD),
                Money::from_minor(18, Currency::AUD),
                Money::from_minor(9800, Currency::AUD)
            )
        );
        assert!(a.checks());
    }

    #[test]
    fn a_dispute_line_names_its_charge_through_the_expanded_source() {
        let line = balance_line(&raw(json!({
            "id": "txn_2", "amount": -5000, "created": 1_700_000_000, "currency": "usd",
            "fee": 1500, "fee_details": [], "net": -6500, "reporting_category": "dispute",
            "type": "adjustment",
            "source": {"id": "dp_1", "object": "dispute", "charge": "ch_9"}
        })))
        .unwrap();
        assert_eq!(line.kind, LineKind::Dispute);
        assert_eq!(line.source_id.as_deref(), Some("dp_1"));
        assert_eq!(line.charge_id.as_deref(), Some("ch_9"));
        // An id alone names no charge but its own.
        let refund = balance_line(&raw(json!({
            "amount": -500, "created": 1, "currency": "usd", "fee": 0, "net": -500,
            "type": "refund", "source": "re_1"
        })))
        .unwrap();
        assert_eq!(refund.charge_id, None);
    }

    #[test]
    fn a_payout_shows_only_the_last_four_of_its_account() {
        let p = payout(&raw(json!({
            "id": "po_1", "amount": 1100, "arrival_date": 1_700_086_400, "automatic": true,
            "created": 1_700_000_000, "currency": "usd", "status": "paid",
            "statement_descriptor": null, "trace_id": {"status": "supported", "value": "T1"},
            "destination": {"id": "ba_1", "object": "bank_account", "last4": "000123456789",
                            "bank_name": "EXAMPLE"}
        })))
        .unwrap();
        assert_eq!(p.status, PayoutStatus::Paid);
        assert_eq!(p.bank_reference.as_deref(), Some("T1"));
        assert_eq!(p.bank_account.unwrap().last4, "6789");
        assert_eq!(p.arrival.unwrap().to_string(), "2023-11-15");
        let weird = payout(&raw(json!({
            "id": "po_2", "amount": 1, "created": 1, "currency": "usd", "status": "held",
            "destination": "ba_1"
        })))
        .unwrap();
        assert_eq!(weird.status, PayoutStatus::Other("held".into()));
        assert_eq!(weird.bank_account, None);
        assert!(payout(&raw(json!({"id": "po_3", "amount": "1"}))).is_err());
    }

    #[test]
    fn the_balance_pairs_pending_with_available_by_currency() {
        let b = balance(&raw(json!({
            "object": "balance",
            "available": [{"amount": -250, "currency": "aud"}, {"amount": 7, "currency": "jpy"}],
            "pending": [{"amount": 9, "currency": "jpy"}, {"amount": 1000, "currency": "aud"}]
        })))
        .unwrap();
        let aud = b.of_currency(Currency::AUD).unwrap();
        assert_eq!(aud.available, Money::from_minor(-250, Currency::AUD));
        assert_eq!(aud.pending, Some(Money::from_minor(1000, Currency::AUD)));
        assert_eq!(
            b.of_currency(Currency::JPY).unwrap().pending,
            Some(Money::from_minor(9, Currency::JPY))
        );
    }
}
