//! Claims on PostgreSQL (`claims.rs` says what they are for): an operator taking or
//! giving up an item of a shared session, and taking or giving up a charge to act on.
//! An item's claim first locks its session's row, as a mark does (`pg_notify::
//! tell_claims`, which also tells the other dashboards), so claims and marks on one
//! session take turns for the moment each lasts. Two operators taking one charge at
//! once never wait on each other: `FOR UPDATE SKIP LOCKED` gives one the row and tells
//! the other who has it.

use postgres::Client;

use super::CHARGE_CLAIM_TTL;
use super::apply;
use super::claims::{self, ClaimRow};
use super::event::{ItemRef, Stamp};
use super::pg_notify;
use super::{Result, SessionError, SessionId};

pub(crate) fn claim(
    client: &mut Client,
    session: SessionId,
    item: &ItemRef,
    stamp: &Stamp,
) -> Result<()> {
    let mut tx = client.transaction()?;
    // Rolled back with the rest if the claim is refused.
    pg_notify::tell_claims(&mut tx, session)?;
    apply::not_signed_off(&mut tx, session)?;
    let key: [&(dyn postgres::types::ToSql + Sync); 4] =
        [&session.0, &item.kind.as_str(), &item.profile, &item.id];
    let taken = tx.execute(
        "INSERT INTO item_claims (session_id, kind, profile, ref, holder, taken_at, touched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING",
        &[key[0], key[1], key[2], key[3], &stamp.who, &stamp.at],
    )?;
    if taken == 0 {
        // The row is there: take it unless its holder is working it. SKIP LOCKED:
        // an operator claiming it at this very moment has it, and this one is told
        // at once rather than queued behind them.
        let row = tx.query_opt(
            "SELECT holder, taken_at, touched_at FROM item_claims
             WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4
             FOR UPDATE SKIP LOCKED",
            &key,
        )?;
        let Some(row) = row else {
            return Err(being_claimed(&mut tx, item, &key)?);
        };
        let claim = ClaimRow {
            item: item.clone(),
            holder: row.try_get(0)?,
            taken: row.try_get(1)?,
            touched: row.try_get(2)?,
        };
        if let Some(claim) = claims::blocking(Some(claim), &stamp.who, stamp.at) {
            return Err(claims::item_held(&claim));
        }
        tx.execute(
            "UPDATE item_claims SET
                 taken_at = CASE WHEN holder = $5 THEN taken_at ELSE $6 END,
                 holder = $5, touched_at = $6
             WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4",
            &[key[0], key[1], key[2], key[3], &stamp.who, &stamp.at],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn release(
    client: &mut Client,
    session: SessionId,
    item: &ItemRef,
    stamp: &Stamp,
) -> Result<bool> {
    let mut tx = client.transaction()?;
    pg_notify::tell_claims(&mut tx, session)?;
    let gone = tx.execute(
        "DELETE FROM item_claims
         WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4 AND holder = $5",
        &[
            &session.0,
            &item.kind.as_str(),
            &item.profile,
            &item.id,
            &stamp.who,
        ],
    )?;
    if gone == 0 {
        // Nothing was held: no news (dropping the transaction rolls it back).
        return Ok(false);
    }
    tx.commit()?;
    Ok(true)
}

pub(crate) fn claim_charge(
    client: &mut Client,
    profile: &str,
    charge: &str,
    action: &str,
    stamp: &Stamp,
) -> Result<()> {
    let mut tx = client.transaction()?;
    let taken = tx.execute(
        "INSERT INTO charge_claims (profile, charge_id, holder, action, taken_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        &[&profile, &charge, &stamp.who, &action, &stamp.at],
    )?;
    if taken == 0 {
        let row = tx.query_opt(
            "SELECT holder, action, taken_at FROM charge_claims
             WHERE profile = $1 AND charge_id = $2 FOR UPDATE SKIP LOCKED",
            &[&profile, &charge],
        )?;
        let Some(row) = row else {
            return Err(SessionError::Held {
                what: format!("charge {profile}/{charge}"),
                by: "another operator".into(),
                since: stamp.at,
                lapses: "they are taking it this moment: reload the charge".into(),
            });
        };
        let holder: String = row.try_get(0)?;
        let held_for: String = row.try_get(1)?;
        let since: chrono::DateTime<chrono::Utc> = row.try_get(2)?;
        if holder != stamp.who && stamp.at - since < CHARGE_CLAIM_TTL {
            return Err(claims::charge_held(
                profile, charge, holder, &held_for, since,
            ));
        }
        tx.execute(
            "UPDATE charge_claims SET holder = $3, action = $4, taken_at = $5
             WHERE profile = $1 AND charge_id = $2",
            &[&profile, &charge, &stamp.who, &action, &stamp.at],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn release_charge(
    client: &mut Client,
    profile: &str,
    charge: &str,
    stamp: &Stamp,
) -> Result<()> {
    client.execute(
        "DELETE FROM charge_claims WHERE profile = $1 AND charge_id = $2 AND holder = $3",
        &[&profile, &charge, &stamp.who],
    )?;
    Ok(())
}

/// The refusal for an item whose row another transaction has locked: someone is
/// claiming it this moment. Its holder as last committed names them, if any.
fn being_claimed(
    tx: &mut postgres::Transaction<'_>,
    item: &ItemRef,
    key: &[&(dyn postgres::types::ToSql + Sync); 4],
) -> Result<SessionError> {
    let row = tx.query_opt(
        "SELECT holder, taken_at FROM item_claims
         WHERE session_id = $1 AND kind = $2 AND profile = $3 AND ref = $4",
        key,
    )?;
    let (by, since) = match row {
        Some(r) => (r.try_get(0)?, r.try_get(1)?),
        None => ("another operator".to_string(), chrono::Utc::now()),
    };
    Ok(SessionError::Held {
        what: item.to_string(),
        by,
        since,
        lapses: "they are claiming it this moment".into(),
    })
}
