//! Payouts and the balance lines each was made of, as synced: what reconciliation reads
//! to match deposits against charges. A payout's lines are stored whole, replacing any
//! held, in the gateway's order.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, Row, params};

use super::charge_row::{millis, minor};
use super::columns::{RowOf, Stored, rows_of, value_of, word_of};
use super::{Result, Store, StoreError};
use crate::domain::{
    BalanceLine, BankAccountSummary, LineAmounts, LineKind, Payout, PayoutStatus, RawJson,
};
use crate::money::Money;

/// Payouts a period asks for past this many are cut off (the caller pages by `created`).
pub const PAYOUTS_MAX: usize = 10_000;

impl Store {
    /// Payouts created in `[from, until)`, oldest first, at most `limit` (capped at
    /// `PAYOUTS_MAX`).
    pub fn payouts_between(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Payout>> {
        let sql = format!(
            "SELECT {} FROM payout WHERE created >= ?1 AND created < ?2 \
             ORDER BY created, id LIMIT ?3",
            Payout::COLUMNS
        );
        let limit = limit.min(PAYOUTS_MAX) as i64;
        let period = params![millis(from), millis(until), limit];
        rows_of(self.conn(), &sql, period, Payout::read)
    }

    /// Replaces the lines held for `payout_id` with `lines`, in one transaction.
    pub fn put_balance_lines(
        &mut self,
        payout_id: &str,
        lines: &[BalanceLine],
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.in_transaction(|tx| put_balance_lines_in(tx, payout_id, lines, now))
    }

    /// Whether any lines are held for `payout_id` (without reading them).
    pub fn holds_lines(&self, payout_id: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM balance_line WHERE payout_id = ?1 LIMIT 1")?
            .exists([payout_id])?)
    }

    /// A payout's lines in the gateway's order.
    pub fn balance_lines(&self, payout_id: &str) -> Result<Vec<BalanceLine>> {
        rows_of(
            self.conn(),
            "SELECT id, kind, source_id, charge_id, created, currency, gross, fee, fee_tax, net \
             FROM balance_line WHERE payout_id = ?1 ORDER BY position",
            [payout_id],
            line_from_row,
        )
    }
}

impl Stored for Payout {
    const TABLE: &'static str = "payout";
    const COLUMNS: &'static str = "id, created, arrival, currency, amount, status, bank_ref, \
         line_count, statement_descriptor, bank_name, bank_last4, automatic";

    fn id(&self) -> &str {
        &self.id
    }

    fn write(&self, conn: &Connection, synced_at: DateTime<Utc>) -> Result<()> {
        let line_count = self
            .line_count
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        conn.prepare_cached(
            "INSERT INTO payout (id, created, arrival, currency, amount, status, bank_ref, \
             line_count, statement_descriptor, bank_name, bank_last4, automatic, synced_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
             ON CONFLICT(id) DO UPDATE SET created = excluded.created, \
             arrival = excluded.arrival, currency = excluded.currency, amount = excluded.amount, \
             status = excluded.status, bank_ref = excluded.bank_ref, \
             line_count = excluded.line_count, statement_descriptor = excluded.statement_descriptor, \
             bank_name = excluded.bank_name, bank_last4 = excluded.bank_last4, \
             automatic = excluded.automatic, synced_at = excluded.synced_at",
        )?
        .execute(params![
            self.id,
            millis(self.created),
            self.arrival.map(yyyymmdd),
            self.amount.currency.code(),
            minor(self.amount, "amount", &self.id)?,
            status_word(&self.status),
            self.bank_reference,
            line_count,
            self.statement_descriptor,
            self.bank_account.as_ref().and_then(|b| b.bank_name.as_deref()),
            self.bank_account.as_ref().map(|b| b.last4.as_str()),
            self.automatic,
            millis(synced_at),
        ])?;
        Ok(())
    }

    fn read(row: &Row<'_>) -> Result<Payout> {
        payout_from_row(row)
    }
}

