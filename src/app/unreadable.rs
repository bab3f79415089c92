//! Records the gateway sent that could not be read. Each is reported once, in a toast
//! and the log, however often its page is fetched again, and the header counts them:
//! the lists on screen are partial while there are any.

use std::collections::BTreeMap;

use crate::domain::Skipped;

/// Unreadable records remembered at most; past this, more are neither remembered nor
/// reported again (the log already has a line for each).
const MAX_REMEMBERED: usize = 500;
/// Records named in one toast; the log has them all.
const NAMED: usize = 3;
/// How much of a reason a toast shows.
const WHY_WIDTH: usize = 60;

#[derive(Debug, Clone, Default)]
pub struct Unreadable {
    /// (list, record) → why.
    seen: BTreeMap<(&'static str, String), String>,
}

impl Unreadable {
    /// Remembers `skipped` records of `list`, returning those not reported before.
    pub fn add<'a>(&mut self, list: &'static str, skipped: &'a [Skipped]) -> Vec<&'a Skipped> {
        let mut new = Vec::new();
        for record in skipped {
            if self.seen.len() >= MAX_REMEMBERED {
                break;
            }
            let key = (list, record.name().to_string());
            if self.seen.get(&key) != Some(&record.why) {
                self.seen.insert(key, record.why.clone());
                new.push(record);
            }
        }
        new
    }

    /// How many records could not be read, over every list.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// `Skipped 2 unreadable charges, showing the rest: ch_1 (currency: …); ch_2 (…)`.
pub fn toast_text(list: &str, new: &[&Skipped]) -> String {
    let named: Vec<String> = new
        .iter()
        .take(NAMED)
        .map(|s| format!("{} ({})", s.name(), clip(&s.why)))
        .collect();
    let more = match new.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!("; and {n} more (see the log)"),
    };
    format!(
        "Skipped {} unreadable {list}, showing the rest: {}{more}",
        new.len(),
        named.join("; ")
    )
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(WHY_WIDTH) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::skipped;

    #[test]
    fn each_record_is_reported_once() {
        let mut u = Unreadable::default();
        let page = vec![skipped("ch_1", "currency: ZZZ"), skipped("ch_2", "amount")];
        assert_eq!(u.add("charges", &page).len(), 2);
        assert!(u.add("charges", &page).is_empty(), "the same page again");
        assert_eq!(u.add("refunds", &page[..1]).len(), 1, "another list");
        assert_eq!(u.len(), 3);
    }

    #[test]
    fn the_toast_names_a_few_and_points_to_the_log() {
        let page: Vec<Skipped> = (1..=5)
            .map(|i| skipped(&format!("ch_{i}"), "currency: ZZZ"))
            .collect();
        let refs: Vec<&Skipped> = page.iter().collect();
        assert_eq!(
            toast_text("charges", &refs),
            "Skipped 5 unreadable charges, showing the rest: ch_1 (currency: ZZZ); \
             ch_2 (currency: ZZZ); ch_3 (currency: ZZZ); and 2 more (see the log)"
        );
    }
}
