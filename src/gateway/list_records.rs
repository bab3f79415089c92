//! The records of a list, decoded one by one: a record paydeck cannot read is set
//! aside with its id and the reason, and the rest of the page is kept. One bad record
//! must not hide the whole list.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::GatewayError;
use crate::domain::{Cursor, Page, Skipped};

/// The longest id and reason kept for a skipped record; a gateway's text is not ours
/// to show at any length.
const MAX_ID: usize = 64;
const MAX_WHY: usize = 160;
/// The most unreadable records one error names.
const MAX_NAMED: usize = 5;

/// One page of a list as the gateway sent it: its records not yet decoded, and where
/// the list goes on.
pub struct RawPage {
    pub records: Vec<Box<RawValue>>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

impl RawPage {
    /// The page in the domain model, records that cannot be read set aside.
    pub fn decode<T>(self, convert: impl Fn(&RawValue) -> Result<T, GatewayError>) -> Page<T> {
        let (items, skipped) = decode_each(&self.records, convert);
        Page {
            items,
            next: self.next,
            total: self.total,
            skipped,
        }
    }
}

/// Each record through `convert`: those that decode, and those that did not.
pub fn decode_each<T>(
    records: &[Box<RawValue>],
    convert: impl Fn(&RawValue) -> Result<T, GatewayError>,
) -> (Vec<T>, Vec<Skipped>) {
    let mut items = Vec::with_capacity(records.len());
    let mut skipped = Vec::new();
    for record in records {
        match convert(record) {
            Ok(item) => items.push(item),
            Err(e) => {
                let skip = Skipped {
                    id: record_id(record),
                    why: why(&e),
                };
                // Every fetch of the page says it again; the dashboard logs each record
                // once, at warn.
                tracing::debug!(id = skip.name(), why = %skip.why, "a record of a list could not be read; the rest of the page is kept");
                skipped.push(skip);
            }
        }
    }
    (items, skipped)
}

/// The page, or an error naming its unreadable records: for callers that decide from
/// everything a list holds (whether a write already happened), where a record left
/// out could be the one that answers.
pub fn whole<T>(page: Page<T>) -> Result<Page<T>, GatewayError> {
    let Some(first) = page.skipped.first() else {
        return Ok(page);
    };
    // A few names are enough to look for; a page of hundreds must not make an
    // error message as long as itself.
    let names: Vec<&str> = page
        .skipped
        .iter()
        .take(MAX_NAMED)
        .map(Skipped::name)
        .collect();
    let more = match page.skipped.len().saturating_sub(MAX_NAMED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Err(GatewayError::Malformed {
        status: 200,
        detail: format!(
            "could not read {}{more} of the list ({}): {}",
            names.join(", "),
            page.skipped.len(),
            first.why
        ),
        body: String::new(),
    })
}

/// The record's `id` (Stripe, Openpay, the transactions gateway) or `token` (Pin), if
/// it is a string.
fn record_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Ids {
        id: Option<serde_json::Value>,
        token: Option<serde_json::Value>,
    }
    let ids: Ids = serde_json::from_str(raw.get()).ok()?;
    let id = [ids.id, ids.token]
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().map(String::from))?;
    Some(printable(&id, MAX_ID))
}

/// What was wrong with the record, in a line.
fn why(error: &GatewayError) -> String {
    let text = match error {
        GatewayError::Malformed { detail, .. } => detail.clone(),
        other => other.to_string(),
    };
    printable(&text, MAX_WHY)
}

/// At most `max` characters, control characters (a terminal's escapes) replaced.
fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_string()).unwrap()
    }

    fn number(raw: &RawValue) -> Result<u32, GatewayError> {
        #[derive(Deserialize)]
        struct N {
            n: u32,
        }
        serde_json::from_str::<N>(raw.get())
            .map(|v| v.n)
            .map_err(|e| GatewayError::Malformed {
                status: 200,
                detail: format!("record: {e}"),
                body: String::new(),
            })
    }

    #[test]
    fn good_records_are_kept_and_bad_ones_named() {
        let records = vec![
            raw(r#"{"id":"a","n":1}"#),
            raw(r#"{"id":"b","n":"two"}"#),
            raw(r#"{"token":"c","n":3}"#),
            raw(r#"{"n":-4}"#),
            raw(r#""\u001b[31m""#),
        ];
        let (items, skipped) = decode_each(&records, number);
        assert_eq!(items, vec![1, 3]);
        let names: Vec<&str> = skipped.iter().map(Skipped::name).collect();
        assert_eq!(
            names,
            vec!["b", "a record without an id", "a record without an id"]
        );
        assert!(skipped[0].why.contains("invalid type"), "{:?}", skipped[0]);
        assert!(skipped.iter().all(|s| !s.why.contains('\u{1b}')));
    }

    #[test]
    fn ids_and_reasons_are_bounded_and_printable() {
        let long = format!(r#"{{"id":"ch_{}\u001b[2J","n":"x"}}"#, "9".repeat(500));
        let (_, skipped) = decode_each(&[raw(&long)], number);
        let id = skipped[0].id.as_deref().unwrap();
        assert!(id.chars().count() <= MAX_ID + 1 && !id.contains('\u{1b}'));
    }

    #[test]
    fn a_terminal_escape_in_a_reason_is_not_passed_on() {
        assert_eq!(printable("red \u{1b}[31m", 80), "red ?[31m");
    }

    #[test]
    fn a_page_of_hundreds_of_bad_records_makes_a_short_error() {
        let records: Vec<Box<RawValue>> = (0..335)
            .map(|i| raw(&format!(r#"{{"id":"ch_{i:020}","n":"x"}}"#)))
            .collect();
        let (items, skipped) = decode_each(&records, number);
        let page = Page {
            items,
            next: None,
            total: None,
            skipped,
        };
        let err = whole(page).unwrap_err().to_string();
        assert!(err.len() < 1_000, "{} bytes: {err:.120}", err.len());
        assert!(err.contains("and 330 more"), "{err}");
    }

    #[test]
    fn a_partial_page_is_an_error_where_the_whole_list_decides() {
        let page = Page {
            items: vec![1],
            next: None,
            total: None,
            skipped: vec![Skipped {
                id: Some("ch_bad".into()),
                why: "currency: ZZZ".into(),
            }],
        };
        let err = whole(page).unwrap_err();
        assert!(err.to_string().contains("ch_bad"), "{err}");
    }
}
