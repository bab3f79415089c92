//! Refunds as synced: an upsert by id, and a charge's refunds read back oldest first.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::charge_row::{millis, minor};
use super::columns::{RowOf, holds};
use super::{Result, Store, UpsertCount};
use crate::domain::{RawJson, Refund, RefundStatus};
use crate::money::Money;

const REFUND_COLUMNS: &str =
    "id, charge_id, created, currency, amount, status, reason, error_message";

impl Store {
    /// Inserts new refunds and overwrites known ones (by id), in one transaction.
    pub fn upsert_refunds(
        &mut self,
        refunds: &[Refund],
        now: DateTime<Utc>,
    ) -> Result<UpsertCount> {
        let tx = self.conn_mut().transaction()?;
        let count = upsert_refunds_in(&tx, refunds, now)?;
        tx.commit()?;
        Ok(count)
    }

    pub fn refund(&self, id: &str) -> Result<Option<Refund>> {
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refund WHERE id = ?1");
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query([id])?;
        rows.next()?.map(refund_from_row).transpose()
    }

    /// A charge's refunds, oldest first.
    pub fn refunds_of(&self, charge_id: &str) -> Result<Vec<Refund>> {
        let sql = format!(
            "SELECT {REFUND_COLUMNS} FROM refund WHERE charge_id = ?1 ORDER BY created, id"
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query([charge_id])?;
        let mut refunds = Vec::new();
        while let Some(row) = rows.next()? {
            refunds.push(refund_from_row(row)?);
        }
        Ok(refunds)
    }
}

/// The upsert, inside a transaction the caller owns (a sync page and its cursor).
pub(crate) fn upsert_refunds_in(
    conn: &Connection,
    refunds: &[Refund],
    now: DateTime<Utc>,
) -> Result<UpsertCount> {
    let mut count = UpsertCount::default();
    for r in refunds {
        count.add(holds(conn, "refund", &r.id)?);
        conn.prepare_cached(
            "INSERT INTO refund (id, charge_id, created, currency, amount, status, reason, \
             error_message, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT(id) DO UPDATE SET charge_id = excluded.charge_id, \
             created = excluded.created, currency = excluded.currency, amount = excluded.amount, \
             status = excluded.status, reason = excluded.reason, \
             error_message = excluded.error_message, synced_at = excluded.synced_at",
        )?
        .execute(params![
            r.id,
            r.charge_id,
            millis(r.created),
            r.amount.currency.code(),
            minor(r.amount, "amount", &r.id)?,
            r.status.label(),
            r.reason,
            r.error_message,
            millis(now),
        ])?;
    }
    Ok(count)
}

fn refund_from_row(row: &Row<'_>) -> Result<Refund> {
    let id: String = row.get(0)?;
    let of = RowOf {
        table: "refund",
        id: &id,
    };
    let currency = of.currency(&row.get::<_, String>(3)?)?;
    let status_word: String = row.get(5)?;
    let status = [
        RefundStatus::Pending,
        RefundStatus::Succeeded,
        RefundStatus::Failed,
    ]
    .into_iter()
    .find(|s| s.label() == status_word)
    .ok_or_else(|| of.bad(format!("status {status_word:?}")))?;
    Ok(Refund {
        charge_id: row.get(1)?,
        created: of.time(row.get(2)?)?,
        amount: Money::from_minor(row.get(4)?, currency),
        status,
        reason: row.get(6)?,
        error_message: row.get(7)?,
        raw: RawJson::default(),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::t0;
    use crate::money::Currency;

    fn refund(id: &str, charge_id: &str, minor: i64, currency: Currency) -> Refund {
        Refund {
            id: id.into(),
            charge_id: charge_id.into(),
            amount: Money::from_minor(minor, currency),
            status: RefundStatus::Pending,
            created: t0(),
            reason: Some("requested_by_customer".into()),
            error_message: None,
            raw: RawJson::default(),
        }
    }

    #[test]
    fn refunds_read_back_exactly_and_an_update_replaces_the_row() {
        let mut store = Store::open_in_memory().unwrap();
        // A three-decimal currency and a zero-decimal one: minor units both ways.
        let first = refund("re_1", "ch_1", 12_345, Currency::KWD);
        let mut second = refund("re_2", "ch_1", 999_999_999_999, Currency::JPY);
        second.created = t0() + chrono::TimeDelta::milliseconds(1);
        let elsewhere = refund("re_3", "ch_2", 1, Currency::AUD);
        let count = store
            .upsert_refunds(&[first.clone(), second.clone(), elsewhere], t0())
            .unwrap();
        assert_eq!(count.inserted, 3);
        assert_eq!(store.refund("re_1").unwrap(), Some(first.clone()));
        assert_eq!(
            store.refunds_of("ch_1").unwrap(),
            vec![first.clone(), second.clone()]
        );

        let mut failed = first;
        failed.status = RefundStatus::Failed;
        failed.error_message = Some("insufficient funds".into());
        let count = store.upsert_refunds(&[failed.clone()], t0()).unwrap();
        assert_eq!((count.inserted, count.updated), (0, 1));
        assert_eq!(store.refunds_of("ch_1").unwrap(), vec![failed, second]);
        assert_eq!(store.refund("re_9").unwrap(), None);
    }
}
