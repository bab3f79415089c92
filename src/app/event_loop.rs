//! The loop: terminal events, gateway results and timers become `Msg`s; `update` turns
//! them into a new model and effects; a frame is drawn only when something visible
//! changed, once per burst of messages. While idle it sleeps until the next thing that
//! is due (a poll, a toast expiring), never on a fixed tick.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{Receiver, UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::effect::Effect;
use super::layout::Drawn;
use super::model::{Model, Session};
use super::msg::Msg;
use super::runner::Runner;
use super::runner_recon::{NO_STORE, SessionLink};
use super::sessions_reopen::{self, Reopen};
use super::update::update;
use crate::audit::AuditLog;
use crate::gateway::Gateway;
use crate::store::sessions::watch::{News, Watched, watch};
use crate::store::sessions::{PgSessions, SessionHandle, SqliteSessions, StoreUrl};
use crate::store::{Store, StorePair};
use crate::tui::TerminalGuard;

/// How the spinner turns while the gateway is working.
const SPIN_EVERY: Duration = Duration::from_millis(120);

/// Opens another profile for `:profile NAME`; the callback hears, once a second, how
/// long its key_command has been running. It runs on a thread of its own.
pub type OpenProfile = Box<OpenProfileFn>;
pub type OpenProfileFn = dyn Fn(&str, &mut dyn FnMut(Duration)) -> Opened + Send + Sync;
/// A profile's session and its gateway, or why it could not be opened.
pub type Opened = Result<(Session, Arc<dyn Gateway>), String>;

/// What opening a profile reports to the loop.
enum Opening {
    Waited(Duration),
    Done(Opened),
}

/// Draws a frame of the model (the view, with its theme) and reports what it drew.
pub type View = Box<dyn Fn(&Model, &mut ratatui::Frame) -> Drawn>;

pub struct Dashboard {
    pub model: Model,
    pub gateway: Arc<dyn Gateway>,
    pub audit: AuditLog,
    pub view: View,
    pub open_profile: OpenProfile,
    /// Where each profile's local store lives (`None`: no store, the charges are read
    /// from the gateway only), and the reconciliation sessions that read those stores
    /// (`recon.sqlite`): the data directory, or the demo's own directory, so that the
    /// demo's sessions go with the payouts they name.
    pub store_dir: Option<PathBuf>,
    /// The shared PostgreSQL the sessions live in instead of the data directory's
    /// `recon.sqlite` (`--store`, `[store]`).
    pub sessions_store: Option<StoreUrl>,
}

/// Runs the dashboard until the operator quits or the process is told to stop. Returns
/// the signal that stopped it, if one did, for the exit status.
pub async fn run(dashboard: Dashboard) -> io::Result<Option<i32>> {
    let Dashboard {
        mut model,
        gateway,
        audit,
        view,
        open_profile,
        store_dir,
        sessions_store,
    } = dashboard;
    // One session database for every profile (a session may span several); connected
    // before the terminal is taken, so a slow server leaves the shell, not a blank screen.
    // Off the runtime: the PostgreSQL client blocks on a runtime of its own.
    let (dir, url) = (store_dir.clone(), sessions_store.clone());
    let mut sessions = tokio::task::spawn_blocking(move || open_sessions(dir, url))
        .await
        .unwrap_or_else(|e| Err(format!("the reconciliation sessions did not open: {e}")));
    // A shared store that did not open (down, usually) is tried again until it does.
    let mut reopening = match (&sessions, sessions_store, &store_dir) {
        (Err(_), Some(url), Some(dir)) => Some(sessions_reopen::reopen(dir.clone(), url)),
        _ => None,
    };
    let open_profile: Arc<OpenProfileFn> = Arc::from(open_profile);
    let (opening_tx, mut opening) = unbounded_channel();
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    model.screen = (size.width, size.height);
    let mut store_news = sessions.as_ref().ok().and_then(watch_sessions);
    let (mut runner, mut rx, store) = connect(
        gateway,
        &audit,
        &model.session.profile,
        store_dir.as_deref(),
        sessions.clone(),
    );
    let mut effects = Vec::new();
    // The store's window is asked for before anything else: the first frame shows it.
    if let Some(store) = store {
        effects.extend(update(&mut model, Msg::StoreOpened(store)));
    }
    let mut events = EventStream::new();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    // SIGQUIT's default is to dump core with the terminal still raw and mouse on.
    let mut quit = signal(SignalKind::quit())?;
    // The store of a profile just opened, told after the profile itself.
    let mut store_opened = None;
    loop {
        effects.extend(update(&mut model, Msg::Tick(Utc::now())));
        for effect in effects.drain(..) {
            match effect {
                Effect::SwitchProfile(name) => {
                    start_opening(Arc::clone(&open_profile), name, opening_tx.clone());
                }
                other => runner.run(other),
            }
        }
        if model.quit {
            break;
        }
        if model.take_redraw() {
            let mut drawn = model.drawn;
            guard.draw(|frame| drawn = view(&model, frame))?;
            // The keys that follow act on what is on screen: how far it scrolls, whether
            // the dialog fits. Like every message's, its effects are run.
            effects.extend(update(&mut model, Msg::Drawn(drawn)));
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
            Some(news) = next_news(&mut store_news) => Msg::StoreNews(news),
            Some(reopened) = sessions_reopen::next(&mut reopening) => match reopened {
                Reopen::Down(why) => Msg::StoreNews(News::Unreachable(why)),
                Reopen::Opened(link) => {
                    reopening = None;
                    store_news = watch_sessions(&link);
                    sessions = Ok(link);
                    runner = runner.clone().with_sessions(sessions.clone());
                    // The screens read again what they show.
                    Msg::StoreNews(News::Reachable)
                }
                Reopen::Failed(why) => {
                    reopening = None;
                    sessions = Err(why);
                    runner = runner.clone().with_sessions(sessions.clone());
                    Msg::StoreNews(News::Reachable)
                }
            },
            Some(news) = opening.recv() => match news {
                Opening::Waited(waited) => Msg::ProfileWaiting(waited),
                Opening::Done(Ok((session, gateway))) => {
                    // Answers meant for the profile left behind go with its channel.
                    let profile = session.profile.clone();
                    (runner, rx, store_opened) = connect(
                        gateway,
                        &audit,
                        &profile,
                        store_dir.as_deref(),
                        sessions.clone(),
                    );
                    Msg::ProfileOpened(Box::new(session))
                }
                Opening::Done(Err(why)) => Msg::ProfileFailed(why),
            },
            () = tokio::time::sleep(until_due) => continue,
            () = tokio::time::sleep(SPIN_EVERY), if spinning => Msg::Spin,
            _ = terminate.recv() => Msg::Signal(libc::SIGTERM),
            _ = hangup.recv() => Msg::Signal(libc::SIGHUP),
            _ = interrupt.recv() => Msg::Signal(libc::SIGINT),
            _ = quit.recv() => Msg::Signal(libc::SIGQUIT),
        };
        effects.extend(update(&mut model, msg));
        if let Some(store) = store_opened.take() {
            effects.extend(update(&mut model, Msg::StoreOpened(store)));
        }
        // Whatever else has already arrived joins this frame.
        while let Ok(msg) = rx.try_recv() {
            effects.extend(update(&mut model, msg));
        }
    }
    drop(guard);
    Ok(model.stopping.and_then(|s| s.signal))
}

