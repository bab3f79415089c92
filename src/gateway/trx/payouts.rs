//! Settlement batches as payouts, their lines as balance lines, and the balance
//! (docs/trx-gateway.md, "Settlement batches, fees and the balance"). Amounts are
//! decimal strings in major units, read exactly; lists page by offset like the
//! transactions list.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{TrxGateway, plain_id};
use crate::domain::{
    Balance, BalanceAmounts, BalanceLine, BankAccountSummary, ChargeSettlement, LineAmounts,
    LineKind, Page, PageRequest, Payout, PayoutStatus, RawJson,
};
use crate::gateway::decimal_amount::Amount;
use crate::gateway::http::Request;
use crate::gateway::record::{currency, decode, malformed};
use crate::gateway::transport::Transport;
use crate::gateway::{Payouts, Result};
use crate::money::{Currency, Money};

#[derive(Deserialize)]
struct Batch {
    id: String,
    status: String,
    currency: String,
    created_at: DateTime<Utc>,
    pay_date: Option<NaiveDate>,
    net_amount: Amount,
    line_count: Option<u64>,
    bank_reference: Option<String>,
    bank_account: Option<Account>,
}

#[derive(Deserialize)]
struct Account {
    bank_name: Option<String>,
    last4: Option<String>,
}

#[derive(Deserialize)]
struct Line {
    transaction_id: Option<String>,
    payment_id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    currency: String,
    gross: Amount,
    fee: Amount,
    fee_tax: Amount,
    net: Amount,
    occurred_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct BalanceBody {
    data: Vec<BalanceEntry>,
}

#[derive(Deserialize)]
struct BalanceEntry {
    currency: String,
    available: Amount,
    pending: Option<Amount>,
}

fn money(amount: Amount, currency: Currency, raw: &RawValue) -> Result<Money> {
    Money::new(amount.0, currency).map_err(|e| malformed("amount", e, raw))
}

/// A batch's status, in whatever case it came; a word we do not know is kept.
fn payout_status(status: &str) -> PayoutStatus {
    match status.to_ascii_uppercase().as_str() {
        "PENDING" => PayoutStatus::Pending,
        "PAID" => PayoutStatus::Paid,
        other => PayoutStatus::Other(other.to_string()),
    }
}

/// A line's `type`; one we do not know is an adjustment.
fn line_kind(kind: &str) -> LineKind {
    match kind.to_ascii_uppercase().as_str() {
        "PAYMENT" => LineKind::Charge,
        "REFUND" => LineKind::Refund,
        "CHARGEBACK" => LineKind::Dispute,
        "CHARGEBACK_REVERSAL" => LineKind::DisputeReversal,
        "FEE" => LineKind::Fee,
        _ => LineKind::Adjustment,
    }
}

fn payout(raw: &RawValue) -> Result<Payout> {
    let b: Batch = decode("settlement", raw)?;
    let cur = currency(&b.currency, raw)?;
    // Never more than the last four digits, whatever the gateway sent.
    let bank_account = b.bank_account.map(|a| BankAccountSummary {
        bank_name: a.bank_name,
        last4: a.last4.map_or_else(String::new, |l| {
            let extra = l.chars().count().saturating_sub(4);
            l.chars().skip(extra).collect()
        }),
    });
    Ok(Payout {
        id: b.id,
        status: payout_status(&b.status),
        amount: money(b.net_amount, cur, raw)?,
        created: b.created_at,
        arrival: b.pay_date,
        bank_reference: b.bank_reference,
        statement_descriptor: None,
        bank_account,
        automatic: Some(true),
        line_count: b.line_count,
        raw: RawJson::new(raw.get()),
    })
}

fn line(raw: &RawValue) -> Result<BalanceLine> {
    let l: Line = decode("settlement line", raw)?;
    let cur = currency(&l.currency, raw)?;
    Ok(BalanceLine {
        kind: line_kind(&l.kind),
        source_id: l.transaction_id,
        charge_id: l.payment_id,
        amounts: LineAmounts {
            gross: money(l.gross, cur, raw)?,
            fee: money(l.fee, cur, raw)?,
            fee_tax: money(l.fee_tax, cur, raw)?,
            net: money(l.net, cur, raw)?,
        },
        occurred: l.occurred_at,
        raw: RawJson::new(raw.get()),
    })
}

#[async_trait]
impl Payouts for TrxGateway {
    async fn list_payouts(&self, page: &PageRequest) -> Result<Page<Payout>> {
        self.page(Request::get("settlements"), page, payout).await
    }

    async fn get_payout(&self, id: &str) -> Result<Payout> {
        let id = plain_id(id, "settlement")?;
        let raw: Box<RawValue> = self
            .read(&Request::get(format!("settlements/{id}")))
            .await?;
        payout(&raw)
    }

    async fn payout_lines(&self, id: &str, page: &PageRequest) -> Result<Page<BalanceLine>> {
        let id = plain_id(id, "settlement")?;
        self.page(Request::get(format!("settlements/{id}/lines")), page, line)
            .await
    }

    async fn charge_settlement(&self, charge_id: &str) -> Result<ChargeSettlement> {
        super::wire::settlement(&self.transaction_raw(charge_id).await?)
    }

    async fn balance(&self) -> Result<Balance> {
        let raw: Box<RawValue> = self.read(&Request::get("balance")).await?;
        let body: BalanceBody = decode("balance", &raw)?;
        let amounts = body
            .data
            .into_iter()
            .map(|e| {
                let cur = currency(&e.currency, &raw)?;
                let available = money(e.available, cur, &raw)?;
                let pending = e.pending.map(|p| money(p, cur, &raw)).transpose()?;
                BalanceAmounts::new(available, pending).map_err(|e| malformed("balance", e, &raw))
            })
            .collect::<Result<_>>()?;
        Ok(Balance {
            amounts,
            raw: RawJson::new(raw.get()),
        })
    }
}
