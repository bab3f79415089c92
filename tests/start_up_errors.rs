//! Errors at start-up through the real binary, as a person or a script meets them: the
//! first run with no config says where it goes and suggests the demo, with exit status
//! 78; a broken config is said in plain words, with no advice about backtraces, in
//! colour only on a terminal and never with NO_COLOR set.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::pty::Pty;

/// An empty directory of its own.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paydeck-start-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// paydeck run with `args`, its config and data in `dir`, stdin, stdout and stderr
/// not a terminal.
fn run(dir: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .args(args)
        .env("PAYDECK_CONFIG_DIR", dir)
        .env("PAYDECK_DATA_DIR", dir)
        .env_remove("NO_COLOR")
        // As a person runs it: the advice about backtraces shows only without these.
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .expect("paydeck runs")
}

/// A config file that is not TOML, in `dir`.
fn broken_config(dir: &std::path::Path) -> String {
    let path = dir.join("broken.toml");
    std::fs::write(&path, "[[profile]\nname = \n").expect("config");
    path.display().to_string()
}

#[test]
fn the_first_run_says_where_the_config_goes_suggests_the_demo_and_exits_78() {
    let dir = scratch();
    let out = run(&dir, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(78), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing for a pipe to read");
    let config = dir.join("config.toml");
    assert!(stderr.contains(&config.display().to_string()), "{stderr}");
    assert!(stderr.contains("paydeck --demo"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_broken_config_is_said_plainly_without_colour_when_stderr_is_no_terminal() {
    let dir = scratch();
    let config = broken_config(&dir);
    let out = run(&dir, &["--config", &config]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken.toml"), "names the file: {stderr}");
    assert!(!stderr.contains("Backtrace omitted"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(
        !stderr.contains('\x1b'),
        "no colour into a pipe: {stderr:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// What paydeck wrote to a terminal before it failed on `config`.
fn on_a_terminal(config: &str, env: &[(&str, &str)]) -> String {
    let mut env = env.to_vec();
    env.extend([("RUST_BACKTRACE", "0"), ("RUST_LIB_BACKTRACE", "0")]);
    let mut pty = Pty::spawn_with_env(&["--config", config], &env);
    pty.wait_for("the error", |s| s.contains("broken.toml"));
    assert_eq!(pty.wait_status().exit_code(), 1);
    String::from_utf8_lossy(&pty.raw()).into_owned()
}

#[test]
fn on_a_terminal_the_error_is_in_colour_unless_no_color_is_set() {
    let dir = scratch();
    let config = broken_config(&dir);
    let coloured = on_a_terminal(&config, &[]);
    assert!(coloured.contains("broken.toml"), "{coloured:?}");
    assert!(
        coloured.contains("\x1b["),
        "colour on a terminal: {coloured:?}"
    );
    assert!(!coloured.contains("Backtrace omitted"), "{coloured:?}");
    let plain = on_a_terminal(&config, &[("NO_COLOR", "1")]);
    assert!(plain.contains("broken.toml"), "{plain:?}");
    assert!(!plain.contains("\x1b["), "NO_COLOR: {plain:?}");
    let _ = std::fs::remove_dir_all(dir);
}
