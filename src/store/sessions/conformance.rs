//! The conformance suite every [`SessionStore`] backend passes: each case takes a
//! fresh, empty store. `conformance_tests!(fresh)` makes one test per case, so a new
//! backend gets the whole suite in one line.

use chrono::{NaiveDate, TimeZone, Utc};

use super::{
    Adjustment, Event, ItemKind, ItemRef, ItemState, LineRecord, NewSession, SessionError,
    SessionId, SessionStore, Stamp, Totals,
};
use crate::recon::import::LineIdentity;

pub use super::conformance_copy::*;
pub use super::conformance_team::*;

pub fn stamp(n: i64) -> Stamp {
    Stamp {
        who: "alice".into(),
        at: Utc.timestamp_opt(1_790_000_000 + n, 0).unwrap(),
    }
}

pub fn november(name: &str) -> NewSession {
    NewSession {
        name: name.into(),
        profiles: vec!["live-au".into(), "live-nz".into()],
        from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    }
}

pub fn line(n: u32, cents: i64) -> LineRecord {
    LineRecord {
        identity: LineIdentity::from_stored(format!("bank:acct:{n}")),
        booked: NaiveDate::from_ymd_opt(2026, 11, 1 + n % 28).unwrap(),
        amount_minor: cents,
        currency: "AUD".into(),
        text: format!("PIN PAYMENTS {n}"),
        reference: format!("po_{n}"),
        other_refs: vec![format!("TRACE {n}")],
    }
}

pub fn deposit(n: u32) -> ItemRef {
    ItemRef::deposit(&line(n, 0).identity)
}

pub fn payout(n: u32) -> ItemRef {
    ItemRef::of(ItemKind::Payout, "live-au", &format!("po_{n}"))
}

pub fn import(lines: Vec<LineRecord>) -> Event {
    Event::Import {
        file: "nov.ofx".into(),
        lines,
        already: 0,
    }
}

/// A session holding lines 1 to `n`.
pub fn session_with_lines(store: &mut dyn SessionStore, n: u32) -> SessionId {
    let id = store.create(&november("nov"), &stamp(0)).unwrap();
    let lines = (1..=n).map(|i| line(i, 10_000 + i64::from(i))).collect();
    store.record(id, import(lines), &stamp(1)).unwrap();
    id
}

/// A session with a match (then undone), a proposal, a flag, an ignore, a note and a
/// sign-off: every derived table has rows, for the rebuild tests.
pub fn session_to_replay(store: &mut dyn SessionStore) -> SessionId {
    let id = session_with_lines(store, 4);
    let first = Event::Match {
        items: vec![deposit(1), payout(1)],
        tier: 1,
        reason: "payout id in the reference".into(),
        proposed: false,
        adjustment: None,
    };
    let first = store.record(id, first, &stamp(2)).unwrap().event_id;
    let events = [
        Event::Match {
            items: vec![deposit(2), payout(2), payout(3)],
            tier: 3,
            reason: "sum".into(),
            proposed: true,
            adjustment: None,
        },
        Event::Flag {
            item: deposit(3),
            note: "no payout".into(),
        },
        Event::Ignore {
            item: deposit(4),
            reason: "interest".into(),
        },
        Event::Note {
            item: payout(1),
            text: "checked".into(),
        },
        Event::Unmatch { match_id: first },
        Event::SignOff { totals: vec![] },
    ];
    for (n, event) in events.into_iter().enumerate() {
        store.record(id, event, &stamp(3 + n as i64)).unwrap();
    }
    id
}

