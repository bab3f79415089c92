//! Openpay's payouts, their lines, the balance and a charge's fee (docs/openpay.md,
//! "Payouts, fees and the balance"). A payout is a transaction of type `payout`
//! (`GET /payouts`); its lines are the four detail lists of the payout report
//! (`GET /reports/payout/{id}/detail?detail_type=IN|OUT|CHARGED_ADJUSTMENTS|
//! REFUNDED_ADJUSTMENTS`), read as one list in that order; the balance is the
//! merchant object's `balance`. Openpay never links a charge to its payout, so a
//! charge's payout is found by looking for it in the IN lists of the payouts made
//! after its capture, a bounded number of them.

use async_trait::async_trait;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{OpenpayGateway, wire};
use crate::domain::{
    Balance, BalanceAmounts, BalanceLine, BankAccountSummary, ChargeSettlement, ChargeStatus,
    Cursor, LineAmounts, LineKind, Page, PageRequest, Payout, PayoutPlace, PayoutStatus, RawJson,
};
use crate::gateway::decimal_amount::Amount;
use crate::gateway::http::Request;
use crate::gateway::list_records::decode_each;
use crate::gateway::paths;
use crate::gateway::record::{currency, decode, malformed};
use crate::gateway::transport::{Convert, Exchange, Transport};
use crate::gateway::{Payouts, Result};
use crate::money::{Currency, Money};

/// Each report list with how its lines read, in the order paydeck lists them.
const DETAILS: [(&str, Convert<BalanceLine>); 4] = [
    ("IN", |raw| line(raw, Detail::In)),
    ("OUT", |raw| line(raw, Detail::Out)),
    ("CHARGED_ADJUSTMENTS", |raw| line(raw, Detail::Charged)),
    ("REFUNDED_ADJUSTMENTS", |raw| line(raw, Detail::Refunded)),
];

/// A line cursor is one `Offset`: the list's index times this, plus the offset
/// within the list (no payout has a billion lines in one list).
const LIST_STRIDE: u64 = 1_000_000_000;

/// How far a charge's payout is looked for: payouts made within this many days
/// of its capture, at most this many of them, each IN list read to this many
/// pages. Bounded, so a charge never costs more than a few dozen requests.
const SETTLEMENT_DAYS: i64 = 16;
const SETTLEMENT_PAYOUTS: u32 = 10;
const SETTLEMENT_PAGES: u64 = 10;
const PAGE: u32 = 100;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    In,
    Out,
    Charged,
    Refunded,
}

#[derive(Deserialize)]
struct OpPayout {
    id: String,
    amount: Amount,
    status: String,
    currency: Option<String>,
    creation_date: DateTime<FixedOffset>,
    operation_date: Option<DateTime<FixedOffset>>,
    authorization: Option<String>,
    bank_account: Option<OpBankAccount>,
}

#[derive(Deserialize)]
struct OpBankAccount {
    clabe: Option<String>,
    bank_name: Option<String>,
}

#[derive(Deserialize)]
struct OpLine {
    id: String,
    amount: Amount,
    transaction_type: Option<String>,
    currency: Option<String>,
    creation_date: DateTime<Utc>,
    operation_date: Option<DateTime<Utc>>,
    fee: Option<OpFee>,
}

#[derive(Deserialize)]
struct OpFee {
    amount: Amount,
    tax: Option<Amount>,
}

#[derive(Deserialize)]
struct OpMerchant {
    balance: Amount,
}

/// Openpay Mexico has long omitted the currency of peso transactions.
fn currency_of(code: Option<&str>, raw: &RawValue) -> Result<Currency> {
    currency(code.unwrap_or("MXN"), raw)
}

fn money(amount: Amount, currency: Currency, raw: &RawValue) -> Result<Money> {
    Money::new(amount.0, currency).map_err(|e| malformed("amount", e, raw))
}

/// A payout's status; a word we do not know is kept.
fn payout_status(status: &str) -> PayoutStatus {
    match status.to_ascii_lowercase().as_str() {
        // "scheduled for the next day"
        "in_progress" => PayoutStatus::Pending,
        "completed" => PayoutStatus::Paid,
        "failed" => PayoutStatus::Failed,
        "cancelled" => PayoutStatus::Canceled,
        other => PayoutStatus::Other(other.to_string()),
    }
}

