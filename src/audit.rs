//! The audit log: one JSON line per operator action before it is sent, and one after
//! its result, written and flushed to disk each time, so that nothing an operator did
//! is lost even if paydeck dies mid-request.

mod unfinished;

pub use unfinished::{Recorded, unfinished};

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

/// One line of the log.
#[derive(Debug, Clone, Serialize)]
pub struct Entry<'a> {
    pub time: String,
    /// The operating-system account running paydeck, from the process's uid.
    pub user: &'a str,
    /// The `operator` the config names, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<&'a str>,
    pub profile: &'a str,
    pub gateway: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    /// Exact decimal text, never a float.
    pub amount: Option<String>,
    pub currency: Option<&'a str>,
    /// The idempotency key, or for gateways without them the check-before-retry key.
    pub key: &'a str,
    /// `before` the request is sent, `after` its result.
    pub phase: &'a str,
    /// `ok`, `failed: …` or `unconfirmed: …`; absent before the request.
    pub result: Option<String>,
    /// The operator's reason for a refund, kept here whether or not the gateway stores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
    file: Arc<Mutex<File>>,
    user: Arc<str>,
    operator: Option<Arc<str>>,
}

impl AuditLog {
    /// Opens (creating if need be) the log at `path` for appending.
    pub fn open(path: &Path) -> std::io::Result<AuditLog> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file: Arc::new(Mutex::new(file)),
            user: os_user().into(),
            operator: None,
        })
    }

    /// Names the person at the keyboard in every line (the config's `operator`).
    pub fn with_operator(mut self, operator: Option<&str>) -> AuditLog {
        self.operator = operator.map(Arc::from);
        self
    }

    /// Who the lines name: the OS user, and the operator if the config names one.
    pub fn who(&self) -> (&str, Option<&str>) {
        (&self.user, self.operator.as_deref())
    }

    /// `audit.jsonl` in the data directory.
    pub fn default_path() -> PathBuf {
        AuditLog::path_in(&crate::logging::data_dir())
    }

    /// `audit.jsonl` in `data_dir`.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join("audit.jsonl")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and makes sure it reached the disk before returning.
    pub fn append(&self, entry: &Entry<'_>) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(line.as_bytes())?;
        file.flush()?;
        file.sync_data()
    }
}

/// Now, as the log writes it.
pub fn timestamp() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The operating-system user running paydeck: the account of the process's real uid,
/// as the system's user database names it (`uid N` if it has no name there). Never
/// `$USER`, which anyone can set to anything.
pub fn os_user() -> String {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    account_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The user database's name for `uid`, through getpwuid_r (so NSS sources such as
/// LDAP count too, not only /etc/passwd).
fn account_name(uid: libc::uid_t) -> Option<String> {
    // Entries are small; a buffer past 1 MiB means something is wrong, not a long name.
    let mut size = 1024;
    while size <= 1 << 20 {
        let mut buf: Vec<libc::c_char> = vec![0; size];
        // SAFETY: a zeroed passwd is a valid out-parameter for getpwuid_r.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call, and `buf` holds `size` bytes.
        let rc = unsafe { libc::getpwuid_r(uid, &mut entry, buf.as_mut_ptr(), size, &mut found) };
        if rc == libc::ERANGE {
            size *= 4;
            continue;
        }
        if rc != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name points to a NUL-terminated string inside `buf`,
        // which is still alive here.
        let name = unsafe { std::ffi::CStr::from_ptr(entry.pw_name) };
        let name = name.to_string_lossy().trim().to_string();
        return (!name.is_empty()).then_some(name);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_whole_lines() {
        let path =
            std::env::temp_dir().join(format!("paydeck-audit-{}.jsonl", uuid::Uuid::new_v4()));
        let log = AuditLog::open(&path).unwrap().with_operator(Some("Ada"));
        for phase in ["before", "after"] {
            let (user, operator) = log.who();
            log.append(&Entry {
                time: timestamp(),
                user,
                operator,
                profile: "demo",
                gateway: "Pin Payments",
                action: "refund",
                target: "ch_1",
                amount: Some("12.50".into()),
                currency: Some("AUD"),
                key: "pd_1",
                phase,
                result: (phase == "after").then(|| "ok".into()),
                reason: Some("damaged in transit"),
            })
            .unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["phase"], "before");
        assert_eq!(lines[0]["amount"], "12.50");
        assert_eq!(lines[1]["result"], "ok");
        assert_eq!(lines[0]["reason"], "damaged in transit");
        assert_eq!(lines[0]["operator"], "Ada");
        let _ = std::fs::remove_file(path);
    }
}
