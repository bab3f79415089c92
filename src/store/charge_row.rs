//! A charge as a row of the `charge` table and back. Money goes in as integer minor
//! units of the charge's currency; the raw JSON is not kept here (see `raw_cache`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::Row;

use super::status_code::status_from_code;
use super::{Result, StoreError};
use crate::domain::RawJson;
use crate::domain::{CardBrand, CardSummary, Charge, Failure};
use crate::money::{Currency, Money};

/// The columns `charge_from_row` reads, in order, for `SELECT {CHARGE_COLUMNS} FROM charge`.
pub const CHARGE_COLUMNS: &str = "k, id, created, currency, amount, captured, released, refunded, \
     status, refund_pending, captured_at, auth_expires, email, description, customer_id, ip, \
     card_brand, last4, exp_month, exp_year, metadata, failure_code, failure_message, tds_session";

/// The order key for a charge: its creation second in the high bits, 20 bits of the
/// id's hash below, so keys sort by time and ties within a second spread evenly.
pub fn order_key(created: DateTime<Utc>, id: &str) -> i64 {
    (created.timestamp() << 20) | (fnv1a(id) & 0xF_FFFF) as i64
}

/// FNV-1a: stable across Rust versions and platforms, unlike the std hasher, and the
/// keys are on disk.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

pub fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// Money as minor units, or why it cannot be stored exactly.
pub fn minor(money: Money, what: &str, id: &str) -> Result<i64> {
    money.to_minor().map_err(|e| StoreError::Unstorable {
        what: format!("{what} of {id}"),
        problem: e.to_string(),
    })
}

pub fn brand_code(brand: CardBrand) -> &'static str {
    match brand {
        CardBrand::Visa => "visa",
        CardBrand::Mastercard => "mastercard",
        CardBrand::Amex => "amex",
        CardBrand::Diners => "diners",
        CardBrand::Discover => "discover",
        CardBrand::Jcb => "jcb",
        CardBrand::Other => "other",
    }
}

pub fn brand_from_code(code: &str) -> CardBrand {
    match code {
        "visa" => CardBrand::Visa,
        "mastercard" => CardBrand::Mastercard,
        "amex" => CardBrand::Amex,
        "diners" => CardBrand::Diners,
        "discover" => CardBrand::Discover,
        "jcb" => CardBrand::Jcb,
        _ => CardBrand::Other,
    }
}

/// The metadata's values, one per line: what free text searches.
pub fn meta_values(metadata: &BTreeMap<String, String>) -> String {
    metadata
        .values()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a row selected with `CHARGE_COLUMNS`.
pub fn charge_from_row(row: &Row<'_>) -> Result<Charge> {
    let id: String = row.get(1)?;
    let bad = |problem: String| StoreError::BadRow {
        table: "charge",
        id: id.clone(),
        problem,
    };
    let time = |ms: i64| from_millis(ms).ok_or_else(|| bad(format!("time {ms} is out of range")));
    let currency_code: String = row.get(3)?;
    let currency = Currency::from_code(&currency_code).map_err(|e| bad(e.to_string()))?;
    let money = |index: usize| -> Result<Money> {
        Ok(Money::from_minor(row.get::<_, i64>(index)?, currency))
    };
    let status_number: i64 = row.get(8)?;
    let status =
        status_from_code(status_number).ok_or_else(|| bad(format!("status {status_number}")))?;
    let card = match row.get::<_, Option<String>>(17)? {
        Some(last4) => Some(CardSummary {
            brand: brand_from_code(row.get::<_, Option<String>>(16)?.as_deref().unwrap_or("")),
            last4,
            expiry_month: u8::try_from(row.get::<_, Option<i64>>(18)?.unwrap_or(0)).unwrap_or(0),
            expiry_year: u16::try_from(row.get::<_, Option<i64>>(19)?.unwrap_or(0)).unwrap_or(0),
        }),
        None => None,
    };
    let metadata_text: String = row.get(20)?;
    let metadata: BTreeMap<String, String> =
        serde_json::from_str(&metadata_text).map_err(|e| bad(format!("metadata: {e}")))?;
    let failure = match row.get::<_, Option<String>>(21)? {
        Some(code) => Some(Failure {
            code,
            message: row.get::<_, Option<String>>(22)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Charge {
        created: time(row.get(2)?)?,
        amount: money(4)?,
        captured: money(5)?,
        released: money(6)?,
        refunded: money(7)?,
        status,
        refund_pending: row.get(9)?,
        captured_at: row.get::<_, Option<i64>>(10)?.map(time).transpose()?,
        authorisation_expires: row.get::<_, Option<i64>>(11)?.map(time).transpose()?,
        email: row.get(12)?,
        description: row.get(13)?,
        customer_id: row.get(14)?,
        ip: row.get(15)?,
        card,
        metadata,
        failure,
        three_d_secure_session: row.get(23)?,
        raw: RawJson::default(),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_keys_sort_by_second_then_spread_by_id() {
        let t = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let later = DateTime::from_timestamp(1_700_000_001, 0).unwrap();
        assert!(order_key(t, "ch_zzzz") < order_key(later, "ch_0000"));
        assert_ne!(order_key(t, "ch_a"), order_key(t, "ch_b"));
        assert_eq!(order_key(t, "ch_a") >> 20, 1_700_000_000);
    }
}