/// The replacement of a payout's lines, inside a transaction the caller owns.
pub(crate) fn put_balance_lines_in(
    conn: &Connection,
    payout_id: &str,
    lines: &[BalanceLine],
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM balance_line WHERE payout_id = ?1")?
        .execute([payout_id])?;
    for (position, line) in lines.iter().enumerate() {
        let id = format!("{payout_id}/{position}");
        let a = &line.amounts;
        let currency = a.currency();
        if [a.fee, a.fee_tax, a.net]
            .iter()
            .any(|m| m.currency != currency)
        {
            return Err(StoreError::Unstorable {
                what: format!("balance line {id}"),
                problem: "its amounts are in more than one currency".into(),
            });
        }
        conn.prepare_cached(
            "INSERT INTO balance_line (id, payout_id, position, kind, source_id, charge_id, \
             created, currency, gross, fee, fee_tax, net, synced_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            id,
            payout_id,
            position as i64,
            word_of(&LINE_KINDS, &line.kind),
            line.source_id,
            line.charge_id,
            millis(line.occurred),
            currency.code(),
            minor(a.gross, "gross", &id)?,
            minor(a.fee, "fee", &id)?,
            minor(a.fee_tax, "fee_tax", &id)?,
            minor(a.net, "net", &id)?,
            millis(now),
        ])?;
    }
    Ok(())
}

