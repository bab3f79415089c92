//! Customers as synced, with their primary card masked as the gateway gives it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::charge_row::{brand_code, brand_from_code, millis};
use super::columns::{RowOf, holds};
use super::{Result, Store, UpsertCount};
use crate::domain::{Card, Customer, RawJson};

const CUSTOMER_COLUMNS: &str = "id, created, email, first_name, last_name, phone, company, notes, \
     card_id, card_brand, card_last4, card_exp_month, card_exp_year, card_name, card_primary, \
     card_customer_id";

impl Store {
    /// Inserts new customers and overwrites known ones (by id), in one transaction.
    pub fn upsert_customers(
        &mut self,
        customers: &[Customer],
        now: DateTime<Utc>,
    ) -> Result<UpsertCount> {
        let tx = self.conn_mut().transaction()?;
        let count = upsert_customers_in(&tx, customers, now)?;
        tx.commit()?;
        Ok(count)
    }

    pub fn customer(&self, id: &str) -> Result<Option<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customer WHERE id = ?1");
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query([id])?;
        rows.next()?.map(customer_from_row).transpose()
    }
}

/// The upsert, inside a transaction the caller owns (a sync page and its cursor).
pub(crate) fn upsert_customers_in(
    conn: &Connection,
    customers: &[Customer],
    now: DateTime<Utc>,
) -> Result<UpsertCount> {
    let mut count = UpsertCount::default();
    for c in customers {
        count.add(holds(conn, "customer", &c.id)?);
        let card = c.primary_card.as_ref();
        conn.prepare_cached(
            "INSERT INTO customer (id, created, email, first_name, last_name, phone, company, \
             notes, card_id, card_brand, card_last4, card_exp_month, card_exp_year, card_name, \
             card_primary, card_customer_id, synced_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) \
             ON CONFLICT(id) DO UPDATE SET created = excluded.created, email = excluded.email, \
             first_name = excluded.first_name, last_name = excluded.last_name, \
             phone = excluded.phone, company = excluded.company, notes = excluded.notes, \
             card_id = excluded.card_id, card_brand = excluded.card_brand, \
             card_last4 = excluded.card_last4, card_exp_month = excluded.card_exp_month, \
             card_exp_year = excluded.card_exp_year, card_name = excluded.card_name, \
             card_primary = excluded.card_primary, card_customer_id = excluded.card_customer_id, \
             synced_at = excluded.synced_at",
        )?
        .execute(params![
            c.id,
            millis(c.created),
            c.email,
            c.first_name,
            c.last_name,
            c.phone,
            c.company,
            c.notes,
            card.map(|k| k.id.as_str()),
            card.map(|k| brand_code(k.brand)),
            card.map(|k| k.last4.as_str()),
            card.map(|k| i64::from(k.expiry_month)),
            card.map(|k| i64::from(k.expiry_year)),
            card.and_then(|k| k.name.as_deref()),
            card.map(|k| k.primary),
            card.and_then(|k| k.customer_id.as_deref()),
            millis(now),
        ])?;
    }
    Ok(count)
}

fn customer_from_row(row: &Row<'_>) -> Result<Customer> {
    let id: String = row.get(0)?;
    let of = RowOf {
        table: "customer",
        id: &id,
    };
    let created: Option<i64> = row.get(1)?;
    let primary_card = match row.get::<_, Option<String>>(8)? {
        Some(card_id) => Some(Card {
            id: card_id,
            brand: brand_from_code(row.get::<_, Option<String>>(9)?.as_deref().unwrap_or("")),
            last4: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
            expiry_month: u8::try_from(row.get::<_, Option<i64>>(11)?.unwrap_or(0)).unwrap_or(0),
            expiry_year: u16::try_from(row.get::<_, Option<i64>>(12)?.unwrap_or(0)).unwrap_or(0),
            name: row.get(13)?,
            primary: row.get::<_, Option<bool>>(14)?.unwrap_or(false),
            customer_id: row.get(15)?,
            raw: RawJson::default(),
        }),
        None => None,
    };
    Ok(Customer {
        created: of.time(created.unwrap_or(0))?,
        email: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
        first_name: row.get(3)?,
        last_name: row.get(4)?,
        phone: row.get(5)?,
        company: row.get(6)?,
        notes: row.get(7)?,
        primary_card,
        raw: RawJson::default(),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::t0;
    use crate::domain::CardBrand;

    fn customer(id: &str) -> Customer {
        Customer {
            id: id.into(),
            email: "ada@example.com".into(),
            first_name: Some("Ada".into()),
            last_name: None,
            phone: Some("+61 400 000 000".into()),
            company: None,
            notes: Some("VIP".into()),
            created: t0(),
            primary_card: None,
            raw: RawJson::default(),
        }
    }

    #[test]
    fn customers_read_back_with_and_without_a_card_and_update_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let plain = customer("cus_1");
        let mut carded = customer("cus_2");
        carded.primary_card = Some(Card {
            id: "card_9".into(),
            brand: CardBrand::Amex,
            last4: "0005".into(),
            expiry_month: 3,
            expiry_year: 2031,
            name: Some("A Lovelace".into()),
            primary: true,
            customer_id: Some("cus_2".into()),
            raw: RawJson::default(),
        });
        store
            .upsert_customers(&[plain.clone(), carded.clone()], t0())
            .unwrap();
        assert_eq!(store.customer("cus_1").unwrap(), Some(plain.clone()));
        assert_eq!(store.customer("cus_2").unwrap(), Some(carded));

        let mut renamed = plain;
        renamed.last_name = Some("Lovelace".into());
        renamed.notes = None;
        let count = store.upsert_customers(&[renamed.clone()], t0()).unwrap();
        assert_eq!((count.inserted, count.updated), (0, 1));
        assert_eq!(store.customer("cus_1").unwrap(), Some(renamed));
    }
}
