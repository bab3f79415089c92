//! Who the audit log names: the account the process runs as, whatever `$USER` says,
//! and the config's `operator`.

mod common;

use common::demo::{api_operations, capture_first_authorised, demo_with_env};
use common::pty::free_port;

/// The name the user database gives this process's uid.
fn account() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("id runs");
    String::from_utf8(out.stdout)
        .expect("a UTF-8 name")
        .trim()
        .to_string()
}

#[test]
fn the_audit_log_names_the_uids_account_and_the_operator_not_user() {
    let config = std::env::temp_dir().join(format!("paydeck-op-{}.toml", uuid::Uuid::new_v4()));
    std::fs::write(&config, "operator = \"Ada Lovelace\"\n").expect("config");
    let port = free_port();
    let config_arg = config.display().to_string();
    let mut pty = demo_with_env(
        port,
        &["--config", &config_arg],
        &[("USER", "mallory"), ("LOGNAME", "mallory")],
    );
    capture_first_authorised(&mut pty);
    assert_eq!(api_operations(port).len(), 1);

    let audit = pty.audit_lines();
    assert_eq!(audit.len(), 2, "{audit:?}");
    let me = account();
    assert_ne!(me, "mallory");
    for line in &audit {
        assert_eq!(line["user"], me.as_str(), "{line}");
        assert_eq!(line["operator"], "Ada Lovelace", "{line}");
    }
    pty.quit();
    let _ = std::fs::remove_file(config);
}
