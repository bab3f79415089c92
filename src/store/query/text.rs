//! Free text: the trigram index answers needles of three characters or more; shorter
//! ones have no trigram, so they are tested row by row over a bounded stretch of the
//! newest charges, and the answer says how far it looked.

use super::StoreKey;

/// How many charges a short needle is tested against, from where the page starts:
/// enough to matter, few enough to stay inside a first page's time at 10M charges.
pub const SHORT_TEXT_BUDGET: usize = 50_000;

/// How far a short needle's row-by-row search got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortTextScan {
    /// Charges tested.
    pub looked_at: u64,
    /// The last charge tested; the next page of the search starts past it.
    pub reached: Option<StoreKey>,
    /// Whether it ran out of charges before the budget (so nothing was left unsearched
    /// in that direction).
    pub complete: bool,
}

/// The filter's free text as searched: trimmed, as `ChargeFilter::matches` does.
pub(super) fn needle(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Whether the trigram index can answer `needle` (it has at least one trigram).
pub(super) fn indexable(needle: &str) -> bool {
    needle.chars().count() >= 3
}

/// `needle` as an FTS5 string: in double quotes, each quote doubled, so whatever the
/// operator typed is one phrase and never query syntax.
pub(super) fn fts_phrase(needle: &str) -> String {
    format!("\"{}\"", needle.replace('"', "\"\""))
}

/// The metadata half of the substring test. Values are stored joined by newlines, so
/// a needle with a newline in it is tested against each value on its own instead.
pub(super) fn meta_predicate(needle: &str, bound: &str) -> String {
    if needle.contains('\n') {
        format!(
            "EXISTS (SELECT 1 FROM json_each(c.metadata) \
             WHERE instr(lower(json_each.value), {bound}) > 0)"
        )
    } else {
        format!("instr(lower(c.meta_values), {bound}) > 0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_is_one_fts_string_whatever_it_holds() {
        assert_eq!(fts_phrase("gmail"), "\"gmail\"");
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
        assert!(indexable("abc") && !indexable("ab") && !indexable("é1"));
        assert_eq!(needle("  x  "), Some("x"));
        assert_eq!(needle("   "), None);
    }
}