fn refusal(result: super::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(SessionError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub fn a_duplicate_name_is_refused_and_names_are_listed(store: &mut dyn SessionStore) {
    store.create(&november("nov"), &stamp(0)).unwrap();
    let why = refusal(store.create(&november("nov"), &stamp(1)));
    assert!(
        why.contains("already exists") && why.contains("alice"),
        "{why}"
    );
    store.create(&november("dec"), &stamp(2)).unwrap();
    let names: Vec<String> = store.list().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["dec", "nov"]);
    let nov = store.find("nov").unwrap();
    assert_eq!(nov.profiles, ["live-au", "live-nz"]);
    assert_eq!(nov.created, stamp(0));
    assert!(matches!(
        store.find("jan"),
        Err(SessionError::NoSuchSession(_))
    ));
}

pub fn a_bad_new_session_is_refused(store: &mut dyn SessionStore) {
    let mut empty = november("");
    assert!(refusal(store.create(&empty, &stamp(0))).contains("name"));
    empty.name = "x".into();
    empty.profiles.clear();
    assert!(refusal(store.create(&empty, &stamp(0))).contains("profile"));
    let mut backwards = november("x");
    std::mem::swap(&mut backwards.from, &mut backwards.to);
    assert!(refusal(store.create(&backwards, &stamp(0))).contains("before it starts"));
    assert!(store.list().unwrap().is_empty());
}

pub fn importing_the_same_lines_twice_adds_nothing(store: &mut dyn SessionStore) {
    let id = store.create(&november("nov"), &stamp(0)).unwrap();
    let first = store
        .record(id, import(vec![line(1, 500), line(2, -70)]), &stamp(1))
        .unwrap();
    assert_eq!((first.lines_added, first.lines_already), (2, 0));
    let again = store
        .record(id, import(vec![line(2, -70), line(3, 900)]), &stamp(2))
        .unwrap();
    assert_eq!((again.lines_added, again.lines_already), (1, 1));
    let view = store.load(id).unwrap();
    let cents: Vec<i64> = view.lines.iter().map(|l| l.amount_minor).collect();
    assert_eq!(cents, [500, -70, 900]);
}

pub fn matches_proposals_and_unmatches_move_item_states(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 3);
    let proposal = Event::Match {
        items: vec![deposit(1), payout(1), payout(2)],
        tier: 3,
        reason: "sum of two payouts".into(),
        proposed: true,
        adjustment: None,
    };
    let proposed = store.record(id, proposal, &stamp(2)).unwrap().event_id;
    let view = store.load(id).unwrap();
    assert_eq!(view.state_of(&payout(2)), ItemState::Proposed);
    assert!(view.matches[0].proposed && view.matches[0].items.len() == 3);
    let taken = Event::Match {
        items: vec![deposit(2), payout(1)],
        tier: 2,
        reason: "amount".into(),
        proposed: false,
        adjustment: None,
    };
    assert!(refusal(store.record(id, taken, &stamp(3))).contains("already in match"));
    store
        .record(id, Event::Accept { match_id: proposed }, &stamp(4))
        .unwrap();
    let view = store.load(id).unwrap();
    assert_eq!(view.state_of(&deposit(1)), ItemState::Matched);
    assert_eq!(view.matches[0].tier, 3);
    assert!(!view.matches[0].proposed);
    assert!(
        refusal(store.record(id, Event::Accept { match_id: proposed }, &stamp(5)))
            .contains("no proposal")
    );
    store
        .record(id, Event::Unmatch { match_id: proposed }, &stamp(6))
        .unwrap();
    let view = store.load(id).unwrap();
    assert_eq!(view.state_of(&deposit(1)), ItemState::Open);
    assert!(view.matches.is_empty());
    let unknown = Event::Flag {
        item: deposit(99),
        note: String::new(),
    };
    assert!(refusal(store.record(id, unknown, &stamp(7))).contains("import it first"));
}

pub fn flags_ignores_and_notes_keep_who_and_the_latest_note(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 2);
    let flag = Event::Flag {
        item: deposit(1),
        note: "bank fee?".into(),
    };
    store.record(id, flag, &stamp(2)).unwrap();
    let ignore = Event::Ignore {
        item: deposit(2),
        reason: " ".into(),
    };
    assert!(refusal(store.record(id, ignore, &stamp(3))).contains("reason"));
    let note = Event::Note {
        item: deposit(1),
        text: "asked the bank".into(),
    };
    store.record(id, note, &stamp(4)).unwrap();
    let view = store.load(id).unwrap();
    let row = &view.items[0];
    assert_eq!(row.state, ItemState::Flagged);
    assert_eq!(row.note.as_deref(), Some("asked the bank"));
    assert_eq!(row.changed, stamp(4));
    let texts: Vec<&str> = view.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["bank fee?", "asked the bank"]);
    let kinds: Vec<&str> = store
        .events(id)
        .unwrap()
        .iter()
        .map(|e| e.event.kind())
        .collect();
    assert_eq!(kinds, ["created", "import", "flag", "note"]);
}

pub fn a_signed_off_session_refuses_marks_until_reopened(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 1);
    let totals = vec![Totals {
        currency: "AUD".into(),
        statement: 10_001,
        matched: 10_001,
        unmatched: 0,
        difference: 0,
    }];
    store
        .record(
            id,
            Event::SignOff {
                totals: totals.clone(),
            },
            &stamp(2),
        )
        .unwrap();
    assert_eq!(store.load(id).unwrap().frozen, totals);
    assert_eq!(store.find("nov").unwrap().signed_off, Some(stamp(2)));
    let mark = Event::Flag {
        item: deposit(1),
        note: String::new(),
    };
    assert!(refusal(store.record(id, mark.clone(), &stamp(3))).contains("signed off by alice"));
    assert!(refusal(store.record(id, Event::SignOff { totals }, &stamp(3))).contains("signed off"));
    let no_reason = Event::Reopen { reason: "".into() };
    assert!(refusal(store.record(id, no_reason, &stamp(4))).contains("reason"));
    let reopen = Event::Reopen {
        reason: "late deposit".into(),
    };
    store.record(id, reopen.clone(), &stamp(5)).unwrap();
    assert!(store.load(id).unwrap().frozen.is_empty());
    store.record(id, mark, &stamp(6)).unwrap();
    assert!(refusal(store.record(id, reopen, &stamp(7))).contains("not signed off"));
}

