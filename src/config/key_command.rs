//! Running a profile's `key_command`: in a process group of its own, so that a command
//! that hangs is stopped whole (the shell and everything it started), with its output
//! read up to a bound, and the caller told once a second how long it has been waiting.

use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a `key_command` may take (a password manager may ask for a passphrase).
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// What is kept of a command's stdout: far more than any key, and small enough that a
/// command printing without end cannot fill memory. The rest is read and counted.
const OUTPUT_CAP: u64 = 64 * 1024;

/// How often the command is looked at while it runs.
const POLL: Duration = Duration::from_millis(10);

/// What the command printed: the first `OUTPUT_CAP` bytes, and how many there were.
pub struct Printed {
    pub kept: Vec<u8>,
    pub total: u64,
}

pub enum Failure {
    Start(io::Error),
    Wait(io::Error),
    /// Still running (or its children still held stdout) at the deadline; the whole
    /// process group was killed.
    TimedOut(Duration),
    Unreadable,
}

/// Runs `command` with `sh -c`, stdin and stderr closed, and returns its exit status
/// and stdout once it has exited and its stdout is closed. `waiting` is called with the
/// time so far at each whole second the command is still running.
pub fn run(
    command: &str,
    timeout: Duration,
    waiting: &mut dyn FnMut(Duration),
) -> Result<(ExitStatus, Printed), Failure> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // Its own group: on timeout, killing the group reaches the children too.
        .process_group(0)
        .spawn()
        .map_err(Failure::Start)?;
    let Some(stdout) = child.stdout.take() else {
        stop(&mut child);
        return Err(Failure::Unreadable);
    };
    // Read on another thread, so that a command that prints a lot cannot block while
    // this one waits for it to exit.
    let (sender, printed) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(read_bounded(stdout));
    });
    let start = Instant::now();
    let mut told = 0;
    let mut status = None;
    let mut output = None;
    loop {
        if status.is_none() {
            match child.try_wait() {
                Ok(done) => status = done,
                Err(e) => {
                    stop(&mut child);
                    return Err(Failure::Wait(e));
                }
            }
        }
        if output.is_none() {
            match printed.recv_timeout(POLL) {
                Ok(read) => output = Some(read.map_err(|_| Failure::Unreadable)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => output = Some(Err(Failure::Unreadable)),
            }
        } else {
            std::thread::sleep(POLL);
        }
        match (status, output.take()) {
            (Some(status), Some(read)) => return read.map(|printed| (status, printed)),
            (_, unfinished) => output = unfinished,
        }
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            stop(&mut child);
            return Err(Failure::TimedOut(timeout));
        }
        if elapsed.as_secs() > told {
            told = elapsed.as_secs();
            waiting(elapsed);
        }
    }
}

/// Kills the command's whole process group and reaps the shell.
fn stop(child: &mut Child) {
    if let Ok(group) = libc::pid_t::try_from(child.id()) {
        // SAFETY: killpg has no memory effects; the group is the one the child leads.
        unsafe {
            libc::killpg(group, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn read_bounded(mut from: impl Read) -> io::Result<Printed> {
    let mut kept = Vec::new();
    (&mut from).take(OUTPUT_CAP).read_to_end(&mut kept)?;
    let rest = io::copy(&mut from, &mut io::sink())?;
    let total = kept.len() as u64 + rest;
    Ok(Printed { kept, total })
}
