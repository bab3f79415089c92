//! Every file in tests/configs/valid must load; every file in tests/configs/invalid must
//! fail with the message its first line promises (`# expect: <text>`), at the line its
//! second line names (`# line: <n>`), naming the file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use paydeck::config::{self, Environment, KeySource, ThemeName};
use paydeck::gateway::registry::GATEWAYS;

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/configs")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// The text after `# <tag>:` on line `index` of the file.
fn header(text: &str, index: usize, tag: &str, path: &Path) -> String {
    let prefix = format!("# {tag}:");
    text.lines()
        .nth(index)
        .and_then(|line| line.strip_prefix(&prefix))
        .map(|rest| rest.trim().to_string())
        .unwrap_or_else(|| {
            panic!(
                "{}: line {} must be `{prefix} ...`",
                path.display(),
                index + 1
            )
        })
}

#[test]
fn valid_configs_load() {
    let files = fixtures("valid");
    assert!(files.len() >= 6, "only {} valid fixtures", files.len());
    for path in files {
        match config::load(Some(&path)) {
            Ok(Some(config)) => assert_eq!(config.path.as_deref(), Some(path.as_path())),
            Ok(None) => panic!("{}: loaded as no config", path.display()),
            Err(e) => panic!("{} should load, but: {e}", path.display()),
        }
    }
}

#[test]
fn invalid_configs_say_where_and_what() {
    let files = fixtures("invalid");
    assert!(files.len() >= 12, "only {} invalid fixtures", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a readable fixture");
        let expect = header(&text, 0, "expect", &path);
        let line = header(&text, 1, "line", &path);
        let err = match config::load(Some(&path)) {
            Ok(_) => panic!("{} should fail with {expect:?}, but loaded", path.display()),
            Err(e) => e.to_string(),
        };
        println!("{err}"); // `cargo test -- --nocapture` shows every message
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 name");
        assert!(
            err.contains(&expect),
            "{file_name}: expected {expect:?} in\n  {err}"
        );
        assert!(
            err.starts_with(&format!("{}:{line}:", path.display())),
            "{file_name}: expected the error at line {line}:\n  {err}"
        );
        assert!(err.contains(file_name), "{err}");
        assert!(
            !err.contains("hunter2"),
            "{file_name}: the message shows a secret:\n  {err}"
        );
    }
}

#[test]
fn the_full_example_means_what_it_says() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/valid/full.toml");
    let config = config::load(Some(&path)).unwrap().unwrap();
    assert_eq!(config.poll_interval, Duration::from_secs(2));
    assert_eq!(config.theme, ThemeName::Light);
    assert!(config.read_only);
    assert_eq!(config.default_profile.as_deref(), Some("stripe-live"));
    let names: Vec<&str> = config.keys.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["capture", "down", "up", "refund", "help", "quit"]);
    assert_eq!(config.keys[1].1, ["j", "ctrl-n"]);
    assert!(config.keys[3].1.is_empty());
    let names: Vec<&str> = config.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["pin-test", "stripe-live", "trx"]);
    let live = config.profile(None).unwrap();
    assert_eq!(live.gateway.config_name, "stripe");
    assert_eq!(live.environment, Environment::Live);
    assert_eq!(
        live.key,
        KeySource::Command("pass show stripe/live | head -n 1".into())
    );
    assert!(config.is_read_only(live));
    let pin = config.profile(Some("pin-test")).unwrap();
    assert_eq!(pin.key, KeySource::Env("PAYDECK_SIM_PIN_KEY".into()));
    assert_eq!(pin.base_url.as_deref(), Some("http://127.0.0.1:4010/pin/1"));
}

#[test]
fn the_example_in_the_repository_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let config = config::load(Some(&path))
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a config");
    assert!(
        config.profiles.len() >= 4,
        "the example shows every gateway"
    );
    for gateway in GATEWAYS {
        assert!(
            config.profiles.iter().any(|p| p.gateway == *gateway),
            "the example has no {} profile",
            gateway.config_name
        );
    }
    assert!(!config.keys.is_empty(), "the example shows [keys]");
    assert!(config.profile(None).is_ok());
    // Its [store] is commented out (a store that is not there would be waited for);
    // written in, it reads.
    let text = std::fs::read_to_string(&path).expect("the example");
    let (_, store) = text
        .split_once("# [store]\n")
        .expect("the example shows [store]");
    let store: String = store
        .lines()
        .map_while(|l| l.strip_prefix("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    let config =
        config::parse(&format!("[store]\n{store}"), &path).unwrap_or_else(|e| panic!("{e}"));
    assert!(config.store.url.is_some() && config.store.password.is_some());
}

#[test]
fn two_real_messages() {
    let path = Path::new("config.toml");
    let err = config::parse("poll_interval_secs = 1\n", path).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config.toml:1:22: poll_interval_secs is 1, but the minimum is 2 seconds; \
         write poll_interval_secs = 2 or more"
    );
    let err = config::parse("[[profile]]\nname = \"a\"\ngateway = \"pni\"\n", path).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config.toml:3:11: unknown gateway \"pni\" (did you mean \"pin\"?); \
         expected one of \"pin\", \"stripe\", \"openpay\", \"trx\""
    );
}

#[test]
fn the_timezone_setting_is_read_and_defaults_to_the_systems() {
    use paydeck::timezone::Zone;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/valid");
    let zone = |name: &str| {
        config::load(Some(&dir.join(name)))
            .unwrap()
            .unwrap()
            .timezone
    };
    assert_eq!(zone("timezone.toml"), Zone::parse("+10:00").unwrap());
    assert_eq!(zone("empty.toml"), Zone::Local);
}
