//! Pin's transfers as payouts, their line items as balance lines, the balance, and
//! a charge's fee and transfer. Amounts are integer minor units; lists page like the
//! charges list; every token goes into a path through `paths`.
//!
//! What Pin gives and how the four amounts of a line are filled: a line item has one
//! `amount`, what it moved the balance by (a charge's `merchant_entitlement`, a
//! refund or a dispute negative), and a `record` summarising the charge, with the
//! gross as `amount` and the fee as `total_fees`. So net = the line's `amount`,
//! gross = `record.amount`, fee = `record.total_fees`, and the tax on the fee is 0:
//! Pin has no field for it (GST is in its rate). Nothing is computed to fit: where
//! the record's figures do not make the line's amount, the net check says so. A
//! line without a record (a manual adjustment) has only its amount, so gross = net
//! and no fee is shown, because Pin split none out. A line names its charge by its
//! own token when it is a charge's, else by the record's `charge`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::PinGateway;
use crate::domain::{
    Balance, BalanceAmounts, BalanceLine, BankAccountSummary, ChargeSettlement, LineAmounts,
    LineKind, Page, PageRequest, Payout, PayoutPlace, PayoutStatus, RawJson,
};
use crate::gateway::card_wire::last4;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::record::{currency, decode, malformed};
use crate::gateway::transport::Transport;
use crate::gateway::{Payouts, Result};
use crate::money::{Currency, Money};

#[derive(Deserialize)]
struct Transfer {
    token: String,
    status: String,
    currency: String,
    amount: i64,
    created_at: DateTime<Utc>,
    paid_at: Option<DateTime<Utc>>,
    reference: Option<String>,
    line_items_count: Option<u64>,
    bank_account: Option<Account>,
}

#[derive(Deserialize)]
struct Account {
    number: Option<String>,
    bank_name: Option<String>,
}

#[derive(Deserialize)]
struct LineItem {
    #[serde(rename = "type")]
    kind: String,
    object: Option<String>,
    token: Option<String>,
    amount: i64,
    currency: String,
    created_at: DateTime<Utc>,
    record: Option<LineRecord>,
}

#[derive(Deserialize)]
struct LineRecord {
    amount: Option<i64>,
    total_fees: Option<i64>,
    /// The charge a refund's or a dispute's line belongs to.
    charge: Option<String>,
}

#[derive(Deserialize)]
struct BalanceBody {
    available: Vec<BalanceEntry>,
    pending: Option<Vec<BalanceEntry>>,
}

#[derive(Deserialize)]
struct BalanceEntry {
    amount: i64,
    currency: String,
}

#[derive(Deserialize)]
struct ChargeMoney {
    amount: i64,
    currency: String,
    #[serde(default)]
    captured: bool,
    total_fees: Option<i64>,
    merchant_entitlement: Option<i64>,
    settlement_currency: Option<String>,
    #[serde(default)]
    transfer: Vec<ChargeTransfer>,
}

#[derive(Deserialize)]
struct ChargeTransfer {
    token: Option<String>,
}

/// A transfer's status; a word we do not know is kept as it came. Pin documents
/// `succeeded`; `pending` and `failed` follow its `transfer.failed` event.
fn payout_status(status: &str) -> PayoutStatus {
    match status.to_ascii_lowercase().as_str() {
        "succeeded" => PayoutStatus::Paid,
        "pending" => PayoutStatus::Pending,
        "failed" => PayoutStatus::Failed,
        _ => PayoutStatus::Other(status.to_string()),
    }
}

/// A line item's `type`: the kind's own name with `_` for spaces (`dispute_reversal`),
/// or a chargeback's or a transfer's; one we do not know is an adjustment.
fn line_kind(kind: &str) -> LineKind {
    use LineKind::{DisputeReversal as Reversal, *};
    let word = kind.to_ascii_lowercase().replace('_', " ");
    let word = match word.as_str() {
        "chargeback" => "dispute",
        "chargeback reversal" => "dispute reversal",
        "transfer" => "payout",
        other => other,
    };
    [Charge, Refund, Release, Dispute, Reversal, Fee, Payout]
        .into_iter()
        .find(|k| k.label() == word)
        .unwrap_or(Adjustment)
}

