//! What happens in a reconciliation session, one event per operator or matcher
//! action. Events are stored as JSON and replayed to rebuild the derived tables, so
//! their shape only ever grows (new variants, new optional fields).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::money::MoneyError;
use crate::recon::StatementLine;
use crate::recon::import::LineIdentity;

/// What kind of thing an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A bank line; its ref is the line's identity, its profile empty.
    Deposit,
    Payout,
    PayoutLine,
    /// A captured charge not yet in a payout.
    Charge,
    /// An entry of the exceptions queue; its ref is `recon::session::exception_ref`'s
    /// (the kind and what it is about), its profile empty.
    Exception,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Deposit => "deposit",
            ItemKind::Payout => "payout",
            ItemKind::PayoutLine => "payout_line",
            ItemKind::Charge => "charge",
            ItemKind::Exception => "exception",
        }
    }

    pub fn parse(text: &str) -> Option<ItemKind> {
        [
            ItemKind::Deposit,
            ItemKind::Payout,
            ItemKind::PayoutLine,
            ItemKind::Charge,
            ItemKind::Exception,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// One item of a session: a bank line, or a payout, payout line or charge of a profile.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ItemRef {
    pub kind: ItemKind,
    /// The profile whose store holds it; empty for a deposit.
    pub profile: String,
    /// The gateway's id, or a bank line's identity.
    pub id: String,
}

impl ItemRef {
    pub fn deposit(identity: &LineIdentity) -> ItemRef {
        ItemRef {
            kind: ItemKind::Deposit,
            profile: String::new(),
            id: identity.as_str().to_string(),
        }
    }

    pub fn of(kind: ItemKind, profile: &str, id: &str) -> ItemRef {
        ItemRef {
            kind,
            profile: profile.to_string(),
            id: id.to_string(),
        }
    }
}

impl std::fmt::Display for ItemRef {
    /// `deposit bank:…`, `payout live-au/po_1`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ItemKind::Deposit => write!(f, "deposit {}", self.id),
            ItemKind::Exception => write!(f, "exception {}", self.id),
            kind => write!(f, "{} {}/{}", kind.as_str(), self.profile, self.id),
        }
    }
}

impl ItemRef {
    /// How a command line names it: `deposit:<identity>`, `exception:<ref>`,
    /// `payout:<profile>/<id>` (`charge:`, `payout_line:` likewise).
    pub fn token(&self) -> String {
        match self.kind {
            ItemKind::Deposit | ItemKind::Exception => {
                format!("{}:{}", self.kind.as_str(), self.id)
            }
            kind => format!("{}:{}/{}", kind.as_str(), self.profile, self.id),
        }
    }

    /// Reads [`ItemRef::token`]'s form back, or the `Display` form (a space after the
    /// kind). A profile's item splits at the first `/`, so a profile name has none.
    pub fn parse(text: &str) -> Result<ItemRef, String> {
        let wrong = |why: &str| {
            format!(
                "{text:?} {why}: write deposit:<identity>, payout:<profile>/<id>, \
                 charge:<profile>/<id> or exception:<ref>"
            )
        };
        let (kind, rest) = text
            .split_once([':', ' '])
            .ok_or_else(|| wrong("names no kind of item"))?;
        let kind = ItemKind::parse(kind).ok_or_else(|| wrong("is not a kind of item"))?;
        let (profile, id) = match kind {
            ItemKind::Deposit | ItemKind::Exception => ("", rest),
            _ => rest
                .split_once('/')
                .ok_or_else(|| wrong("names no profile"))?,
        };
        if id.is_empty()
            || (profile.is_empty() && !matches!(kind, ItemKind::Deposit | ItemKind::Exception))
        {
            return Err(wrong("is missing its id or profile"));
        }
        Ok(ItemRef::of(kind, profile, id))
    }
}

/// An item's reconciliation state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Matched,
    Proposed,
    Flagged,
    Ignored,
    Open,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Matched => "matched",
            ItemState::Proposed => "proposed",
            ItemState::Flagged => "flagged",
            ItemState::Ignored => "ignored",
            ItemState::Open => "open",
        }
    }

    pub fn parse(text: &str) -> Option<ItemState> {
        [
            ItemState::Matched,
            ItemState::Proposed,
            ItemState::Flagged,
            ItemState::Ignored,
            ItemState::Open,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// An imported statement line as the session keeps it: money in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRecord {
    pub identity: LineIdentity,
    pub booked: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
    pub text: String,
    pub reference: String,
    /// The further references the bank passed on, a batch's included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_refs: Vec<String>,
}

impl LineRecord {
    /// The line to keep for `line`, whose identity `dedupe::identities` gave.
    pub fn new(line: &StatementLine, identity: LineIdentity) -> Result<LineRecord, MoneyError> {
        Ok(LineRecord {
            identity,
            booked: line.booked,
            amount_minor: line.amount.to_minor()?,
            currency: line.amount.currency.code().to_string(),
            text: line.text.clone(),
            reference: line.reference.clone(),
            other_refs: line
                .other_refs
                .iter()
                .chain(line.details.iter().map(|d| &d.reference))
                .chain(line.details.iter().filter_map(|d| d.end_to_end_id.as_ref()))
                .filter(|r| !r.trim().is_empty())
                .cloned()
                .collect(),
        })
    }
}

/// One currency's totals, in minor units, as the difference-to-zero bar shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub currency: String,
    pub statement: i64,
    pub matched: i64,
    pub unmatched: i64,
    pub difference: i64,
}

