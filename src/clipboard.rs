//! Copying text for the operator: the system clipboard through the platform's own tool
//! where there is one, else OSC 52, which asks the terminal itself (and works over SSH).

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;

/// Copies `text`; says how, or why it could not.
pub fn copy(text: &str) -> Result<&'static str, String> {
    for (tool, args) in tools() {
        if pipe_to(tool, args, text).is_ok() {
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

fn pipe_to(tool: &str, args: &[&str], text: &str) -> std::io::Result<()> {
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
    if child.wait()?.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("{tool} failed")))
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
}
