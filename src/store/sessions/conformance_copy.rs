//! The conformance cases for a session copied in from another store
//! ([`SessionStore::copy_in`]): the source is a SQLite session in memory, the target the
//! backend under test, which holds a session already so that its event ids differ.

use std::collections::HashMap;

use super::conformance::{
    deposit, import, line, november, payout, session_with_lines, stamp, stamp_of,
};
use super::{
    Event, ItemKind, ItemRef, SessionError, SessionId, SessionStore, SessionView, SqliteSessions,
    StoredEvent,
};

fn matched(d: u32, p: u32, proposed: bool) -> Event {
    Event::Match {
        items: vec![deposit(d), payout(p)],
        tier: if proposed { 3 } else { 1 },
        reason: "amount".into(),
        proposed,
        adjustment: None,
    }
}

/// A source session `nov` worked by two operators: a proposal accepted, a match undone,
/// a flag, an ignore, notes, a sign-off, a reopen and a sign-off again; and a claim,
/// which is not an event.
fn worked_source() -> (SqliteSessions, SessionId) {
    let mut source = SqliteSessions::open_in_memory().unwrap();
    let id = session_with_lines(&mut source, 5);
    source.claim(id, &deposit(5), &stamp(2)).unwrap();
    let ben = |n| stamp_of("ben", n);
    let proposal = source
        .record(id, matched(1, 1, true), &stamp(2))
        .unwrap()
        .event_id;
    source
        .record(id, Event::Accept { match_id: proposal }, &ben(3))
        .unwrap();
    let undone = source
        .record(id, matched(2, 2, false), &stamp(4))
        .unwrap()
        .event_id;
    let late = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:5");
    let events = [
        (Event::Unmatch { match_id: undone }, ben(5)),
        (matched(2, 3, false), ben(6)),
        (
            Event::Flag {
                item: late.clone(),
                note: "two days late".into(),
            },
            stamp(7),
        ),
        (
            Event::Ignore {
                item: deposit(4),
                reason: "interest".into(),
            },
            ben(8),
        ),
        (
            Event::Note {
                item: payout(1),
                text: "checked".into(),
            },
            stamp(9),
        ),
        (Event::SignOff { totals: vec![] }, stamp(10)),
        (
            Event::Reopen {
                reason: "one more note".into(),
            },
            ben(11),
        ),
        (
            Event::Note {
                item: deposit(3),
                text: "called the bank".into(),
            },
            ben(12),
        ),
        (Event::SignOff { totals: vec![] }, ben(13)),
    ];
    for (event, at) in events {
        source.record(id, event, &at).unwrap();
    }
    (source, id)
}

/// A target holding session `dec` with events of its own, so that the copy's ids are
/// not the source's.
fn target_with_a_session(store: &mut dyn SessionStore) {
    let dec = store.create(&november("dec"), &stamp(0)).unwrap();
    let lines = (1..=3).map(|n| line(n, 500)).collect();
    store.record(dec, import(lines), &stamp(1)).unwrap();
    store.record(dec, matched(1, 1, true), &stamp(2)).unwrap();
}

/// `view` with each event id the source gave it made the target's, by `ids`.
fn translated(mut view: SessionView, ids: &HashMap<i64, i64>) -> SessionView {
    let id = |source: i64| ids[&source];
    for item in &mut view.items {
        item.match_id = item.match_id.map(id);
        item.version = id(item.version);
    }
    for m in &mut view.matches {
        m.id = id(m.id);
    }
    for note in &mut view.notes {
        note.event_id = id(note.event_id);
    }
    view.latest = id(view.latest);
    view
}

pub fn a_copied_session_has_the_same_state_stamps_and_history_under_its_own_ids(
    store: &mut dyn SessionStore,
) {
    let (mut source, id) = worked_source();
    target_with_a_session(store);
    let summary = source.find("nov").unwrap();
    let events = source.events(id).unwrap();
    let new = november("nov");
    let copy = store.copy_in(&new, &summary.created, &events).unwrap();

    let copied = store.events(copy).unwrap();
    assert_eq!(copied.len(), events.len());
    let ids: HashMap<i64, i64> = events
        .iter()
        .zip(&copied)
        .map(|(s, t)| (s.id, t.id))
        .collect();
    assert!(
        ids.iter().all(|(s, t)| s != t),
        "the target's ids are its own: {ids:?}"
    );
    for (source_event, copied_event) in events.iter().zip(&copied) {
        assert_eq!(copied_event.stamp, source_event.stamp, "original stamps");
        let expected = match source_event.event {
            Event::Accept { match_id } => Event::Accept {
                match_id: ids[&match_id],
            },
            Event::Unmatch { match_id } => Event::Unmatch {
                match_id: ids[&match_id],
            },
            ref other => other.clone(),
        };
        assert_eq!(copied_event.event, expected);
    }

    let mut expected = translated(source.load(id).unwrap(), &ids);
    let view = store.load(copy).unwrap();
    expected.summary.id = copy;
    assert_eq!(expected.claims.len(), 1, "the source has a claim");
    expected.claims.clear();
    assert!(view.claims.is_empty(), "claims are not copied");
    assert!(expected.claims_version > 0, "the source's claims changed");
    expected.claims_version = 0;
    assert_eq!(view, expected);
    assert_eq!(view.summary.signed_off, Some(stamp_of("ben", 13)));
    assert_eq!(store.find("nov").unwrap(), view.summary);
    // The copy is a session like any other: it reopens and takes marks.
    let reopen = Event::Reopen {
        reason: "copied".into(),
    };
    store.record(copy, reopen, &stamp(20)).unwrap();
}

pub fn a_copy_refused_part_way_or_under_a_name_held_writes_nothing(store: &mut dyn SessionStore) {
    let (mut source, id) = worked_source();
    target_with_a_session(store);
    let summary = source.find("nov").unwrap();
    let mut events = source.events(id).unwrap();
    let before = store.list().unwrap();

    // A note after the last sign-off: the last event is refused, after every other was
    // recorded in the same transaction.
    let last = events.last().unwrap().id;
    let mut broken = events.clone();
    broken.push(StoredEvent {
        id: last + 1,
        event: Event::Note {
            item: deposit(1),
            text: "after sign-off".into(),
        },
        stamp: stamp(30),
    });
    let why = match store.copy_in(&november("nov"), &summary.created, &broken) {
        Err(SessionError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(why.contains("signed off"), "{why}");
    assert_eq!(store.list().unwrap(), before, "nothing is left of the copy");
    assert!(matches!(
        store.find("nov"),
        Err(SessionError::NoSuchSession(_))
    ));

    // A reference to an event the session does not hold is refused, not guessed at.
    events.push(StoredEvent {
        id: last + 1,
        event: Event::Unmatch {
            match_id: last + 99,
        },
        stamp: stamp(30),
    });
    let why = match store.copy_in(&november("nov"), &summary.created, &events) {
        Err(SessionError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(
        why.contains(&format!("refers to event {}", last + 99)),
        "{why}"
    );
    assert_eq!(store.list().unwrap(), before);

    // A name the target holds: refused, and its session is as it was.
    events.pop();
    let dec = store.find("dec").unwrap();
    let held = store.events(dec.id).unwrap();
    let why = match store.copy_in(&november("dec"), &summary.created, &events) {
        Err(SessionError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(why.contains("already exists"), "{why}");
    assert_eq!(store.events(dec.id).unwrap(), held);
    assert_eq!(store.list().unwrap(), before);
}
