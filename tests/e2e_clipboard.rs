//! Copying from a whole session: a clipboard tool that hangs does not stop the dashboard.

mod common;

use common::demo::demo_with_env;
use common::pty::free_port;

#[test]
fn a_hanging_clipboard_tool_leaves_the_keys_working() {
    let tools = std::env::temp_dir().join(format!("paydeck-tools-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&tools).expect("tools dir");
    // An `xclip` that never finishes, found before any real one.
    let xclip = tools.join("xclip");
    std::fs::write(&xclip, "#!/bin/sh\nexec sleep 60\n").expect("xclip");
    std::fs::set_permissions(&xclip, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("xclip is executable");
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut pty = demo_with_env(free_port(), &[], &[("PATH", &path), ("DISPLAY", ":99")]);
    pty.send("y");
    // The help opens while the tool still hangs.
    pty.send("?");
    pty.wait_for_text("copy the charge id");
    // The tool is given up on and the terminal asked instead.
    pty.send("q");
    pty.wait_for_text("Copied the charge id (OSC 52)");
    pty.quit();
    let _ = std::fs::remove_dir_all(tools);
}