/// A runner for the gateway with a channel of its own, so answers meant for a profile
/// that was left cannot reach the next one; with the profile's store under `store_dir`
/// when it opens (and whether it did, when there is one to open).
fn connect(
    gateway: Arc<dyn Gateway>,
    audit: &AuditLog,
    profile: &str,
    store_dir: Option<&Path>,
    sessions: Result<SessionLink, String>,
) -> (Runner, UnboundedReceiver<Msg>, Option<Result<(), String>>) {
    let (tx, rx) = unbounded_channel();
    let mut runner =
        Runner::new(gateway, audit.clone(), profile.to_string(), tx).with_sessions(sessions);
    let opened = store_dir.map(|dir| {
        let path = Store::path_for(dir, profile);
        match StorePair::open(&path) {
            Ok(pair) => {
                runner = runner.clone().with_store(pair);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "the local store did not open");
                Err(e.to_string())
            }
        }
    });
    runner.check_interrupted();
    (runner, rx, opened)
}

/// The reconciliation sessions on their own thread: in `store` if one is named, else
/// in the data directory `dir`. Or why not (logged), which `:recon` shows instead of
/// the sessions; the rest of the dashboard runs on.
fn open_sessions(dir: Option<PathBuf>, store: Option<StoreUrl>) -> Result<SessionLink, String> {
    let Some(dir) = dir else {
        return Err(NO_STORE.to_string());
    };
    let (opened, watched) = match store {
        Some(url) => (
            PgSessions::connect(&url).and_then(|pg| SessionHandle::spawn(Box::new(pg))),
            Watched::Postgres(url),
        ),
        None => (
            SessionHandle::open_sqlite(&dir),
            Watched::Sqlite(SqliteSessions::path_in(&dir)),
        ),
    };
    match opened {
        Ok(handle) => Ok(SessionLink {
            handle,
            data_dir: dir,
            watched,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "the reconciliation sessions did not open");
            Err(e.to_string())
        }
    }
}

/// Other dashboards' writes to the sessions, and the store gone or back; `None`
/// (logged) when the watcher cannot start: the screens then show only this one's.
fn watch_sessions(link: &SessionLink) -> Option<Receiver<News>> {
    match watch(link.watched.clone()) {
        Ok(news) => Some(news),
        Err(e) => {
            tracing::warn!(error = %e, "the reconciliation sessions are not watched");
            None
        }
    }
}

/// The watcher's next news; never, without a watcher.
async fn next_news(news: &mut Option<Receiver<News>>) -> Option<News> {
    match news {
        Some(news) => news.recv().await,
        None => std::future::pending().await,
    }
}

/// Opens the profile on a thread of its own (a key_command blocks, for at most its
/// timeout), so the dashboard keeps drawing meanwhile; leaving does not wait for it.
fn start_opening(open_profile: Arc<OpenProfileFn>, name: String, tell: UnboundedSender<Opening>) {
    // A gateway's HTTP client is built inside the runtime it will run on.
    let runtime = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let _inside = runtime.enter();
        let opened = open_profile(&name, &mut |waited| {
            let _ = tell.send(Opening::Waited(waited));
        });
        // The loop has gone: paydeck is leaving and nobody needs the profile.
        let _ = tell.send(Opening::Done(opened));
    });
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
