//! Runs paydeck in a pseudo-terminal and reads its screen, as a person would see it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const COLS: u16 = 160;
pub const ROWS: u16 = 45;
/// Generous: CI machines are slow, and a wait ends as soon as its condition holds.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// Everything paydeck wrote, escape sequences included.
    raw: Arc<Mutex<Vec<u8>>>,
    pub data_dir: PathBuf,
    /// Removed when the pty is dropped, unless the test brought its own.
    owns_data_dir: bool,
}

impl Pty {
    pub fn spawn(args: &[&str]) -> Pty {
        Pty::spawn_with_env(args, &[])
    }

    pub fn spawn_with_env(args: &[&str], env: &[(&str, &str)]) -> Pty {
        Pty::spawn_sized(args, env, COLS, ROWS)
    }

    /// In a terminal of `cols` × `rows`, for what small windows show.
    pub fn spawn_sized(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let data_dir = std::env::temp_dir().join(format!("paydeck-e2e-{}", uuid::Uuid::new_v4()));
        let mut pty = Pty::spawn_in_sized(&data_dir, args, env, cols, rows);
        pty.owns_data_dir = true;
        pty
    }

    /// paydeck with a data directory the test keeps across runs (and removes itself).
    pub fn spawn_in(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Pty {
        Pty::spawn_in_sized(data_dir, args, env, COLS, ROWS)
    }

    fn spawn_in_sized(
        data_dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let data_dir = data_dir.to_path_buf();
        std::fs::create_dir_all(&data_dir).expect("data dir");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_paydeck"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env("PAYDECK_DATA_DIR", &data_dir);
        command.env("PAYDECK_CONFIG_DIR", &data_dir);
        command.env_remove("DISPLAY");
        command.env_remove("WAYLAND_DISPLAY");
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).expect("paydeck starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(rows), size(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        // Drain the pty on a thread of its own, or paydeck blocks on a full pipe.
        let (screen_in, raw_in) = (screen.clone(), raw.clone());
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen_in.lock().unwrap().process(&buf[..n]);
                raw_in.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            child,
            _master: pair.master,
            writer,
            screen,
            raw,
            data_dir,
            owns_data_dir: false,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Waits until the screen satisfies `ready`; panics with the screen if it never does.
    pub fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.contents();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > PATIENCE {
                panic!("waited {PATIENCE:?} for {what}; the screen:\n{screen}");
            }
            thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(text, |screen| screen.contains(text))
    }

    /// Waits until every one of `texts` is on the screen at once.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        let what = texts.join(" and ");
        self.wait_for(&what, |screen| texts.iter().all(|t| screen.contains(t)))
    }

    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("keys reach paydeck");
        self.writer.flush().expect("flush");
    }

    pub fn backspaces(&mut self, n: usize) {
        self.send(&"\x7f".repeat(n));
    }

    /// Whether the terminal's line discipline is back in cooked mode (echo and line
    /// editing on), as a shell expects after paydeck leaves raw mode.
    pub fn tty_is_cooked(&self) -> bool {
        let Some(fd) = self._master.as_raw_fd() else {
            return false;
        };
        // SAFETY: a zeroed termios is a valid out-parameter; `fd` is the open master.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut termios) } != 0 {
            return false;
        }
        termios.c_lflag & libc::ICANON != 0 && termios.c_lflag & libc::ECHO != 0
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// The exit status, once paydeck has exited.
    pub fn wait_status(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status;
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("paydeck did not exit; the screen:\n{}", self.contents());
            }
            thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits for paydeck to exit; true if it exited successfully.
    pub fn wait_exit(&mut self) -> bool {
        self.wait_status().success()
    }

    /// Presses q and waits for paydeck to exit successfully.
    pub fn quit(&mut self) {
        self.send("q");
        assert!(self.wait_exit(), "paydeck exits cleanly on q");
    }

    /// Sends paydeck a signal with `kill`, by name (`TERM`, `QUIT`, `KILL`, ...).
    pub fn signal(&self, name: &str) {
        let pid = self.pid().expect("a pid").to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -{name} {pid}");
    }

    pub fn audit_lines(&self) -> Vec<serde_json::Value> {
        audit_lines_in(&self.data_dir)
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        if self.owns_data_dir {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

/// Each audit line's action and phase (`before` or `after`), in order.
pub fn audit_phases(audit: &[serde_json::Value]) -> Vec<(&str, &str)> {
    audit
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap_or(""),
                l["phase"].as_str().unwrap_or(""),
            )
        })
        .collect()
}

/// The `(action, phase)` pairs of a log where each of `actions` ran to its end in
/// turn: its `before` line, then its `after` line.
pub fn before_and_after<'a>(actions: &[&'a str]) -> Vec<(&'a str, &'static str)> {
    actions
        .iter()
        .flat_map(|action| [(*action, "before"), (*action, "after")])
        .collect()
}

/// The audit log in a data directory, a line each.
pub fn audit_lines_in(data_dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(data_dir.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).expect("audit lines are JSON"))
        .collect()
}

/// Whether `raw` ends with the terminal given back: alternate screen left, mouse and
/// bracketed paste off, cursor shown, each after the last time it was turned on.
pub fn terminal_restored(raw: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(raw);
    for (on, off, what) in [
        ("\x1b[?1049h", "\x1b[?1049l", "alternate screen"),
        ("\x1b[?1000h", "\x1b[?1000l", "mouse capture"),
        ("\x1b[?2004h", "\x1b[?2004l", "bracketed paste"),
        ("\x1b[?25l", "\x1b[?25h", "hidden cursor"),
    ] {
        let last_on = text
            .rfind(on)
            .ok_or(format!("{what} was never turned on"))?;
        match text.rfind(off) {
            Some(last_off) if last_off > last_on => {}
            _ => return Err(format!("{what} was left on")),
        }
    }
    Ok(())
}

/// A loopback port nobody is using now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