fn payout(raw: &RawValue) -> Result<Payout> {
    let t: Transfer = decode("transfer", raw)?;
    let cur = currency(&t.currency, raw)?;
    // Pin masks the account number (`XXXXXX321`); only its last digits are kept.
    let bank_account = t.bank_account.map(|a| BankAccountSummary {
        bank_name: a.bank_name.filter(|n| !n.trim().is_empty()),
        last4: last4(a.number.as_deref()),
    });
    Ok(Payout {
        id: t.token,
        status: payout_status(&t.status),
        amount: Money::from_minor(t.amount, cur),
        created: t.created_at,
        arrival: t.paid_at.map(|p| p.date_naive()),
        bank_reference: t.reference,
        statement_descriptor: None,
        bank_account,
        automatic: None,
        line_count: t.line_items_count,
        raw: RawJson::new(raw.get()),
    })
}

fn line(raw: &RawValue) -> Result<BalanceLine> {
    let l: LineItem = decode("transfer line item", raw)?;
    let cur = currency(&l.currency, raw)?;
    let net = Money::from_minor(l.amount, cur);
    let (gross, fee) = match &l.record {
        Some(LineRecord {
            amount: Some(gross),
            total_fees,
            ..
        }) => (
            Money::from_minor(*gross, cur),
            Money::from_minor(total_fees.unwrap_or(0), cur),
        ),
        _ => (net, Money::zero(cur)),
    };
    let is_charge = l.object.as_deref() == Some("charge")
        || l.token.as_deref().is_some_and(|t| t.starts_with("ch_"));
    let charge_id = match l.record.and_then(|r| r.charge) {
        Some(charge) => Some(charge),
        None => l.token.clone().filter(|_| is_charge),
    };
    Ok(BalanceLine {
        kind: line_kind(&l.kind),
        charge_id,
        source_id: l.token,
        amounts: LineAmounts {
            gross,
            fee,
            fee_tax: Money::zero(cur),
            net,
        },
        occurred: l.created_at,
        raw: RawJson::new(raw.get()),
    })
}

/// One currency's entry of a side of the balance.
fn entry(e: &BalanceEntry, raw: &RawValue) -> Result<Money> {
    Ok(Money::from_minor(e.amount, currency(&e.currency, raw)?))
}

/// `available` and `pending` per currency, in the order `available` names them; a
/// currency only pending has nothing available. A side that names a currency twice
/// is malformed rather than one of its entries silently dropped.
fn balance(raw: &RawValue) -> Result<Balance> {
    let body: BalanceBody = decode("balance", raw)?;
    let mut amounts: Vec<BalanceAmounts> = Vec::new();
    let twice = |cur: Currency| malformed("balance", format!("{cur} given twice"), raw);
    for e in &body.available {
        let available = entry(e, raw)?;
        if amounts.iter().any(|a| a.currency() == available.currency) {
            return Err(twice(available.currency));
        }
        let pending = body
            .pending
            .as_ref()
            .map(|_| Money::zero(available.currency));
        amounts.push(BalanceAmounts { available, pending });
    }
    let mut seen = Vec::new();
    for e in body.pending.iter().flatten() {
        let pending = entry(e, raw)?;
        if seen.contains(&pending.currency) {
            return Err(twice(pending.currency));
        }
        seen.push(pending.currency);
        match amounts
            .iter_mut()
            .find(|a| a.currency() == pending.currency)
        {
            Some(a) => a.pending = Some(pending),
            None => amounts.push(BalanceAmounts {
                available: Money::zero(pending.currency),
                pending: Some(pending),
            }),
        }
    }
    Ok(Balance {
        amounts,
        raw: RawJson::new(raw.get()),
    })
}

