//! `paydeck recon push` and `pull`: a session copied whole between the data directory's
//! SQLite and the shared PostgreSQL, as its events with their original stamps
//! ([`SessionStore::copy_in`]), so the copy's status, matches, notes, sign-off and
//! history are the source's. Claims stay behind (they say who works on it now). The
//! source is left as it is; a name the target holds already is refused.

use std::path::Path;

use super::audit::{Action, audited};
use super::{Recon, ReconError};
use crate::config::Config;
use crate::store::sessions::{NewSession, SessionError, SessionStore, SqliteSessions, StoreUrl};

/// Which way a session goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    /// From the data directory's SQLite to the shared store.
    Push,
    /// From the shared store to the data directory's SQLite.
    Pull,
}

/// Copies session `name` the `way` says, between `data_dir`'s SQLite and the shared
/// store `store` names; without one, a usage error.
pub fn run(
    data_dir: &Path,
    config: Option<&Config>,
    store: Option<&StoreUrl>,
    name: &str,
    way: Way,
) -> Result<(), ReconError> {
    let Some(url) = store else {
        return Err(ReconError::Usage(
            "push and pull copy a session to or from a shared PostgreSQL: pass --store URL or set [store] url in the config"
                .into(),
        ));
    };
    let mut recon = Recon::open(data_dir, config, Some(url))?;
    copy(&mut recon, url, name, way)
}

/// Copies session `name` the `way` says, between the data directory's SQLite and
/// `recon`'s sessions (the shared store `url` names), audited.
fn copy(recon: &mut Recon, url: &StoreUrl, name: &str, way: Way) -> Result<(), ReconError> {
    let path = SqliteSessions::path_in(&recon.data_dir);
    let mut local = SqliteSessions::open(&path)?;
    let local_name = format!("the data directory's {}", path.display());
    let shared_name = format!("the shared store {url}");
    let (action, target) = match way {
        Way::Push => ("recon_push", url.to_string()),
        Way::Pull => ("recon_pull", path.display().to_string()),
    };
    let audit = Action {
        action,
        session: name,
        target,
        reason: None,
    };
    audited(recon, audit, |recon| {
        let shared = recon.sessions.as_mut();
        let (source, source_name, target, target_name): (
            &mut dyn SessionStore,
            &str,
            &mut dyn SessionStore,
            &str,
        ) = match way {
            Way::Push => (&mut local, &local_name, shared, &shared_name),
            Way::Pull => (shared, &shared_name, &mut local, &local_name),
        };
        let events = copied(source, source_name, target, target_name, name)?;
        Ok(match way {
            Way::Push => {
                format!("pushed {name} ({events} events) to {url}; the local copy is unchanged")
            }
            Way::Pull => format!(
                "pulled {name} ({events} events) from {url} into {}; the shared copy is unchanged",
                path.display()
            ),
        })
    })
}

/// Copies session `name` from `source` into `target`; how many events it has.
fn copied(
    source: &mut dyn SessionStore,
    source_name: &str,
    target: &mut dyn SessionStore,
    target_name: &str,
    name: &str,
) -> Result<usize, ReconError> {
    let summary = source.find(name).map_err(|e| match e {
        SessionError::NoSuchSession(_) => ReconError::Failed(format!(
            "{source_name} holds no session named {name:?}: nothing was copied"
        )),
        e => e.into(),
    })?;
    // Said here with the store's name; `copy_in` refuses it too, should the name be
    // taken between this look and its transaction.
    match target.find(name) {
        Ok(held) => {
            return Err(ReconError::Refused(format!(
                "{target_name} already holds a session named {name:?} (created by {} at {}): nothing was written",
                held.created.who,
                held.created.at.format("%Y-%m-%d %H:%M UTC")
            )));
        }
        Err(SessionError::NoSuchSession(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let events = source.events(summary.id)?;
    let new = NewSession {
        name: summary.name.clone(),
        profiles: summary.profiles.clone(),
        from: summary.from,
        to: summary.to,
    };
    match target.copy_in(&new, &summary.created, &events) {
        Ok(_) => Ok(events.len()),
        Err(SessionError::Refused(why)) => Err(ReconError::Refused(format!(
            "nothing was written to {target_name}: {why}"
        ))),
        Err(e) => Err(e.into()),
    }
}
