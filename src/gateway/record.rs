//! One JSON record of a gateway, decoded: what every adapter's `wire` module shares.
//! A record that cannot be read becomes `Malformed`, naming what was being read and
//! keeping the record (clipped) for the log.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::error::{GatewayError, clipped};
use super::http::body_for_log;
use crate::money::Currency;

/// `what` could not be read from `raw` because of `e`.
pub fn malformed(what: &str, e: impl std::fmt::Display, raw: &RawValue) -> GatewayError {
    GatewayError::Malformed {
        status: 200,
        detail: clipped(format_args!("{what}: {e}")),
        body: body_for_log(raw.get().as_bytes()),
    }
}

/// One object of `T` from its JSON text.
pub fn decode<'a, T: Deserialize<'a>>(what: &str, raw: &'a RawValue) -> Result<T, GatewayError> {
    serde_json::from_str(raw.get()).map_err(|e| malformed(what, e, raw))
}

/// An ISO 4217 code of the record; one paydeck does not know makes it malformed.
pub fn currency(code: &str, raw: &RawValue) -> Result<Currency, GatewayError> {
    Currency::from_code(code).map_err(|e| malformed("currency", e, raw))
}

/// Metadata values are strings; anything else is kept as its JSON text.
pub fn string_metadata(map: Option<BTreeMap<String, Value>>) -> BTreeMap<String, String> {
    map.unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_that_cannot_be_read_is_malformed_and_kept_for_the_log() {
        let raw = RawValue::from_string(r#"{"currency":"ZZZ"}"#.into()).unwrap();
        match currency("ZZZ", &raw) {
            Err(GatewayError::Malformed { detail, body, .. }) => {
                assert!(detail.starts_with("currency: "), "{detail}");
                assert_eq!(body, raw.get());
            }
            other => panic!("{other:?}"),
        }
        assert!(decode::<BTreeMap<String, u32>>("map", &raw).is_err());
    }

    #[test]
    fn metadata_values_become_text() {
        let map = serde_json::from_str(r#"{"a":"x","b":2,"c":null}"#).unwrap();
        let text = string_metadata(Some(map));
        assert_eq!(text["a"], "x");
        assert_eq!(text["b"], "2");
        assert_eq!(text["c"], "null");
        assert!(string_metadata(None).is_empty());
    }
}