/// The line a match adds for the difference between its sides (a bank fee, say), so
/// that the deposits equal the payouts plus this amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub amount_minor: i64,
    pub currency: String,
    pub reason: String,
}

/// How a match was made: 0 by hand, else the matcher's tier (1 reference, 2 exact
/// amount in the date window, 3 proposal).
pub type Tier = u8;

/// One thing that happened in a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The session was created (its row in `sessions` says what with).
    Created,
    /// Statement lines imported from `file`; only lines not held before are listed,
    /// `already` counts the others.
    Import {
        file: String,
        lines: Vec<LineRecord>,
        already: usize,
    },
    /// Items matched to each other (`proposed`: offered, waiting for a key).
    Match {
        items: Vec<ItemRef>,
        tier: Tier,
        reason: String,
        proposed: bool,
        /// Absent in events written before adjustments existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        adjustment: Option<Adjustment>,
    },
    /// A proposal accepted: the match made by event `match_id`.
    Accept {
        match_id: i64,
    },
    /// A match or proposal undone: its items are open again.
    Unmatch {
        match_id: i64,
    },
    Flag {
        item: ItemRef,
        note: String,
    },
    Ignore {
        item: ItemRef,
        reason: String,
    },
    Note {
        item: ItemRef,
        text: String,
    },
    /// Signed off with these totals, frozen.
    SignOff {
        totals: Vec<Totals>,
    },
    Reopen {
        reason: String,
    },
}

impl Event {
    /// The name in the events table's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Created => "created",
            Event::Import { .. } => "import",
            Event::Match { .. } => "match",
            Event::Accept { .. } => "accept",
            Event::Unmatch { .. } => "unmatch",
            Event::Flag { .. } => "flag",
            Event::Ignore { .. } => "ignore",
            Event::Note { .. } => "note",
            Event::SignOff { .. } => "sign_off",
            Event::Reopen { .. } => "reopen",
        }
    }
}

/// Who did something and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The operating-system user, as the audit log names it.
    pub who: String,
    pub at: DateTime<Utc>,
}

impl Stamp {
    /// The OS user running paydeck, now.
    pub fn now() -> Stamp {
        Stamp::by(None)
    }

    /// The operator the config names, else the OS user (as the audit log names who
    /// acted), now.
    pub fn by(operator: Option<&str>) -> Stamp {
        Stamp {
            who: operator.map_or_else(crate::audit::os_user, str::to_string),
            at: Utc::now(),
        }
    }

    pub(crate) fn at_text(&self) -> String {
        self.at.to_rfc3339_opts(SecondsFormat::Micros, true)
    }
}

/// An event as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    pub stamp: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_token_reads_back_and_a_wrong_one_says_what_to_write() {
        let items = [
            ItemRef::of(ItemKind::Deposit, "", "bank:acct 1:FITID/7"),
            ItemRef::of(ItemKind::Payout, "live-au", "po_1"),
            ItemRef::of(ItemKind::Charge, "live-au", "ch_1/2"),
            ItemRef::of(ItemKind::PayoutLine, "p", "bt_1"),
            ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:1|po_1|"),
        ];
        for item in items {
            assert_eq!(ItemRef::parse(&item.token()), Ok(item.clone()));
            assert_eq!(ItemRef::parse(&item.to_string()), Ok(item.clone()));
        }
        assert_eq!(
            ItemRef::of(ItemKind::Payout, "p", "po_1").token(),
            "payout:p/po_1"
        );
        for (bad, says) in [
            ("po_1", "names no kind"),
            ("parcel:po_1", "is not a kind"),
            ("payout:po_1", "names no profile"),
            ("payout:/po_1", "missing its id or profile"),
            ("deposit:", "missing its id"),
        ] {
            let why = ItemRef::parse(bad).unwrap_err();
            assert!(
                why.contains(says) && why.contains("payout:<profile>/<id>"),
                "{bad}: {why}"
            );
        }
    }
}
