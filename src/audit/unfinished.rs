//! Reading the audit log back: the actions that have a `before` line and no `after`,
//! because paydeck was killed or crashed while they were in flight.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;

/// A line longer than this was not written by paydeck; it is skipped.
const MAX_LINE: u64 = 64 * 1024;
/// At most this many unfinished actions are kept (the newest); more means a log that
/// is not paydeck's, and they would not fit on a screen anyway.
const MAX_UNFINISHED: usize = 50;

/// One `before` line, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Recorded {
    pub time: String,
    pub profile: String,
    pub gateway: String,
    pub action: String,
    pub target: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub key: String,
    pub phase: String,
}

/// The `before` lines of `profile` with no `after` line for the same key, oldest first.
/// A missing log has none; a torn or foreign line is skipped.
pub fn unfinished(path: &Path, profile: &str) -> std::io::Result<Vec<Recorded>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::new(file);
    let mut open: HashMap<String, (usize, Recorded)> = HashMap::new();
    let mut line = Vec::new();
    for n in 0.. {
        line.clear();
        let read = (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if !line.ends_with(b"\n") && read as u64 == MAX_LINE {
            // Too long: skip to the end of it.
            let mut rest = Vec::new();
            reader.read_until(b'\n', &mut rest)?;
            tracing::warn!(line = n + 1, "skipped an over-long audit log line");
            continue;
        }
        let Ok(recorded) = serde_json::from_slice::<Recorded>(&line) else {
            tracing::warn!(
                line = n + 1,
                "skipped an audit log line that is not an entry"
            );
            continue;
        };
        if recorded.profile != profile {
            continue;
        }
        match recorded.phase.as_str() {
            "before" => {
                open.insert(recorded.key.clone(), (n, recorded));
            }
            _ => {
                open.remove(&recorded.key);
            }
        }
    }
    let mut left: Vec<(usize, Recorded)> = open.into_values().collect();
    left.sort_by_key(|(n, _)| *n);
    let skip = left.len().saturating_sub(MAX_UNFINISHED);
    Ok(left.into_iter().skip(skip).map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(profile: &str, key: &str, phase: &str) -> String {
        format!(
            r#"{{"time":"2026-11-29T17:00:00.000Z","user":"ada","profile":"{profile}","gateway":"Pin Payments","action":"capture","target":"ch_1","amount":"20.00","currency":"AUD","key":"{key}","phase":"{phase}","result":null}}"#
        )
    }

    #[test]
    fn a_before_without_an_after_is_unfinished_once_per_profile() {
        let path =
            std::env::temp_dir().join(format!("paydeck-audit-{}.jsonl", uuid::Uuid::new_v4()));
        let text = [
            line("p", "k1", "before"),
            line("p", "k1", "after"),
            line("p", "k2", "before"),
            line("other", "k3", "before"),
            "{\"torn\": ".to_string(),
            line("p", "k4", "before"),
        ]
        .join("\n");
        // The last line was cut short by the kill: no newline, still whole JSON.
        std::fs::write(&path, text).unwrap();
        let left = unfinished(&path, "p").unwrap();
        let keys: Vec<&str> = left.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["k2", "k4"]);
        assert_eq!(left[0].amount.as_deref(), Some("20.00"));

        // Once an outcome line is written for k2, it is no longer unfinished.
        let mut more = std::fs::read_to_string(&path).unwrap();
        more.push('\n');
        more.push_str(&line("p", "k2", "after"));
        std::fs::write(&path, more).unwrap();
        let keys: Vec<String> = unfinished(&path, "p")
            .unwrap()
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(keys, ["k4"]);
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn no_log_no_unfinished() {
        let path = std::env::temp_dir().join(format!("paydeck-none-{}", uuid::Uuid::new_v4()));
        assert!(unfinished(&path, "p").unwrap().is_empty());
    }
}
