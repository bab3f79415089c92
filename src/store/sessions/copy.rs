//! A session copied from one store into another (`paydeck recon push` and `pull`): its
//! events recorded again, oldest first, with their own stamps, through the rules every
//! write takes (`apply::record`), so the copy's state is what the same events say.
//! The copy's event ids are its store's own: every reference to one is translated as
//! the copy goes. Each backend runs this inside the transaction that created the copy.

use std::collections::HashMap;

use super::apply::{self, Tables};
use super::error::refused;
use super::event::{Event, StoredEvent};
use super::{Result, SessionId};

/// Most events one copy takes: the events are held in memory, and a session is a
/// month of one team's work (an import is one event however many lines it has).
pub const COPY_EVENTS_MAX: usize = 1_000_000;

/// Records `events` into `session`, whose `Created` event (made with the session)
/// is `created`; the source's `Created` is that one, not a second.
pub(crate) fn record_copies(
    tx: &mut dyn Tables,
    session: SessionId,
    created: i64,
    events: &[StoredEvent],
) -> Result<()> {
    if events.len() > COPY_EVENTS_MAX {
        return Err(refused(format!(
            "the session has {} events, more than the {COPY_EVENTS_MAX} one copy takes",
            events.len()
        )));
    }
    // Source event id to the copy's.
    let mut ids: HashMap<i64, i64> = HashMap::with_capacity(events.len());
    for stored in events {
        let copied = match &stored.event {
            Event::Created => created,
            event => {
                let event = translated(event, stored.id, &ids)?;
                apply::record(tx, session, event, None, &stored.stamp)?.event_id
            }
        };
        ids.insert(stored.id, copied);
    }
    Ok(())
}

/// `event` (the source's event `at`) with each event id it holds made the copy's.
fn translated(event: &Event, at: i64, ids: &HashMap<i64, i64>) -> Result<Event> {
    let copied = |source: i64| {
        ids.get(&source).copied().ok_or_else(|| {
            refused(format!(
                "event {at} refers to event {source}, which is not an earlier event of the session"
            ))
        })
    };
    // Every variant by name, so that a new one holding an event id is translated here.
    Ok(match event {
        Event::Accept { match_id } => Event::Accept {
            match_id: copied(*match_id)?,
        },
        Event::Unmatch { match_id } => Event::Unmatch {
            match_id: copied(*match_id)?,
        },
        // Items are named by line identities, gateway ids and exception refs, never by
        // an event id: these hold none.
        Event::Created
        | Event::Import { .. }
        | Event::Match { .. }
        | Event::Flag { .. }
        | Event::Ignore { .. }
        | Event::Note { .. }
        | Event::SignOff { .. }
        | Event::Reopen { .. } => event.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sessions::conformance::deposit;

    #[test]
    fn match_ids_are_translated_and_one_not_seen_before_is_refused() {
        let ids = HashMap::from([(7, 40)]);
        assert_eq!(
            translated(&Event::Accept { match_id: 7 }, 9, &ids).unwrap(),
            Event::Accept { match_id: 40 }
        );
        assert_eq!(
            translated(&Event::Unmatch { match_id: 7 }, 9, &ids).unwrap(),
            Event::Unmatch { match_id: 40 }
        );
        let flag = Event::Flag {
            item: deposit(7),
            note: "event 7".into(),
        };
        assert_eq!(translated(&flag, 9, &ids).unwrap(), flag);
        let why = translated(&Event::Unmatch { match_id: 8 }, 9, &ids)
            .unwrap_err()
            .to_string();
        assert!(why.contains("event 9 refers to event 8"), "{why}");
    }
}
