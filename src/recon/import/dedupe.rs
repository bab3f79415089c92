//! Nothing twice: each statement line gets an identity that is the same on
//! every import of the same line, so a second import of a file (or of an
//! overlapping period) adds only what is new.
//!
//! The identity is the bank's own id where the format has one (OFX `FITID`,
//! camt.053 `AcctSvcrRef`), scoped to the account the file names. Otherwise it
//! is a SHA-256 of the date, the amount, the currency and the text (case and
//! spacing folded), plus the line's occurrence among identical lines in the
//! same file: two coffees of the same price on one day are two lines, and the
//! same file imported again gives the same two identities.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::recon::statement::{Statement, StatementLine};

/// A statement line's identity: `bank:ACCOUNT:ID` or `sha256:HEX`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineIdentity(String);

impl LineIdentity {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An identity as stored earlier.
    pub fn from_stored(text: String) -> LineIdentity {
        LineIdentity(text)
    }
}

impl fmt::Display for LineIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower case, one space between words, no space at either end.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What makes two lines without a bank id the same line.
fn content_key(line: &StatementLine) -> String {
    // The minor units would do, but the normalised decimal needs no currency
    // rules and reads the same for every exponent.
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        line.booked,
        line.amount.currency.code(),
        line.amount.amount.normalize(),
        normalised(&line.text),
        normalised(&line.reference),
    )
}

/// Every line's identity, in order. A bank id that repeats within the file
/// (a bank's mistake) gets its occurrence added, so no line is lost.
pub fn identities(statement: &Statement) -> Vec<LineIdentity> {
    let account = statement.account.as_deref().unwrap_or("");
    let mut seen: HashMap<String, u32> = HashMap::new();
    statement
        .lines
        .iter()
        .map(|line| {
            let key = match &line.bank_id {
                Some(id) => format!("bank:{account}:{id}"),
                None => content_key(line),
            };
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            match (&line.bank_id, *n) {
                (Some(_), 1) => LineIdentity(key),
                (Some(_), n) => LineIdentity(format!("{key}#{n}")),
                (None, n) => {
                    let digest = Sha256::digest(format!("{key}\u{1f}{n}").as_bytes());
                    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
                    LineIdentity(format!("sha256:{hex}"))
                }
            }
        })
        .collect()
}

/// Which lines of an import are new.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sorted {
    /// The new lines' indexes in the statement, with their identities.
    pub new: Vec<(usize, LineIdentity)>,
    /// How many lines were imported before.
    pub already: usize,
}

/// Sorts `statement`'s lines into new ones and ones whose identity is in `held`.
pub fn sort_new(statement: &Statement, held: &HashSet<LineIdentity>) -> Sorted {
    let mut sorted = Sorted {
        new: Vec::new(),
        already: 0,
    };
    for (i, id) in identities(statement).into_iter().enumerate() {
        if held.contains(&id) {
            sorted.already += 1;
        } else {
            sorted.new.push((i, id));
        }
    }
    sorted
}

impl fmt::Display for Sorted {
    /// `12 new lines, 40 already imported`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.new.len();
        let lines = if n == 1 { "line" } else { "lines" };
        write!(f, "{n} new {lines}, {} already imported", self.already)
    }
}
