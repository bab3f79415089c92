//! Other operators hear of each committed write: `record_all` sends
//! `pg_notify('paydeck_sessions', '<session id> <last event id>')` inside its
//! transaction, which PostgreSQL delivers on commit and never for a rolled-back one.
//! A claim taken or given up is told the same way on [`CLAIMS_CHANNEL`], with the
//! session's claims version in place of the event (a claim is not an event).
//! A commit the server never answered is reported as such, never as done.

use super::error::describe;
use super::{Recorded, Result, SessionError, SessionId};

/// The channel every paydeck LISTENs on for events.
pub const CHANNEL: &str = "paydeck_sessions";
/// The channel for claims changes, LISTENed on beside [`CHANNEL`].
pub const CLAIMS_CHANNEL: &str = "paydeck_claims";

/// The longest payload read back: two 64-bit numbers and a space. A longer one is not
/// ours, and is ignored.
pub const PAYLOAD_MAX: usize = 41;

/// Tells listeners, on commit, the newest event `recorded` holds.
pub(crate) fn tell(
    tx: &mut postgres::Transaction<'_>,
    session: SessionId,
    recorded: &[Recorded],
) -> Result<()> {
    let Some(last) = recorded.iter().map(|r| r.event_id).max() else {
        return Ok(());
    };
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CHANNEL, &payload(session, last)],
    )?;
    Ok(())
}

/// Numbers a change to the session's claims and tells listeners of it on commit. It
/// locks the session's row first, as a mark does, so a claim and a mark never wait on
/// each other's locks in opposite orders; a missing session is said so.
pub(crate) fn tell_claims(tx: &mut postgres::Transaction<'_>, session: SessionId) -> Result<()> {
    let row = tx.query_opt(
        "UPDATE sessions SET claims_version = claims_version + 1 WHERE id = $1
         RETURNING claims_version",
        &[&session.0],
    )?;
    let Some(row) = row else {
        return Err(SessionError::NoSuchSession(format!("#{}", session.0)));
    };
    let version: i64 = row.try_get(0)?;
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CLAIMS_CHANNEL, &payload(session, version)],
    )?;
    Ok(())
}

pub fn payload(session: SessionId, event_id: i64) -> String {
    format!("{} {event_id}", session.0)
}

/// A payload as [`payload`] writes it, or `None` for anything else.
pub fn parse(payload: &str) -> Option<(SessionId, i64)> {
    if payload.len() > PAYLOAD_MAX {
        return None;
    }
    let (session, event) = payload.split_once(' ')?;
    let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
    Some((SessionId(number(session)?), number(event)?))
}

/// A commit's answer: a dropped connection (`closed` after it) leaves unknown whether
/// the server kept the write, which the operator is told to check by reloading.
pub(crate) fn confirmed(
    committed: std::result::Result<(), postgres::Error>,
    closed: bool,
) -> Result<()> {
    match committed {
        Ok(()) => Ok(()),
        Err(e) if closed || e.is_closed() => Err(SessionError::Unconfirmed(describe(&e))),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_reads_back_and_anything_else_is_ignored() {
        let written = payload(SessionId(7), 1234);
        assert_eq!(parse(&written), Some((SessionId(7), 1234)));
        let longest = payload(SessionId(i64::MAX), i64::MAX);
        assert_eq!(parse(&longest), Some((SessionId(i64::MAX), i64::MAX)));
        for bad in ["", "7", "7 ", " 7", "7 x", "7 -1", "0 3", "7 3 4", "7  3"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse(&format!("7 {}", "1".repeat(60))), None);
    }
}