/// A charge's fee and net from its own `total_fees` and `merchant_entitlement`
/// (tax on the fee: none, as on lines), and its transfer from `transfer[]`. A
/// charge settled in another currency than it was made in is given no amounts:
/// Pin does not say which currency its fee is in. Pin gives no date a transfer is
/// expected by.
fn settlement(raw: &RawValue) -> Result<ChargeSettlement> {
    let c: ChargeMoney = decode("charge", raw)?;
    let cur = currency(&c.currency, raw)?;
    let same_currency = c
        .settlement_currency
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case(&c.currency));
    let amounts = match (
        c.captured && same_currency,
        c.total_fees,
        c.merchant_entitlement,
    ) {
        (true, Some(fee), Some(net)) => Some(LineAmounts {
            gross: Money::from_minor(c.amount, cur),
            fee: Money::from_minor(fee, cur),
            fee_tax: Money::zero(cur),
            net: Money::from_minor(net, cur),
        }),
        _ => None,
    };
    let transfer = c.transfer.into_iter().find_map(|t| t.token);
    let payout = match transfer {
        Some(payout_id) => PayoutPlace::PaidOut { payout_id },
        None if c.captured => PayoutPlace::NotYet { expected_by: None },
        None => PayoutPlace::Unknown,
    };
    Ok(ChargeSettlement { amounts, payout })
}

#[async_trait]
impl Payouts for PinGateway {
    async fn list_payouts(&self, page: &PageRequest) -> Result<Page<Payout>> {
        self.page(Request::get("transfers"), page, payout).await
    }

    async fn get_payout(&self, id: &str) -> Result<Payout> {
        self.one(Request::get(paths::record("transfers", id)?), payout)
            .await
    }

    async fn payout_lines(&self, id: &str, page: &PageRequest) -> Result<Page<BalanceLine>> {
        let request = Request::get(paths::below("transfers", id, "line_items")?);
        self.page(request, page, line).await
    }

    async fn balance(&self) -> Result<Balance> {
        self.one(Request::get("balance"), balance).await
    }

