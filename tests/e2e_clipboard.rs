//! Copying from a whole session: a clipboard tool that hangs does not stop the
//! dashboard, and `Y` copies the selected charge's amount and email as the simulator
//! has them.

mod common;

use common::demo::{block_on, demo_with_env, gateway};
use common::pty::free_port;
use paydeck::gateway::Charges;

/// A directory holding an `xclip` that runs `body` (found before any real one), and
/// the PATH that finds it.
fn fake_xclip(body: &str) -> (std::path::PathBuf, String) {
    let tools = std::env::temp_dir().join(format!("paydeck-tools-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&tools).expect("tools dir");
    let xclip = tools.join("xclip");
    std::fs::write(&xclip, format!("#!/bin/sh\n{body}\n")).expect("xclip");
    std::fs::set_permissions(&xclip, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("xclip is executable");
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (tools, path)
}

#[test]
fn big_y_copies_the_selected_charges_amount_and_email() {
    // An `xclip` that keeps what it is given in `copied` beside it.
    let (tools, path) = fake_xclip(r#"cat > "$(dirname "$0")/copied""#);
    let port = free_port();
    let mut pty = demo_with_env(port, &[], &[("PATH", &path), ("DISPLAY", ":99")]);
    // The selected charge (the first row) by its id, as the simulator has it.
    let id = pty
        .contents()
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with("ch_"))
                .map(str::to_string)
        })
        .expect("a charge on screen");
    let charge = block_on(gateway(port).get_charge(&id)).expect("the simulator's charge");
    let copied = tools.join("copied");

    pty.send("Y");
    pty.wait_for_text(&format!("copy from charge {id}"));
    pty.send("\r");
    pty.wait_for_text("Copied the amount (system clipboard)");
    let amount = std::fs::read_to_string(&copied).expect("the copied amount");
    assert_eq!(
        amount,
        format!(
            "{} {}",
            charge.amount.plain(),
            charge.amount.currency.code()
        )
    );

    pty.send("Y");
    pty.wait_for_text(&format!("copy from charge {id}"));
    pty.send("j\r");
    pty.wait_for_text("Copied the email (system clipboard)");
    let email = std::fs::read_to_string(&copied).expect("the copied email");
    assert_eq!(Some(email.as_str()), charge.email.as_deref());

    pty.send("y");
    pty.wait_for_text("Copied the charge id (system clipboard)");
    assert_eq!(std::fs::read_to_string(&copied).expect("the id"), id);
    pty.quit();
    let _ = std::fs::remove_dir_all(tools);
}

#[test]
fn a_hanging_clipboard_tool_leaves_the_keys_working() {
    // An `xclip` that never finishes.
    let (tools, path) = fake_xclip("exec sleep 60");
    let mut pty = demo_with_env(free_port(), &[], &[("PATH", &path), ("DISPLAY", ":99")]);
    pty.send("y");
    // The help opens while the tool still hangs.
    pty.send("?");
    pty.wait_for_text("copy the amount, email or JSON");
    // The tool is given up on and the terminal asked instead.
    pty.send("q");
    pty.wait_for_text("Copied the charge id (OSC 52)");
    pty.quit();
    let _ = std::fs::remove_dir_all(tools);
}
