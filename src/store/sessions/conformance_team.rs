//! The conformance cases for several operators on one session: versions that catch a
//! change decided on an older view, and claims on items and charges.

use super::conformance::{deposit, payout, session_with_lines, stamp};
use super::{
    CHARGE_CLAIM_TTL, CLAIM_IDLE, Event, ItemKind, ItemRef, ItemState, SessionError, SessionStore,
    Stamp,
};

/// `who`'s stamp `n` seconds into the test's day, as [`stamp`] is alice's.
pub fn stamp_of(who: &str, n: i64) -> Stamp {
    Stamp {
        who: who.into(),
        ..stamp(n)
    }
}

fn conflict(result: super::Result<impl std::fmt::Debug>) -> (String, String, Option<String>) {
    match result {
        Err(SessionError::Conflict {
            what, by, detail, ..
        }) => (what, by, detail),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn held(result: super::Result<impl std::fmt::Debug>) -> (String, String) {
    match result {
        Err(e @ SessionError::Held { .. }) => {
            let SessionError::Held {
                ref what, ref by, ..
            } = e
            else {
                unreachable!()
            };
            (what.clone(), format!("{by} | {e}"))
        }
        other => panic!("expected a claim held by another, got {other:?}"),
    }
}

fn flag(item: ItemRef, note: &str) -> Event {
    Event::Flag {
        item,
        note: note.into(),
    }
}

pub fn a_change_decided_on_an_older_view_is_a_conflict_naming_who_and_when(
    store: &mut dyn SessionStore,
) {
    let id = session_with_lines(store, 3);
    let proposal = Event::Match {
        items: vec![deposit(3), payout(3)],
        tier: 3,
        reason: "amount".into(),
        proposed: true,
        adjustment: None,
    };
    let proposal = store.record(id, proposal, &stamp(2)).unwrap().event_id;
    // Alice reads the session; then Bob flags deposit 1 and undoes the proposal.
    let alices = store.load(id).unwrap();
    assert_eq!(alices.latest, proposal);
    let bob = |n| stamp_of("bob", n);
    let bobs = store
        .record(id, flag(deposit(1), "bob's"), &bob(3))
        .unwrap()
        .event_id;
    store
        .record(id, Event::Unmatch { match_id: proposal }, &bob(4))
        .unwrap();
    let view = store.load(id).unwrap();
    let row = view.items.iter().find(|r| r.item == deposit(1)).unwrap();
    assert_eq!(row.version, bobs);
    assert!(view.latest > alices.latest);

    // Alice's ignore of deposit 1, decided on her older view, is refused: Bob changed it.
    let ignore = Event::Ignore {
        item: deposit(1),
        reason: "alice's".into(),
    };
    let result = store.record_seen(id, vec![ignore.clone()], Some(alices.latest), &stamp(5));
    let (what, by, _) = conflict(result);
    assert!(what.contains("deposit") && by == "bob", "{what} {by}");
    let shown = store
        .record_seen(id, vec![ignore.clone()], Some(alices.latest), &stamp(5))
        .unwrap_err()
        .to_string();
    assert!(
        shown.contains("changed by bob at") && shown.contains("reload?"),
        "{shown}"
    );
    assert_eq!(
        store.load(id).unwrap().state_of(&deposit(1)),
        ItemState::Flagged
    );
    // The proposal she accepts is gone: the rule's refusal says who changed the session.
    let accept = Event::Accept { match_id: proposal };
    let (_, by, detail) =
        conflict(store.record_seen(id, vec![accept], Some(alices.latest), &stamp(6)));
    assert_eq!(by, "bob");
    assert!(detail.unwrap().contains("no proposal"));
    // So is a sign-off decided on totals that have changed since.
    let sign = Event::SignOff { totals: vec![] };
    conflict(store.record_seen(id, vec![sign], Some(alices.latest), &stamp(7)));
    // An item nobody else touched goes through on the old view, and once reloaded so
    // does the ignore; her own changes never conflict with her.
    store
        .record_seen(
            id,
            vec![flag(deposit(2), "mine")],
            Some(alices.latest),
            &stamp(8),
        )
        .unwrap();
    let latest = store.load(id).unwrap().latest;
    store
        .record_seen(id, vec![ignore], Some(latest), &stamp(9))
        .unwrap();
    store
        .record_seen(
            id,
            vec![flag(deposit(2), "again")],
            Some(alices.latest),
            &stamp(10),
        )
        .unwrap();
    assert_eq!(
        store.load(id).unwrap().state_of(&deposit(1)),
        ItemState::Ignored
    );
    // Without a view (a script that decided nothing on one), the rules alone apply.
    store
        .record(id, flag(deposit(1), "bob again"), &bob(11))
        .unwrap();
}

pub fn a_claimed_item_is_held_from_others_until_released_or_idle(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 2);
    let exception = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:1");
    store.claim(id, &exception, &stamp(10)).unwrap();
    let bob = |n| stamp_of("bob", n);
    let (what, shown) = held(store.claim(id, &exception, &bob(11)));
    assert!(
        what.contains("exception") && shown.starts_with("alice"),
        "{shown}"
    );
    assert!(shown.contains("held by alice since"), "{shown}");
    held(store.record(id, flag(exception.clone(), "bob's"), &bob(12)));
    let view = store.load(id).unwrap();
    assert_eq!(view.claims.len(), 1);
    assert_eq!(view.claims[0].holder, "alice");
    assert!(view.claims[0].live_at(bob(12).at));
    // Her flag goes through and keeps the claim fresh: Bob waits from her last touch.
    let worked = 100;
    store
        .record(id, flag(exception.clone(), "alice's"), &stamp(worked))
        .unwrap();
    let idle = CLAIM_IDLE.num_seconds();
    held(store.claim(id, &exception, &bob(10 + idle)));
    store.claim(id, &exception, &bob(worked + idle)).unwrap();
    let (_, shown) = held(store.claim(id, &exception, &stamp(worked + idle + 1)));
    assert!(shown.starts_with("bob"), "{shown}");
    // Released, it is free; a release by someone who does not hold it does nothing.
    assert!(
        !store
            .release(id, &exception, &stamp(worked + idle + 2))
            .unwrap()
    );
    assert!(
        store
            .release(id, &exception, &bob(worked + idle + 2))
            .unwrap()
    );
    store
        .claim(id, &exception, &stamp(worked + idle + 3))
        .unwrap();
    // A signed-off session is frozen: nothing more to claim.
    store
        .release(id, &exception, &stamp(worked + idle + 4))
        .unwrap();
    store
        .record(
            id,
            Event::SignOff { totals: vec![] },
            &stamp(worked + idle + 5),
        )
        .unwrap();
    assert!(matches!(
        store.claim(id, &deposit(1), &bob(worked + idle + 6)),
        Err(SessionError::Refused(why)) if why.contains("signed off by alice")
    ));
}

/// A claim taken or given up moves the session's claims version (what tells a screen
/// its claims are old); a refused claim, a release of nothing and an event do not.
pub fn each_claim_taken_or_given_up_moves_the_claims_version(store: &mut dyn SessionStore) {
    let id = session_with_lines(store, 2);
    let version = |store: &mut dyn SessionStore| store.load(id).unwrap().claims_version;
    let exception = ItemRef::of(ItemKind::Exception, "", "late_deposit:bank:acct:1");
    let start = version(store);
    store
        .record(id, flag(deposit(1), "a flag"), &stamp(9))
        .unwrap();
    assert_eq!(version(store), start);
    store.claim(id, &exception, &stamp(10)).unwrap();
    let claimed = version(store);
    assert!(claimed > start, "{claimed} after {start}");
    let bob = |n| stamp_of("bob", n);
    held(store.claim(id, &exception, &bob(11)));
    assert!(!store.release(id, &exception, &bob(12)).unwrap());
    assert_eq!(version(store), claimed);
    assert!(store.release(id, &exception, &stamp(13)).unwrap());
    let released = version(store);
    assert!(released > claimed, "{released} after {claimed}");
}

pub fn a_charge_claim_holds_off_other_operators_for_its_time(store: &mut dyn SessionStore) {
    let bob = |n| stamp_of("bob", n);
    store
        .claim_charge("live-au", "ch_1", "refund", &stamp(0))
        .unwrap();
    let (what, shown) = held(store.claim_charge("live-au", "ch_1", "void", &bob(1)));
    assert_eq!(what, "charge live-au/ch_1");
    assert!(shown.contains("alice (refund)"), "{shown}");
    // Another charge, or the same id on another profile, is free.
    store
        .claim_charge("live-au", "ch_2", "void", &bob(2))
        .unwrap();
    store
        .claim_charge("live-nz", "ch_1", "void", &bob(3))
        .unwrap();
    // Released by its holder it is free at once; not released, it lapses.
    store.release_charge("live-au", "ch_1", &bob(4)).unwrap();
    held(store.claim_charge("live-au", "ch_1", "void", &bob(5)));
    store.release_charge("live-au", "ch_1", &stamp(6)).unwrap();
    store
        .claim_charge("live-au", "ch_1", "void", &bob(7))
        .unwrap();
    let ttl = CHARGE_CLAIM_TTL.num_seconds();
    held(store.claim_charge("live-au", "ch_1", "capture", &stamp(7 + ttl - 1)));
    store
        .claim_charge("live-au", "ch_1", "capture", &stamp(7 + ttl))
        .unwrap();
}
