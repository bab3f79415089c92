//! A gateway profile from a config file, opened in a pseudo-terminal against a
//! simulator the test runs (and may stop and start again, as an outage would).

use std::path::PathBuf;

use paydeck::sim::{self, DialectInfo, RunningSim, SimConfig};
use tokio::runtime::Runtime;

use super::pty::Pty;

/// The environment variable the profile's key is read from.
const KEY_ENV: &str = "PAYDECK_TEST_PROFILE_KEY";

/// Starts a simulator on `addr` (`127.0.0.1:0` for any port) on `runtime`'s threads.
pub fn start_sim(runtime: &Runtime, addr: &str, config: SimConfig) -> RunningSim {
    paydeck::gateway::http::install_crypto_provider();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        sim::start(listener, config).await.expect("sim")
    })
}

/// A profile named `sim` for `gateway` (`pin`, `stripe` or `trx`) on `dialect`.
pub struct Profile {
    pub pty: Pty,
    config: PathBuf,
}

impl Profile {
    pub fn open(gateway: &str, dialect: &DialectInfo) -> Profile {
        let config =
            std::env::temp_dir().join(format!("paydeck-{gateway}-{}.toml", uuid::Uuid::new_v4()));
        std::fs::write(
            &config,
            format!(
                "[[profile]]\nname = \"sim\"\ngateway = \"{gateway}\"\nenvironment = \"test\"\n\
                 base_url = \"{}\"\nkey_env = \"{KEY_ENV}\"\n",
                dialect.url
            ),
        )
        .expect("config");
        let config_arg = config.display().to_string();
        let pty = Pty::spawn_with_env(
            &["--config", &config_arg],
            &[(KEY_ENV, dialect.key.as_str())],
        );
        pty.wait_for("the first charges", |s| s.contains("updated"));
        Profile { pty, config }
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.config);
    }
}