pub fn a_match_keeps_its_adjustment_and_exceptions_are_marked_apart(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 2);
    let adjustment = Adjustment {
        amount_minor: -250,
        currency: "AUD".into(),
        reason: "bank fee".into(),
    };
    let with = |adjustment: Adjustment| Event::Match {
        items: vec![deposit(1), payout(1)],
        tier: 0,
        reason: "by hand".into(),
        proposed: false,
        adjustment: Some(adjustment),
    };
    let blank = Adjustment {
        reason: " ".into(),
        ..adjustment.clone()
    };
    assert!(refusal(store.record(id, with(blank), &stamp(2))).contains("reason"));
    let zero = Adjustment {
        amount_minor: 0,
        ..adjustment.clone()
    };
    assert!(refusal(store.record(id, with(zero), &stamp(3))).contains("zero"));
    store
        .record(id, with(adjustment.clone()), &stamp(4))
        .unwrap();
    let late = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:1");
    let flag = Event::Flag {
        item: late.clone(),
        note: "two days late".into(),
    };
    store.record(id, flag, &stamp(5)).unwrap();
    let view = store.load(id).unwrap();
    assert_eq!(view.matches[0].adjustment, Some(adjustment));
    assert_eq!(view.state_of(&deposit(1)), ItemState::Matched);
    assert_eq!(view.state_of(&late), ItemState::Flagged);
    let matched_exception = Event::Match {
        items: vec![late, deposit(2)],
        tier: 0,
        reason: "no".into(),
        proposed: false,
        adjustment: None,
    };
    assert!(refusal(store.record(id, matched_exception, &stamp(6))).contains("never matched"));
}

/// A match of deposit `d` to payout `p`, by amount.
fn matched(d: u32, p: u32) -> Event {
    Event::Match {
        items: vec![deposit(d), payout(p)],
        tier: 2,
        reason: "amount".into(),
        proposed: false,
        adjustment: None,
    }
}

pub fn a_batch_is_recorded_in_order_and_whole_or_not_at_all(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 3);
    let recorded = store
        .record_all(id, vec![matched(1, 1), matched(2, 2)], &stamp(2))
        .unwrap();
    assert_eq!(recorded.len(), 2);
    assert!(recorded[0].event_id < recorded[1].event_id);
    let view = store.load(id).unwrap();
    let ids: Vec<i64> = view.matches.iter().map(|m| m.id).collect();
    assert_eq!(ids, [recorded[0].event_id, recorded[1].event_id]);
    let events = store.events(id).unwrap().len();
    // Deposit 1 is taken: the batch is refused whole, its first match too.
    let batch = vec![matched(3, 3), matched(1, 4)];
    assert!(refusal(store.record_all(id, batch, &stamp(3))).contains("already in match"));
    assert_eq!(store.events(id).unwrap().len(), events);
    assert_eq!(
        store.load(id).unwrap().state_of(&deposit(3)),
        ItemState::Open
    );
}

/// One `#[test]` per case above, each on a fresh store from `$fresh()`. With `maybe`,
/// `$fresh()` gives an `Option` and a case with `None` passes (its backend's server is
/// missing; `$fresh` says why).
macro_rules! conformance_tests {
    (maybe $fresh:expr) => {
        $crate::store::sessions::conformance::conformance_tests!(@cases
            (|| $fresh().map(|store| Box::new(store) as Box<dyn SessionStore>));
            CASES);
    };
    ($fresh:expr) => {
        $crate::store::sessions::conformance::conformance_tests!(@cases
            (|| Some(Box::new($fresh()) as Box<dyn SessionStore>));
            CASES);
    };
    (@cases $fresh:expr; CASES) => {
        $crate::store::sessions::conformance::conformance_tests!(@each $fresh;
            a_duplicate_name_is_refused_and_names_are_listed,
            a_bad_new_session_is_refused,
            importing_the_same_lines_twice_adds_nothing,
            matches_proposals_and_unmatches_move_item_states,
            flags_ignores_and_notes_keep_who_and_the_latest_note,
            a_signed_off_session_refuses_marks_until_reopened,
            a_match_keeps_its_adjustment_and_exceptions_are_marked_apart,
            a_batch_is_recorded_in_order_and_whole_or_not_at_all,
            a_change_decided_on_an_older_view_is_a_conflict_naming_who_and_when,
            a_claimed_item_is_held_from_others_until_released_or_idle,
            each_claim_taken_or_given_up_moves_the_claims_version,
            a_charge_claim_holds_off_other_operators_for_its_time,
            a_copied_session_has_the_same_state_stamps_and_history_under_its_own_ids,
            a_copy_refused_part_way_or_under_a_name_held_writes_nothing
        );
    };
    (@each $fresh:expr; $($case:ident),*) => {
        mod conformance_suite {
            use super::*;
            $(
                #[test]
                fn $case() {
                    if let Some(mut store) = ($fresh)() {
                        $crate::store::sessions::conformance::$case(store.as_mut());
                    }
                }
            )*
        }
    };
}
pub(crate) use conformance_tests;