/// The last four digits of a masked CLABE, never more.
fn last4(clabe: &str) -> String {
    let digits: Vec<char> = clabe.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

fn payout(raw: &RawValue) -> Result<Payout> {
    let p: OpPayout = decode("payout", raw)?;
    let cur = currency_of(p.currency.as_deref(), raw)?;
    let bank_account = p.bank_account.map(|a| BankAccountSummary {
        bank_name: a.bank_name.filter(|n| !n.is_empty()),
        last4: a.clabe.as_deref().map(last4).unwrap_or_default(),
    });
    Ok(Payout {
        amount: money(p.amount, cur, raw)?,
        status: payout_status(&p.status),
        created: p.creation_date.with_timezone(&Utc),
        // The day it reaches the bank, in Openpay's own zone.
        arrival: p.operation_date.map(|d| d.date_naive()),
        // Openpay has no trace number; its authorisation is the payout's id in
        // capitals (docs/openpay.md).
        bank_reference: p.authorization.or_else(|| Some(p.id.to_ascii_uppercase())),
        statement_descriptor: None,
        bank_account,
        automatic: None,
        line_count: None,
        id: p.id,
        raw: RawJson::new(raw.get()),
    })
}

fn line_kind(detail: Detail, transaction_type: &str) -> LineKind {
    match (detail, transaction_type.to_ascii_lowercase().as_str()) {
        (Detail::In, "charge") => LineKind::Charge,
        (Detail::In, "chargeback") => LineKind::DisputeReversal,
        (Detail::Out, "refund") => LineKind::Refund,
        (Detail::Out, "chargeback") => LineKind::Dispute,
        (Detail::Charged, "fee") => LineKind::Fee,
        _ => LineKind::Adjustment,
    }
}

/// One transaction of a report list as a balance line. IN and OUT lines move
/// their amount in or out and pay their fee and tax on top; an adjustment's
/// amount is what it takes (charged) or gives back (refunded), fee and tax
/// included, so its gross is what is left of it once they are set apart.
fn line(raw: &RawValue, detail: Detail) -> Result<BalanceLine> {
    let l: OpLine = decode("payout line", raw)?;
    let cur = currency_of(l.currency.as_deref(), raw)?;
    let amount = money(l.amount, cur, raw)?;
    let zero = Money::zero(cur);
    let (fee, fee_tax) = match l.fee {
        Some(f) => (
            money(f.amount, cur, raw)?,
            f.tax
                .map(|t| money(t, cur, raw))
                .transpose()?
                .unwrap_or(zero),
        ),
        None => (zero, zero),
    };
    let sum = |a: Money, b: Money| a.checked_add(b).map_err(|e| malformed("amount", e, raw));
    let less = |a: Money, b: Money| a.checked_sub(b).map_err(|e| malformed("amount", e, raw));
    let (gross, net) = match detail {
        Detail::In => (amount, less(less(amount, fee)?, fee_tax)?),
        Detail::Out => {
            let gross = less(zero, amount)?;
            (gross, less(less(gross, fee)?, fee_tax)?)
        }
        Detail::Charged => {
            let net = less(zero, amount)?;
            (sum(sum(net, fee)?, fee_tax)?, net)
        }
        Detail::Refunded => (sum(sum(amount, fee)?, fee_tax)?, amount),
    };
    let kind = line_kind(detail, l.transaction_type.as_deref().unwrap_or(""));
    Ok(BalanceLine {
        kind,
        // Only a charge line names its charge: Openpay's refunds and chargebacks
        // carry no field that does.
        charge_id: (kind == LineKind::Charge).then(|| l.id.clone()),
        source_id: Some(l.id),
        amounts: LineAmounts {
            gross,
            fee,
            fee_tax,
            net,
        },
        occurred: l.operation_date.unwrap_or(l.creation_date),
        raw: RawJson::new(raw.get()),
    })
}

/// Where a line cursor points: which list, and how far into it.
fn line_position(page: &PageRequest) -> (usize, u64) {
    match page.cursor {
        Some(Cursor::Offset(at)) => (
            usize::try_from(at / LIST_STRIDE).unwrap_or(DETAILS.len()),
            at % LIST_STRIDE,
        ),
        _ => (0, 0),
    }
}

impl OpenpayGateway {
    /// One page of one report list of the payout at `path`.
    async fn detail_page(
        &self,
        path: &str,
        list: usize,
        offset: u64,
        limit: u32,
    ) -> Result<crate::gateway::list_records::RawPage> {
        let (name, _) = DETAILS[list];
        let request = Request::get(format!("{path}/detail")).query("detail_type", name);
        let at = PageRequest::at(Cursor::Offset(offset), limit);
        self.read_page(request, &at).await
    }

    /// Whether the payout `id`'s IN list holds the charge `charge_id`.
    async fn pays_charge(&self, id: &str, charge_id: &str) -> Result<bool> {
        let path = paths::record("reports/payout", id)?;
        for page in 0..SETTLEMENT_PAGES {
            let raw = self
                .detail_page(&path, 0, page * u64::from(PAGE), PAGE)
                .await?;
            if raw
                .records
                .iter()
                .any(|r| wire::id(r).as_deref() == Some(charge_id))
            {
                return Ok(true);
            }
            if raw.next.is_none() {
                break;
            }
        }
        Ok(false)
    }
}

#[async_trait]
impl Payouts for OpenpayGateway {
    async fn list_payouts(&self, page: &PageRequest) -> Result<Page<Payout>> {
        self.page(Request::get("payouts"), page, payout).await
    }

    async fn get_payout(&self, id: &str) -> Result<Payout> {
        self.one(Request::get(paths::record("payouts", id)?), payout)
            .await
    }

    /// The IN lines, then OUT, then the charged and the refunded adjustments, as
    /// one list: a page is filled from the next list when one runs out.
    async fn payout_lines(&self, id: &str, page: &PageRequest) -> Result<Page<BalanceLine>> {
        let path = paths::record("reports/payout", id)?;
        let limit = page.limit.clamp(1, super::request::MAX_LIMIT);
        let (mut list, mut offset) = line_position(page);
        let mut out = Page {
            items: Vec::new(),
            next: None,
            total: None,
            skipped: Vec::new(),
        };
        while list < DETAILS.len() && out.items.len() + out.skipped.len() < limit as usize {
            let want = limit - (out.items.len() + out.skipped.len()) as u32;
            let raw = self.detail_page(&path, list, offset, want).await?;
            let got = raw.records.len() as u64;
            let (items, skipped) = decode_each(&raw.records, DETAILS[list].1);
            out.items.extend(items);
            out.skipped.extend(skipped);
            if raw.next.is_some() {
                offset += got;
            } else {
                (list, offset) = (list + 1, 0);
            }
        }
        out.next = (list < DETAILS.len()).then(|| {
            let at = (list as u64)
                .saturating_mul(LIST_STRIDE)
                .saturating_add(offset);
            Cursor::Offset(at)
        });
        Ok(out)
    }

    /// The merchant object's `balance`, in the account's currency; Openpay tells
    /// no pending amount.
    async fn balance(&self) -> Result<Balance> {
        let raw = self.read_record(&Request::get("")).await?;
        let m: OpMerchant = decode("merchant", &raw)?;
        let available = money(m.balance, self.account_currency, &raw)?;
        let amounts =
            BalanceAmounts::new(available, None).map_err(|e| malformed("balance", e, &raw))?;
        Ok(Balance {
            amounts: vec![amounts],
            raw: RawJson::new(raw.get()),
        })
    }

    /// The charge's `fee` (commission and IVA apart) and, for a captured one, the
    /// payout whose IN list names it among those made in the days after its
    /// capture (not yet paid out when none does).
    async fn charge_settlement(&self, charge_id: &str) -> Result<ChargeSettlement> {
        let raw = self.charge_raw(charge_id).await?;
        let charge = wire::charge(&raw)?;
        let Some(fee) = wire::fee(&raw, charge.currency())? else {
            return Ok(ChargeSettlement {
                amounts: None,
                payout: PayoutPlace::Unknown,
            });
        };
        let gross = charge.captured;
        let net = gross
            .checked_sub(fee.0)
            .and_then(|n| n.checked_sub(fee.1))
            .map_err(|e| malformed("fee", e, &raw))?;
        let amounts = Some(LineAmounts {
            gross,
            fee: fee.0,
            fee_tax: fee.1,
            net,
        });
        let captured = charge.captured_at.unwrap_or(charge.created);
        if !charge.captured.is_positive() || charge.status == ChargeStatus::Voided {
            return Ok(ChargeSettlement {
                amounts,
                payout: PayoutPlace::Unknown,
            });
        }
        let day = |t: DateTime<Utc>| t.date_naive().format("%Y-%m-%d").to_string();
        let request = Request::get("payouts")
            .query("creation[gte]", day(captured - Duration::days(1)))
            .query(
                "creation[lte]",
                day(captured + Duration::days(SETTLEMENT_DAYS)),
            );
        let candidates = self
            .page(request, &PageRequest::first(SETTLEMENT_PAYOUTS), payout)
            .await?;
        for p in candidates.items.iter().rev() {
            if p.amount.currency == charge.currency() && self.pays_charge(&p.id, &charge.id).await?
            {
                return Ok(ChargeSettlement {
                    amounts,
                    payout: PayoutPlace::PaidOut {
                        payout_id: p.id.clone(),
                    },
                });
            }
        }
        Ok(ChargeSettlement {
            amounts,
            payout: PayoutPlace::NotYet { expected_by: None },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    fn amounts(l: &BalanceLine) -> [String; 4] {
        let a = l.amounts;
        [a.gross, a.fee, a.fee_tax, a.net].map(|m| m.plain())
    }

    #[test]
    fn each_list_reads_its_lines_so_the_net_check_holds() {
        let charge = raw(
            r#"{"id":"trabc","amount":123.45,"transaction_type":"charge","currency":"MXN",
            "creation_date":"2026-11-01T10:00:00-06:00","fee":{"amount":6.08,"tax":0.97,"currency":"MXN"}}"#,
        );
        let l = line(&charge, Detail::In).unwrap();
        assert_eq!(l.kind, LineKind::Charge);
        assert_eq!(l.charge_id.as_deref(), Some("trabc"));
        assert_eq!(amounts(&l), ["123.45", "6.08", "0.97", "116.40"]);
        let refund = raw(r#"{"id":"trdef","amount":20.00,"transaction_type":"refund",
            "creation_date":"2026-11-01T10:00:00-06:00","fee":{"amount":0.00,"tax":0.00}}"#);
        let l = line(&refund, Detail::Out).unwrap();
        assert_eq!((l.kind, l.charge_id.clone()), (LineKind::Refund, None));
        assert_eq!(amounts(&l), ["-20.00", "0.00", "0.00", "-20.00"]);
        let chargeback_fee = raw(r#"{"id":"trghi","amount":174.00,"transaction_type":"fee",
            "creation_date":"2026-11-01T10:00:00-06:00","fee":{"amount":150.00,"tax":24.00}}"#);
        let l = line(&chargeback_fee, Detail::Charged).unwrap();
        assert_eq!(l.kind, LineKind::Fee);
        assert_eq!(amounts(&l), ["0.00", "150.00", "24.00", "-174.00"]);
        for l in [&charge, &refund, &chargeback_fee] {
            for d in [Detail::In, Detail::Out, Detail::Charged, Detail::Refunded] {
                assert!(line(l, d).unwrap().amounts.checks());
            }
        }
    }

    #[test]
    fn a_masked_clabe_gives_its_last_four_only() {
        assert_eq!(last4("012XXXXXXXXXX24616"), "4616");
        assert_eq!(last4("12"), "12");
        assert_eq!(last4(""), "");
    }

    #[test]
    fn a_line_cursor_names_a_list_and_an_offset() {
        let at = |o| PageRequest::at(Cursor::Offset(o), 10);
        assert_eq!(line_position(&PageRequest::first(10)), (0, 0));
        assert_eq!(line_position(&at(30)), (0, 30));
        assert_eq!(line_position(&at(2 * LIST_STRIDE + 5)), (2, 5));
        assert!(line_position(&at(u64::MAX)).0 >= DETAILS.len());
    }
}