    async fn charge_settlement(&self, charge_id: &str) -> Result<ChargeSettlement> {
        self.one(
            Request::get(paths::record("charges", charge_id)?),
            settlement,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NetCheck;
    use crate::gateway::GatewayError;
    use serde_json::{Value, json};

    fn raw(v: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&v).unwrap()
    }

    fn aud(minor: i64) -> Money {
        Money::from_minor(minor, Currency::AUD)
    }

    #[test]
    fn pins_documented_transfer_reads_with_its_account_masked() {
        // The example of Pin's transfers page.
        let p = payout(&raw(json!({
            "token": "tfer_lfUYEBK14zotCTykezJkfg", "status": "succeeded", "currency": "AUD",
            "description": "Earnings for may", "amount": 400, "total_debits": 200,
            "total_credits": 600, "created_at": "2023-06-20T03:10:49Z",
            "paid_at": "2023-06-20T03:10:49Z", "reference": "Test Business",
            "line_items_count": 2,
            "bank_account": {"token": "ba_nytGw7koRg23EEp9NTmz9w", "name": "Mr Roland Robot",
                             "bsb": "123456", "number": "XXXXXX321", "bank_name": "", "branch": ""},
            "recipient": "rp_a98a4fafROQCOT5PdwLkQ"
        })))
        .unwrap();
        assert_eq!(p.status, PayoutStatus::Paid);
        assert_eq!(p.amount, aud(400));
        assert_eq!(
            p.arrival.map(|d| d.to_string()).as_deref(),
            Some("2023-06-20")
        );
        assert_eq!(p.bank_reference.as_deref(), Some("Test Business"));
        let account = p.bank_account.unwrap();
        assert_eq!((account.bank_name, account.last4.as_str()), (None, "321"));
        assert_eq!(p.line_count, Some(2));
    }

    #[test]
    fn a_line_is_its_records_gross_and_fee_and_its_own_net() {
        let charge = line(&raw(json!({
            "type": "charge", "object": "charge", "token": "ch_1", "amount": 9795,
            "currency": "AUD", "created_at": "2026-11-20T03:10:49Z",
            "record": {"amount": 10000, "total_fees": 205, "merchant_entitlement": 9795}
        })))
        .unwrap();
        assert_eq!(charge.kind, LineKind::Charge);
        assert_eq!(charge.charge_id.as_deref(), Some("ch_1"));
        assert_eq!(
            (charge.amounts.gross, charge.amounts.fee, charge.amounts.net),
            (aud(10000), aud(205), aud(9795))
        );
        assert_eq!(charge.net_check(), NetCheck::Holds);
        // A record whose figures do not make the line's amount is shown off, not fixed.
        let off = line(&raw(json!({
            "type": "refund", "amount": -500, "currency": "AUD",
            "created_at": "2026-11-20T03:10:49Z", "record": {"amount": 500, "total_fees": 0}
        })))
        .unwrap();
        assert!(!off.amounts.checks());
        assert_eq!(off.charge_id, None);
        let refund = line(&raw(json!({
            "type": "refund", "object": "refund", "token": "rf_1", "amount": -500,
            "currency": "AUD", "created_at": "2026-11-20T03:10:49Z",
            "record": {"amount": -500, "total_fees": 0, "charge": "ch_9"}
        })))
        .unwrap();
        assert_eq!(refund.source_id.as_deref(), Some("rf_1"));
        assert_eq!(refund.charge_id.as_deref(), Some("ch_9"));
        assert!(refund.amounts.checks());
        // Pin's real adjustment line: one amount, no record.
        let adjustment = line(&raw(json!({
            "type": "adjustment", "amount": 5000, "currency": "AUD",
            "created_at": "2018-05-23T08:09:05Z"
        })))
        .unwrap();
        assert_eq!(adjustment.kind, LineKind::Adjustment);
        assert_eq!(adjustment.amounts.gross, aud(5000));
        assert_eq!(adjustment.amounts.fee, aud(0));
    }

    #[test]
    fn line_types_read_in_any_case_and_unknown_ones_are_adjustments() {
        let words = [
            "charge",
            "Refund",
            "chargeback",
            "dispute_reversal",
            "transfer",
            "<b>",
        ];
        let kinds = words.map(|w| line_kind(w).label());
        let meant = [
            "charge",
            "refund",
            "dispute",
            "dispute reversal",
            "payout",
            "adjustment",
        ];
        assert_eq!(kinds, meant);
        assert_eq!(payout_status("SUCCEEDED"), PayoutStatus::Paid);
        assert_eq!(
            payout_status("Queued"),
            PayoutStatus::Other("Queued".into())
        );
    }

    #[test]
    fn the_balance_pairs_both_sides_by_currency() {
        let b = balance(&raw(json!({
            "available": [{"amount": 400, "currency": "AUD"}],
            "pending": [{"amount": 1200, "currency": "AUD"}, {"amount": 7, "currency": "USD"}]
        })))
        .unwrap();
        let aud_side = b.of_currency(Currency::AUD).unwrap();
        assert_eq!(
            (aud_side.available, aud_side.pending),
            (aud(400), Some(aud(1200)))
        );
        let usd = b.of_currency(Currency::USD).unwrap();
        assert_eq!(usd.available, Money::zero(Currency::USD));
        let twice = balance(&raw(json!({
            "available": [{"amount": 1, "currency": "AUD"}, {"amount": 2, "currency": "AUD"}],
            "pending": []
        })));
        assert!(
            matches!(twice, Err(GatewayError::Malformed { .. })),
            "{twice:?}"
        );
    }

    #[test]
    fn a_charges_settlement_is_its_own_fee_and_transfer() {
        let mut c = json!({
            "token": "ch_1", "amount": 400, "currency": "AUD", "captured": true,
            "total_fees": 42, "merchant_entitlement": 358, "settlement_currency": "AUD",
            "transfer": [{"state": "paid", "paid_at": "2012-06-27T03:10:49Z", "token": "tfer_j"}]
        });
        let s = settlement(&raw(c.clone())).unwrap();
        assert_eq!(s.amounts.map(|a| a.checks()), Some(true));
        assert_eq!(
            s.payout,
            PayoutPlace::PaidOut {
                payout_id: "tfer_j".into()
            }
        );
        c["transfer"] = json!([]);
        let s = settlement(&raw(c.clone())).unwrap();
        assert_eq!(s.payout, PayoutPlace::NotYet { expected_by: None });
        c["settlement_currency"] = json!("USD");
        assert_eq!(settlement(&raw(c.clone())).unwrap().amounts, None);
        c["captured"] = json!(false);
        c["total_fees"] = Value::Null;
        let s = settlement(&raw(c)).unwrap();
        assert_eq!((s.amounts, s.payout), (None, PayoutPlace::Unknown));
    }
}
