//! A profile's key_command seen from outside: paydeck says what it is waiting for while
//! the command runs, and refuses a "key" no gateway would issue, naming the profile.

mod common;

use std::process::Command;

use common::pty::{Pty, free_port};

/// A config directory holding one Pin profile whose key comes from `key`, a line of TOML.
fn config_dir(profile: &str, key: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("paydeck-key-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("config dir");
    // Nothing listens on the port: the dashboard opens and says the gateway is unreachable.
    let toml = format!(
        "[[profile]]\nname = \"{profile}\"\ngateway = \"pin\"\nenvironment = \"test\"\n\
         base_url = \"http://127.0.0.1:{}/1\"\n{key}\n",
        free_port()
    );
    std::fs::write(dir.join("config.toml"), toml).expect("config file");
    dir
}

#[test]
fn a_slow_key_command_is_waited_for_out_loud() {
    let dir = config_dir("slow-key", "key_command = \"sleep 3; printf pin_test_key\"");
    let config = dir.join("config.toml");
    let pty = Pty::spawn(&["--config", config.to_str().expect("a UTF-8 path")]);
    pty.wait_for_text("paydeck: profile \"slow-key\": waiting for key_command (1 s)…");
    pty.wait_for_text("waiting for key_command (2 s)…");
    // Then the dashboard opens on the profile.
    pty.wait_for("the dashboard", |s| {
        s.contains("slow-key") && !s.contains("waiting for key_command")
    });
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn switching_to_a_profile_with_a_slow_key_command_says_so_on_screen() {
    let dir = config_dir("quick-key", "key_command = \"printf pin_test_key\"");
    let slow = format!(
        "[[profile]]\nname = \"slow-key\"\ngateway = \"pin\"\nenvironment = \"test\"\n\
         base_url = \"http://127.0.0.1:{}/1\"\nkey_command = \"sleep 3; printf pin_test_key\"\n",
        free_port()
    );
    let config = dir.join("config.toml");
    let quick = std::fs::read_to_string(&config).expect("config file");
    std::fs::write(&config, quick + &slow).expect("config file");
    let mut pty = Pty::spawn(&["--config", config.to_str().expect("a UTF-8 path")]);
    pty.wait_for_text("quick-key");
    pty.send(":profile slow-key\r");
    pty.wait_for_text("waiting for key_command (1 s)…");
    pty.wait_for("the slow profile", |s| {
        s.contains("slow-key") && !s.contains("quick-key") && !s.contains("waiting for key_command")
    });
    let _ = std::fs::remove_dir_all(dir);
}

fn refused(profile: &str, key: &str, env: &[(&str, &str)]) -> String {
    let dir = config_dir(profile, key);
    let out = Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .env("PAYDECK_DATA_DIR", &dir)
        .envs(env.iter().copied())
        .output()
        .expect("paydeck runs");
    let _ = std::fs::remove_dir_all(dir);
    assert!(
        !out.status.success(),
        "paydeck started with an impossible key"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_key_longer_than_any_key_is_refused_naming_the_profile() {
    let err = refused(
        "huge-key",
        "key_command = \"head -c 10485760 /dev/zero | tr '\\\\0' k\"",
        &[],
    );
    assert!(err.contains("profile \"huge-key\": key_command"), "{err}");
    assert!(
        err.contains("printed 10485760 bytes, more than a key can be (at most 4096)"),
        "{err}"
    );
    assert!(!err.contains("kkkk"), "the output is never shown: {err}");

    let long = "k".repeat(5000);
    let err = refused(
        "long-env",
        "key_env = \"PAYDECK_TEST_LONG_KEY\"",
        &[("PAYDECK_TEST_LONG_KEY", &long)],
    );
    assert!(
        err.contains("profile \"long-env\": the environment variable PAYDECK_TEST_LONG_KEY"),
        "{err}"
    );
    assert!(err.contains("holds 5000 bytes"), "{err}");
    assert!(!err.contains("kkkk"), "the key is never shown: {err}");
}
