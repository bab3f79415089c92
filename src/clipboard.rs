//! Copying text for the operator: the system clipboard through the platform's own tool
//! where there is one, else OSC 52, which asks the terminal itself (and works over SSH).
//! It blocks while a tool runs, at most [`TOOL_WAIT`] each: the runner calls it off the
//! event loop.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a clipboard tool may take before it is stopped and the next is tried.
pub const TOOL_WAIT: Duration = Duration::from_secs(2);
/// How often a running tool is asked whether it has finished.
const TOOL_POLL: Duration = Duration::from_millis(10);

use base64::Engine;

/// Copies `text`; says how, or why it could not.
pub fn copy(text: &str) -> Result<&'static str, String> {
    for (tool, args) in tools() {
        if pipe_to(tool, args, text, TOOL_WAIT).is_ok() {
            return Ok("system clipboard");
        }
    }
    osc52(text).map(|()| "OSC 52").map_err(|e| e.to_string())
}

/// The clipboard tools worth trying here, in order.
fn tools() -> Vec<(&'static str, &'static [&'static str])> {
    let mut tools: Vec<(&'static str, &'static [&'static str])> = Vec::new();
    if cfg!(target_os = "macos") {
        tools.push(("pbcopy", &[]));
    }
    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        tools.push(("wl-copy", &[]));
    }
    if std::env::var_os("DISPLAY").is_some() {
        tools.push(("xclip", &["-selection", "clipboard"]));
        tools.push(("xsel", &["--clipboard", "--input"]));
    }
    tools
}

/// Gives `text` to `tool`, stopping it if it has not finished within `wait`.
fn pipe_to(tool: &str, args: &[&str], text: &str, wait: Duration) -> std::io::Result<()> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    if let Some(stdin) = child.stdin.as_mut() {
        stdin.write_all(text.as_bytes())?;
    }
    drop(child.stdin.take());
    let deadline = Instant::now() + wait;
    loop {
        match child.try_wait()? {
            Some(status) if status.success() => return Ok(()),
            Some(_) => return Err(std::io::Error::other(format!("{tool} failed"))),
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(std::io::Error::other(format!("{tool} did not finish")));
            }
            // std has no wait with a timeout; the tools finish in milliseconds.
            None => std::thread::sleep(TOOL_POLL),
        }
    }
}

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52_sequence(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

fn osc52(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(osc52_sequence(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_encodes_the_text() {
        assert_eq!(osc52_sequence("ch_1"), "\x1b]52;c;Y2hfMQ==\x07");
    }

    #[test]
    fn a_tool_that_hangs_is_stopped_and_reported() {
        let started = Instant::now();
        let err = pipe_to("sleep", &["30"], "ch_1", Duration::from_millis(200)).unwrap_err();
        assert!(err.to_string().contains("did not finish"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "it was waited for"
        );
        assert!(pipe_to("cat", &[], "ch_1", TOOL_WAIT).is_ok());
        let refuses = pipe_to("sh", &["-c", "cat; exit 1"], "ch_1", TOOL_WAIT).unwrap_err();
        assert!(refuses.to_string().contains("sh failed"), "{refuses}");
    }
}
