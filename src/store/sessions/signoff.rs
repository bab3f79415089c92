//! The sign-off rule: refused while any currency's difference is not zero or
//! exceptions are open, unless each remaining exception is flagged with a note (which
//! then explains the difference). The storage side (frozen totals, no marks on a
//! signed-off session) is in `apply`.

/// One exception still in the queue at sign-off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remaining {
    /// What the queue calls it, for the refusal.
    pub label: String,
    pub flagged: bool,
    pub has_note: bool,
}

/// Why sign-off is refused, if it is. `differences` are (currency, minor units).
pub fn refusal(differences: &[(String, i64)], remaining: &[Remaining]) -> Option<String> {
    let unexplained: Vec<&str> = remaining
        .iter()
        .filter(|r| !(r.flagged && r.has_note))
        .map(|r| r.label.as_str())
        .collect();
    if !unexplained.is_empty() {
        return Some(format!(
            "cannot sign off: {} exception(s) open ({}); resolve each, or flag it with a note",
            unexplained.len(),
            unexplained.join(", ")
        ));
    }
    let off: Vec<String> = differences
        .iter()
        .filter(|(_, d)| *d != 0)
        .map(|(c, d)| format!("{c} {d}"))
        .collect();
    if !off.is_empty() && remaining.is_empty() {
        return Some(format!(
            "cannot sign off: the difference is not zero ({} in minor units) and no flagged exception explains it",
            off.join(", ")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exception(flagged: bool, has_note: bool) -> Remaining {
        Remaining {
            label: "deposit 2026-11-02 120.00".into(),
            flagged,
            has_note,
        }
    }

    #[test]
    fn a_zero_difference_with_nothing_open_signs_off() {
        assert_eq!(refusal(&[("AUD".into(), 0)], &[]), None);
    }

    #[test]
    fn a_difference_with_nothing_to_explain_it_is_refused() {
        let why = refusal(&[("AUD".into(), 0), ("USD".into(), -250)], &[]).unwrap();
        assert!(why.contains("USD -250"), "{why}");
    }

    #[test]
    fn open_or_unnoted_exceptions_are_refused_and_flagged_noted_ones_pass() {
        for (flagged, noted) in [(false, false), (true, false), (false, true)] {
            let why = refusal(&[("AUD".into(), 0)], &[exception(flagged, noted)]).unwrap();
            assert!(why.contains("1 exception(s) open"), "{why}");
        }
        assert_eq!(
            refusal(&[("AUD".into(), 1200)], &[exception(true, true)]),
            None
        );
    }
}
