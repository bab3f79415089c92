//! Whatever sequence of events a session sees (refused ones included), replaying the
//! stored events rebuilds exactly the derived tables the live writes left.

use proptest::prelude::*;

use super::conformance::{deposit, line, payout, session_with_lines, stamp};
use super::sqlite::tests::derived;
use super::{Adjustment, Event, ItemKind, ItemRef, SessionStore, SqliteSessions, Totals};

const LINES: u32 = 6;

fn item() -> impl Strategy<Value = ItemRef> {
    prop_oneof![
        (1..=LINES + 1).prop_map(deposit),
        (1..=4u32).prop_map(payout),
        (1..=2u32).prop_map(|n| ItemRef::of(ItemKind::Exception, "", &format!("late_deposit:{n}")))
    ]
}

fn event() -> impl Strategy<Value = Event> {
    let text = prop_oneof![Just(String::new()), "[a-z ]{1,12}"];
    prop_oneof![
        (
            prop::collection::vec(item(), 1..4),
            0..4u8,
            any::<bool>(),
            prop::option::of(-500..500i64)
        )
            .prop_map(|(items, tier, proposed, adjusted)| Event::Match {
                items,
                tier,
                reason: "r".into(),
                proposed,
                adjustment: adjusted.map(|amount_minor| Adjustment {
                    amount_minor,
                    currency: "AUD".into(),
                    reason: "bank fee".into(),
                }),
            }),
        // Match ids are event ids: small numbers hit live matches often enough.
        (1..30i64).prop_map(|match_id| Event::Accept { match_id }),
        (1..30i64).prop_map(|match_id| Event::Unmatch { match_id }),
        (item(), text.clone()).prop_map(|(item, note)| Event::Flag { item, note }),
        (item(), text.clone()).prop_map(|(item, reason)| Event::Ignore { item, reason }),
        (item(), text.clone()).prop_map(|(item, text)| Event::Note { item, text }),
        (1..=LINES + 2).prop_map(|n| Event::Import {
            file: "more.csv".into(),
            lines: vec![line(n, 100)],
            already: 0
        }),
        (0..2i64).prop_map(|d| Event::SignOff {
            totals: vec![Totals {
                currency: "AUD".into(),
                statement: 1,
                matched: 1 - d,
                unmatched: d,
                difference: d
            }]
        }),
        text.prop_map(|reason| Event::Reopen { reason }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn replaying_the_events_rebuilds_the_live_state(events in prop::collection::vec(event(), 1..40)) {
        let mut store = SqliteSessions::open_in_memory().unwrap();
        let id = session_with_lines(&mut store, LINES);
        for (n, event) in events.into_iter().enumerate() {
            // Refusals write nothing; everything else must replay the same.
            let _ = store.record(id, event, &stamp(10 + n as i64));
        }
        let live = derived(&store);
        store.rebuild().unwrap();
        prop_assert_eq!(derived(&store), live);
    }
}
