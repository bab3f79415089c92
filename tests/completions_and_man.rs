//! `paydeck completions SHELL` and `paydeck man`, through the real binary: each runs,
//! writes to stdout only, and names the subcommands.

use std::process::Command;

const SUBCOMMANDS: [&str; 5] = ["sim", "sync", "recon", "completions", "man"];

/// stdout of paydeck run with `args`, which must succeed and say nothing on stderr.
fn stdout_of(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .args(args)
        .env("PAYDECK_DATA_DIR", std::env::temp_dir())
        .output()
        .expect("paydeck runs");
    assert!(out.status.success(), "{args:?}: {out:?}");
    assert!(out.stderr.is_empty(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn each_shells_completions_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} lacks {sub}");
        }
        assert!(script.contains("--demo"), "{shell} lacks --demo");
    }
}

#[test]
fn the_manual_page_is_roff_naming_the_subcommands_and_exit_status() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH paydeck"),
        "{page}"
    );
    for sub in SUBCOMMANDS {
        assert!(page.contains(sub), "the page lacks {sub}");
    }
    assert!(page.contains("78"), "the exit status is in the page");
}

#[test]
fn an_unknown_shell_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .args(["completions", "tcsh"])
        .output()
        .expect("paydeck runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
