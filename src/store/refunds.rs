//! Refunds as synced (`Store::upsert`, `Store::get`), and a charge's refunds oldest first.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::charge_row::{millis, minor};
use super::columns::{RowOf, Stored, rows_of, value_of, word_of};
use super::{Result, Store};
use crate::domain::{RawJson, Refund, RefundStatus};
use crate::money::Money;

/// Stored words, fixed here whatever the labels shown become.
const REFUND_STATUSES: [(&str, RefundStatus); 3] = [
    ("pending", RefundStatus::Pending),
    ("succeeded", RefundStatus::Succeeded),
    ("failed", RefundStatus::Failed),
];

impl Stored for Refund {
    const TABLE: &'static str = "refund";
    const COLUMNS: &'static str =
        "id, charge_id, created, currency, amount, status, reason, error_message";

    fn id(&self) -> &str {
        &self.id
    }

    fn write(&self, conn: &Connection, synced_at: DateTime<Utc>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO refund (id, charge_id, created, currency, amount, status, reason, \
             error_message, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT(id) DO UPDATE SET charge_id = excluded.charge_id, \
             created = excluded.created, currency = excluded.currency, amount = excluded.amount, \
             status = excluded.status, reason = excluded.reason, \
             error_message = excluded.error_message, synced_at = excluded.synced_at",
        )?
        .execute(params![
            self.id,
            self.charge_id,
            millis(self.created),
            self.amount.currency.code(),
            minor(self.amount, "amount", &self.id)?,
            word_of(&REFUND_STATUSES, &self.status),
            self.reason,
            self.error_message,
            millis(synced_at),
        ])?;
        Ok(())
    }

    fn read(row: &Row<'_>) -> Result<Refund> {
        refund_from_row(row)
    }
}

impl Store {
    /// A charge's refunds, oldest first.
    pub fn refunds_of(&self, charge_id: &str) -> Result<Vec<Refund>> {
        let sql = format!(
            "SELECT {} FROM refund WHERE charge_id = ?1 ORDER BY created, id",
            Refund::COLUMNS
        );
        rows_of(self.conn(), &sql, [charge_id], Refund::read)
    }
}

fn refund_from_row(row: &Row<'_>) -> Result<Refund> {
    let of = RowOf::at(row, "refund")?;
    let currency = of.currency(&row.get::<_, String>(3)?)?;
    let status_word: String = row.get(5)?;
    let status = *value_of(&REFUND_STATUSES, &status_word)
        .ok_or_else(|| of.bad(format!("status {status_word:?}")))?;
    Ok(Refund {
        charge_id: row.get(1)?,
        created: of.time(row.get(2)?)?,
        amount: Money::from_minor(row.get(4)?, currency),
        status,
        reason: row.get(6)?,
        error_message: row.get(7)?,
        raw: RawJson::default(),
        id: of.id,
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
            .upsert(&[first.clone(), second.clone(), elsewhere], t0())
            .unwrap();
        assert_eq!(count.inserted, 3);
        assert_eq!(store.get::<Refund>("re_1").unwrap(), Some(first.clone()));
        assert_eq!(
            store.refunds_of("ch_1").unwrap(),
            vec![first.clone(), second.clone()]
        );

        let mut failed = first;
        failed.status = RefundStatus::Failed;
        failed.error_message = Some("insufficient funds".into());
        let count = store.upsert(&[failed.clone()], t0()).unwrap();
        assert_eq!((count.inserted, count.updated), (0, 1));
        assert_eq!(store.refunds_of("ch_1").unwrap(), vec![failed, second]);
        assert_eq!(store.get::<Refund>("re_9").unwrap(), None);
    }

    #[test]
    fn objects_page_newest_first_by_creation_then_id() {
        let mut store = Store::open_in_memory().unwrap();
        let at = |id: &str, ms: i64| Refund {
            created: t0() + chrono::TimeDelta::milliseconds(ms),
            ..refund(id, "ch_1", 100, Currency::AUD)
        };
        // re_b and re_c were made in the same millisecond: the id orders them.
        let refunds = [at("re_a", 1), at("re_b", 2), at("re_c", 2), at("re_d", 3)];
        store.upsert(&refunds, t0()).unwrap();
        let ids = |page: Vec<Refund>| page.into_iter().map(|r| r.id).collect::<Vec<_>>();
        let first = store.newest_objects::<Refund>(None, 2).unwrap();
        let last = first.last().unwrap().clone();
        assert_eq!(ids(first), ["re_d", "re_c"]);
        let next = store
            .newest_objects::<Refund>(Some((last.created, &last.id)), 5)
            .unwrap();
        assert_eq!(ids(next), ["re_b", "re_a"]);
    }
}
