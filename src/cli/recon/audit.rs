//! A session's marks, sign-offs and reopens in the audit log: a `before` line on disk
//! before the event is recorded, an `after` line with how it ended. The lines name the
//! profile `recon:<session>` (never a gateway profile's name, so the dashboard does
//! not take an unfinished mark for a gateway action) and the gateway `recon`.

use super::{Recon, ReconError};
use crate::audit::{self, AuditLog, Entry};
use crate::store::sessions::TEXT_MAX;

/// What is audited: the action (`recon_flag`), the session, the item or match, and
/// the operator's note or reason.
pub struct Action<'a> {
    pub action: &'a str,
    pub session: &'a str,
    pub target: String,
    pub reason: Option<&'a str>,
}

pub(crate) fn write(
    log: &AuditLog,
    a: &Action<'_>,
    key: &str,
    phase: &str,
    result: Option<String>,
) -> Result<(), ReconError> {
    let profile = format!("recon:{}", a.session);
    // Bounded like the session's own texts.
    let reason: Option<String> = a.reason.map(|r| r.chars().take(TEXT_MAX).collect());
    let (user, operator) = log.who();
    log.append(&Entry {
        time: audit::timestamp(),
        user,
        operator,
        profile: &profile,
        gateway: "recon",
        action: a.action,
        target: &a.target,
        amount: None,
        currency: None,
        key,
        phase,
        result,
        reason: reason.as_deref(),
    })
    .map_err(|e| {
        ReconError::Failed(format!(
            "cannot write the audit log {}: {e}; nothing was recorded",
            log.path().display()
        ))
    })
}

/// Runs `act` between a `before` and an `after` line; nothing runs unless the
/// `before` line is on disk. `act` says what it did, for stdout.
pub fn audited(
    recon: &mut Recon,
    action: Action<'_>,
    act: impl FnOnce(&mut Recon) -> Result<String, ReconError>,
) -> Result<(), ReconError> {
    let log = recon.audit_log()?;
    let key = format!("recon-{}", uuid::Uuid::new_v4());
    write(&log, &action, &key, "before", None)?;
    let done = act(recon);
    let result = match &done {
        Ok(_) => "ok".to_string(),
        Err(ReconError::Refused(why)) => format!("refused: {why}"),
        Err(ReconError::Failed(why) | ReconError::Usage(why)) => format!("failed: {why}"),
    };
    write(&log, &action, &key, "after", Some(result))?;
    super::out(&done?)
}
