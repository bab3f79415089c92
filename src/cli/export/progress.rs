//! The progress line on stderr, only when stderr is a terminal: rows written so far,
//! rewritten in place at most a few times a second and erased at the end.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::sync::grouped;

/// How often the line is rewritten, at most.
const EVERY: Duration = Duration::from_millis(200);

pub struct Progress {
    terminal: bool,
    what: String,
    shown: Option<Instant>,
}

impl Progress {
    /// `what`: `charges from the gateway`.
    pub fn new(what: String) -> Progress {
        Progress {
            terminal: std::io::stderr().is_terminal(),
            what,
            shown: None,
        }
    }

    pub fn tell(&mut self, written: u64) {
        if !self.terminal || self.shown.is_some_and(|at| at.elapsed() < EVERY) {
            return;
        }
        eprint!(
            "\r\x1b[Kpaydeck export: {} {}…",
            grouped(written),
            self.what
        );
        self.shown = Some(Instant::now());
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}
