//! The loop: terminal events, gateway results and timers become `Msg`s; `update` turns
//! them into a new model and effects; a frame is drawn only when something visible
//! changed, once per burst of messages. While idle it sleeps until the next thing that
//! is due (a poll, a toast expiring), never on a fixed tick.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::effect::Effect;
use super::model::{Model, Session, ToastKind};
use super::msg::Msg;
use super::runner::Runner;
use super::update::update;
use crate::audit::AuditLog;
use crate::gateway::Gateway;
use crate::tui::TerminalGuard;
use crate::ui::{self, theme::Theme};

/// How the spinner turns while the gateway is working.
const SPIN_EVERY: Duration = Duration::from_millis(120);

/// Opens another profile for `:profile NAME`; the callback hears, once a second, how
/// long its key_command has been running.
pub type OpenProfile =
    Box<dyn Fn(&str, &mut dyn FnMut(Duration)) -> Result<(Session, Arc<dyn Gateway>), String>>;

pub struct Dashboard {
    pub model: Model,
    pub gateway: Arc<dyn Gateway>,
    pub audit: AuditLog,
    pub theme: Theme,
    pub open_profile: OpenProfile,
}

/// Runs the dashboard until the operator quits or the process is told to stop. Returns
/// the signal that stopped it, if one did, for the exit status.
pub async fn run(dashboard: Dashboard) -> io::Result<Option<i32>> {
    let Dashboard {
        mut model,
        gateway,
        audit,
        theme,
        open_profile,
    } = dashboard;
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    model.screen = (size.width, size.height);
    let (mut runner, mut rx) = connect(gateway, &audit, &model);
    let mut events = EventStream::new();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    // SIGQUIT's default is to dump core with the terminal still raw and mouse on.
    let mut quit = signal(SignalKind::quit())?;
    let mut effects = Vec::new();
    loop {
        effects.extend(update(&mut model, Msg::Tick(Utc::now())));
        for effect in effects.drain(..) {
            match effect {
                Effect::SwitchProfile(name) => {
                    let opened = open_profile(&name, &mut |waited| {
                        show_waiting(&mut model, &mut guard, &theme, waited);
                    });
                    model.toasts.retain(|t| !t.text.starts_with(WAITING));
                    switch_to(opened, &mut model, &mut runner, &mut rx, &audit);
                }
                other => runner.run(other),
            }
        }
        if model.quit {
            break;
        }
        if model.take_redraw() {
            guard.draw(|frame| ui::view(&model, &theme, frame))?;
            // A seam for the end-to-end test that the terminal survives a panic.
            if std::env::var_os("PAYDECK_TEST_PANIC").is_some() {
                panic!("PAYDECK_TEST_PANIC is set");
            }
        }
        let until_due = (model.next_wakeup() - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO);
        let spinning = model.in_flight();
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                // The terminal is gone: nobody to draw for.
                Some(Err(_)) | None => Msg::Terminate,
            },
            Some(msg) = rx.recv() => msg,
            () = tokio::time::sleep(until_due) => continue,
            () = tokio::time::sleep(SPIN_EVERY), if spinning => Msg::Spin,
            _ = terminate.recv() => Msg::Signal(libc::SIGTERM),
            _ = hangup.recv() => Msg::Signal(libc::SIGHUP),
            _ = interrupt.recv() => Msg::Signal(libc::SIGINT),
            _ = quit.recv() => Msg::Signal(libc::SIGQUIT),
        };
        effects.extend(update(&mut model, msg));
        // Whatever else has already arrived joins this frame.
        while let Ok(msg) = rx.try_recv() {
            effects.extend(update(&mut model, msg));
        }
    }
    drop(guard);
    Ok(model.stopping.and_then(|s| s.signal))
}

/// A runner for the gateway with a channel of its own, so answers meant for a profile
/// that was left cannot reach the next one.
fn connect(
    gateway: Arc<dyn Gateway>,
    audit: &AuditLog,
    model: &Model,
) -> (Runner, UnboundedReceiver<Msg>) {
    let (tx, rx) = unbounded_channel();
    let runner = Runner::new(gateway, audit.clone(), model.session.profile.clone(), tx);
    runner.check_interrupted();
    (runner, rx)
}

/// Puts the opened profile in place of the current one, or says why it could not open.
fn switch_to(
    opened: Result<(Session, Arc<dyn Gateway>), String>,
    model: &mut Model,
    runner: &mut Runner,
    rx: &mut UnboundedReceiver<Msg>,
    audit: &AuditLog,
) {
    match opened {
        Ok((session, gateway)) => {
            let (screen, zone, configured_zone) = (model.screen, model.zone, model.configured_zone);
            *model = Model::new(
                session,
                model.keymap.clone(),
                model.poll.interval,
                Utc::now(),
            );
            (model.screen, model.zone, model.configured_zone) = (screen, zone, configured_zone);
            (*runner, *rx) = connect(gateway, audit, model);
            // The new profile's first poll starts on the next turn.
        }
        Err(why) => effects_later(model, Msg::ProfileFailed(why)),
    }
}

/// The start of the toast shown while a profile's key_command runs.
const WAITING: &str = "waiting for key_command";

/// While a profile's key_command runs (the loop is blocked on it), a toast says so,
/// redrawn each second with the time so far.
fn show_waiting(model: &mut Model, guard: &mut TerminalGuard, theme: &Theme, waited: Duration) {
    model.toasts.retain(|t| !t.text.starts_with(WAITING));
    model.now = Utc::now();
    model.toast(
        ToastKind::Info,
        format!("{WAITING} ({} s)…", waited.as_secs()),
    );
    let _ = model.take_redraw();
    // A frame that cannot be drawn now will be drawn after the wait.
    let _ = guard.draw(|frame| ui::view(model, theme, frame));
}

/// Feeds a message the loop produced itself straight back into `update`.
fn effects_later(model: &mut Model, msg: Msg) {
    // Copy and profile errors produce no effects of their own.
    let _ = update(model, msg);
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize(width, height)),
        _ => None,
    }
}
