//! Where a REST gateway keeps a record: `{collection}/{id}`, and below it the record's
//! lists and actions (`customers/{id}/cards`, `charges/{id}/capture`) and their records
//! (`customers/{id}/cards/{card}`). Pin, Openpay and Stripe lay out their resources so.
//! Every id is made safe for a path here (`http::segment`), so that no adapter formats
//! one into a path itself.

use super::Result;
use super::http::segment;

/// `{collection}/{id}`: one record.
pub fn record(collection: &str, id: &str) -> Result<String> {
    Ok(format!("{collection}/{}", segment(id)?))
}

/// `{collection}/{id}/{part}`: a list below a record, or an action on it.
pub fn below(collection: &str, id: &str, part: &str) -> Result<String> {
    Ok(format!("{}/{part}", record(collection, id)?))
}

/// `{collection}/{id}/{part}/{part_id}`: one record of a list below a record.
pub fn record_below(collection: &str, id: &str, part: &str, part_id: &str) -> Result<String> {
    record(&below(collection, id, part)?, part_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_made_safe_and_nothing_else_is_touched() {
        assert_eq!(record("charges", "ch_1").unwrap(), "charges/ch_1");
        assert_eq!(
            below("customers", "a/b", "cards").unwrap(),
            "customers/a%2Fb/cards"
        );
        assert_eq!(
            record_below("customers", "cus 1", "cards", "card?x").unwrap(),
            "customers/cus%201/cards/card%3Fx"
        );
        assert!(record_below("customers", "cus_1", "cards", "..").is_err());
    }
}
