//! A gateway profile from a config file, opened in a pseudo-terminal against a
//! simulator the test runs (and may stop and start again, as an outage would).

use std::path::PathBuf;

use paydeck::sim::SimConfig;
use tokio::runtime::Runtime;

use super::pty::Pty;
use super::simulator::{self, Dialect, Sim};

/// The environment variable the profile's key is read from.
pub const KEY_ENV: &str = "PAYDECK_TEST_PROFILE_KEY";

/// Starts `dialect`'s simulator on `addr` (`127.0.0.1:0` for any port) on `runtime`'s
/// threads, which serve it while the test drives the terminal.
pub fn start_sim(runtime: &Runtime, addr: &str, dialect: Dialect, config: SimConfig) -> Sim {
    runtime.block_on(simulator::start_on(addr, dialect, config))
}

/// A config file with one profile on a simulator's dialect, removed when dropped.
pub struct ProfileFile {
    pub path: PathBuf,
}

impl ProfileFile {
    /// A profile named `name` on `sim`'s dialect, its key read from [`KEY_ENV`].
    pub fn write(name: &str, sim: &Sim) -> ProfileFile {
        let gateway = sim.dialect.name();
        let place = match sim.dialect {
            Dialect::Openpay => {
                let (api, merchant) = sim.openpay_base_and_merchant();
                format!("base_url = \"{api}\"\nmerchant_id = \"{merchant}\"\ncountry = \"mx\"\n")
            }
            _ => format!("base_url = \"{}\"\n", sim.url),
        };
        let path =
            std::env::temp_dir().join(format!("paydeck-{gateway}-{}.toml", uuid::Uuid::new_v4()));
        std::fs::write(
            &path,
            format!(
                "[[profile]]\nname = \"{name}\"\ngateway = \"{gateway}\"\nenvironment = \"test\"\n\
                 {place}key_env = \"{KEY_ENV}\"\n"
            ),
        )
        .expect("config");
        ProfileFile { path }
    }

    /// paydeck on this profile, in a fresh data directory.
    pub fn spawn(&self, sim: &Sim) -> Pty {
        let config_arg = self.path.display().to_string();
        Pty::spawn_with_env(&["--config", &config_arg], &[(KEY_ENV, sim.key.as_str())])
    }
}

impl Drop for ProfileFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A profile named `sim` on a simulator's dialect, open in a pseudo-terminal.
pub struct Profile {
    pub pty: Pty,
    _file: ProfileFile,
}

impl Profile {
    /// Opens the profile and waits for the first charges.
    pub fn open(sim: &Sim) -> Profile {
        Profile::named("sim", sim)
    }

    /// [`Profile::open`] with the profile named `name`.
    pub fn named(name: &str, sim: &Sim) -> Profile {
        let file = ProfileFile::write(name, sim);
        let pty = file.spawn(sim);
        pty.wait_for("the first charges", |s| s.contains("updated"));
        Profile { pty, _file: file }
    }
}