fn yyyymmdd(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

fn from_yyyymmdd(n: i64) -> Option<NaiveDate> {
    let year = i32::try_from(n / 10_000).ok()?;
    NaiveDate::from_ymd_opt(
        year,
        u32::try_from(n / 100 % 100).ok()?,
        u32::try_from(n % 100).ok()?,
    )
}

/// Stored words, fixed here whatever the labels shown become.
const PAYOUT_STATUSES: [(&str, PayoutStatus); 5] = [
    ("pending", PayoutStatus::Pending),
    ("in_transit", PayoutStatus::InTransit),
    ("paid", PayoutStatus::Paid),
    ("failed", PayoutStatus::Failed),
    ("canceled", PayoutStatus::Canceled),
];

fn status_word(status: &PayoutStatus) -> &str {
    match status {
        PayoutStatus::Other(word) => word,
        known => word_of(&PAYOUT_STATUSES, known),
    }
}

fn status_from_word(word: String) -> PayoutStatus {
    match value_of(&PAYOUT_STATUSES, &word) {
        Some(status) => status.clone(),
        None => PayoutStatus::Other(word),
    }
}

const LINE_KINDS: [(&str, LineKind); 8] = [
    ("charge", LineKind::Charge),
    ("refund", LineKind::Refund),
    ("release", LineKind::Release),
    ("dispute", LineKind::Dispute),
    ("dispute_reversal", LineKind::DisputeReversal),
    ("fee", LineKind::Fee),
    ("adjustment", LineKind::Adjustment),
    ("payout", LineKind::Payout),
];

fn payout_from_row(row: &Row<'_>) -> Result<Payout> {
    let of = RowOf::at(row, "payout")?;
    let currency = of.currency(&row.get::<_, String>(3)?)?;
    let arrival = match row.get::<_, Option<i64>>(2)? {
        Some(n) => Some(from_yyyymmdd(n).ok_or_else(|| of.bad(format!("arrival {n}")))?),
        None => None,
    };
    let bank_account = row
        .get::<_, Option<String>>(10)?
        .map(|last4| -> rusqlite::Result<BankAccountSummary> {
            Ok(BankAccountSummary {
                bank_name: row.get(9)?,
                last4,
            })
        })
        .transpose()?;
    Ok(Payout {
        created: of.time(row.get(1)?)?,
        arrival,
        amount: Money::from_minor(row.get(4)?, currency),
        status: status_from_word(row.get(5)?),
        bank_reference: row.get(6)?,
        line_count: row
            .get::<_, Option<i64>>(7)?
            .map(|n| u64::try_from(n).unwrap_or(0)),
        statement_descriptor: row.get(8)?,
        bank_account,
        automatic: row.get(11)?,
        raw: RawJson::default(),
        id: of.id,
    })
}

fn line_from_row(row: &Row<'_>) -> Result<BalanceLine> {
    let of = RowOf::at(row, "balance_line")?;
    let word: String = row.get(1)?;
    let kind = *value_of(&LINE_KINDS, &word).ok_or_else(|| of.bad(format!("kind {word:?}")))?;
    let currency = of.currency(&row.get::<_, String>(5)?)?;
    let money =
        |i: usize| -> rusqlite::Result<Money> { Ok(Money::from_minor(row.get(i)?, currency)) };
    Ok(BalanceLine {
        kind,
        source_id: row.get(2)?,
        charge_id: row.get(3)?,
        occurred: of.time(row.get(4)?)?,
        amounts: LineAmounts {
            gross: money(6)?,
            fee: money(7)?,
            fee_tax: money(8)?,
            net: money(9)?,
        },
        raw: RawJson::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::t0;
    use crate::money::Currency;

    fn payout(id: &str, minor: i64, status: PayoutStatus) -> Payout {
        Payout {
            id: id.into(),
            status,
            amount: Money::from_minor(minor, Currency::AUD),
            created: t0(),
            arrival: NaiveDate::from_ymd_opt(2026, 12, 1),
            bank_reference: Some("PIN 1234".into()),
            statement_descriptor: None,
            bank_account: Some(BankAccountSummary {
                bank_name: Some("Westpac".into()),
                last4: "6789".into(),
            }),
            automatic: Some(true),
            line_count: Some(2),
            raw: RawJson::default(),
        }
    }

    fn line(kind: LineKind, gross: i64, fee: i64, fee_tax: i64) -> BalanceLine {
        let m = |n| Money::from_minor(n, Currency::KWD);
        BalanceLine {
            kind,
            source_id: Some("ch_1".into()),
            charge_id: Some("ch_1".into()),
            amounts: LineAmounts {
                gross: m(gross),
                fee: m(fee),
                fee_tax: m(fee_tax),
                net: m(gross - fee - fee_tax),
            },
            occurred: t0(),
            raw: RawJson::default(),
        }
    }

    #[test]
    fn payouts_read_back_exactly_by_id_and_by_period() {
        let mut store = Store::open_in_memory().unwrap();
        let paid = payout("po_1", 1_234_567, PayoutStatus::Paid);
        let mut debit = payout("po_2", -501, PayoutStatus::Other("on_hold".into()));
        debit.created = t0() + chrono::TimeDelta::days(1);
        debit.arrival = None;
        debit.bank_account = None;
        debit.automatic = None;
        debit.line_count = None;
        store.upsert(&[paid.clone(), debit.clone()], t0()).unwrap();
        assert_eq!(store.get::<Payout>("po_1").unwrap(), Some(paid.clone()));
        assert_eq!(store.get::<Payout>("po_2").unwrap(), Some(debit.clone()));
        let day = chrono::TimeDelta::days(1);
        assert_eq!(
            store.payouts_between(t0(), t0() + day * 2, 10).unwrap(),
            vec![paid.clone(), debit]
        );
        assert_eq!(
            store.payouts_between(t0(), t0() + day, 10).unwrap(),
            vec![paid.clone()]
        );
        assert_eq!(
            store
                .payouts_between(t0(), t0() + day * 2, 1)
                .unwrap()
                .len(),
            1
        );

        let mut in_transit = paid;
        in_transit.status = PayoutStatus::InTransit;
        let count = store.upsert(&[in_transit.clone()], t0()).unwrap();
        assert_eq!((count.inserted, count.updated), (0, 1));
        assert_eq!(store.get::<Payout>("po_1").unwrap(), Some(in_transit));
    }

    #[test]
    fn a_payouts_lines_read_back_in_order_and_a_second_put_replaces_them() {
        let mut store = Store::open_in_memory().unwrap();
        let lines = vec![
            line(LineKind::Charge, 10_005, 301, 30),
            line(LineKind::Refund, -2_000, 0, 0),
            line(LineKind::Fee, 0, 150, 15),
        ];
        store.put_balance_lines("po_1", &lines, t0()).unwrap();
        store
            .put_balance_lines("po_2", &[line(LineKind::Dispute, -99, 1500, 0)], t0())
            .unwrap();
        assert_eq!(store.balance_lines("po_1").unwrap(), lines);

        let fewer = vec![line(LineKind::DisputeReversal, 99, 0, 0)];
        store.put_balance_lines("po_1", &fewer, t0()).unwrap();
        assert_eq!(store.balance_lines("po_1").unwrap(), fewer);
        assert_eq!(store.balance_lines("po_2").unwrap().len(), 1);

        let mut mixed = line(LineKind::Charge, 100, 1, 0);
        mixed.amounts.fee = Money::from_minor(1, Currency::AUD);
        let refused = store
            .put_balance_lines("po_3", &[mixed], t0())
            .unwrap_err()
            .to_string();
        assert!(refused.contains("po_3/0"), "{refused}");
    }
}
