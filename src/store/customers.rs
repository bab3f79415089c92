//! Customers as synced (`Store::upsert`, `Store::get`), with their primary card masked
//! as the gateway gives it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::Result;
use super::charge_row::{brand_code, brand_from_code, millis};
use super::columns::{RowOf, Stored};
use crate::domain::{Card, Customer, RawJson};

impl Stored for Customer {
    const TABLE: &'static str = "customer";
    const COLUMNS: &'static str = "id, created, email, first_name, last_name, phone, company, \
         notes, card_id, card_brand, card_last4, card_exp_month, card_exp_year, card_name, \
         card_primary, card_customer_id";

    fn id(&self) -> &str {
        &self.id
    }

    fn write(&self, conn: &Connection, synced_at: DateTime<Utc>) -> Result<()> {
        let card = self.primary_card.as_ref();
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
                self.id,
                millis(self.created),
                self.email,
                self.first_name,
                self.last_name,
                self.phone,
                self.company,
                self.notes,
                card.map(|k| k.id.as_str()),
                card.map(|k| brand_code(k.brand)),
                card.map(|k| k.last4.as_str()),
                card.map(|k| i64::from(k.expiry_month)),
                card.map(|k| i64::from(k.expiry_year)),
                card.and_then(|k| k.name.as_deref()),
                card.map(|k| k.primary),
                card.and_then(|k| k.customer_id.as_deref()),
                millis(synced_at),
            ])?;
        Ok(())
    }

    fn read(row: &Row<'_>) -> Result<Customer> {
        customer_from_row(row)
    }
}

fn customer_from_row(row: &Row<'_>) -> Result<Customer> {
    let of = RowOf::at(row, "customer")?;
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
        id: of.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::t0;
    use crate::domain::CardBrand;
    use crate::store::Store;

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
            .upsert(&[plain.clone(), carded.clone()], t0())
            .unwrap();
        assert_eq!(store.get::<Customer>("cus_1").unwrap(), Some(plain.clone()));
        assert_eq!(store.get::<Customer>("cus_2").unwrap(), Some(carded));

        let mut renamed = plain;
        renamed.last_name = Some("Lovelace".into());
        renamed.notes = None;
        let count = store.upsert(&[renamed.clone()], t0()).unwrap();
        assert_eq!((count.inserted, count.updated), (0, 1));
        assert_eq!(store.get::<Customer>("cus_1").unwrap(), Some(renamed));
    }
}
