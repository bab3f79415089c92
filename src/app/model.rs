//! Everything the dashboard knows, in one place. Only `update` changes it.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tui_input::Input;

use super::copy_menu::CopyMenu;
use super::dialogs::action::ActionDialog;
use super::dialogs::confirm::ConfirmDialog;
use super::dialogs::evidence::EvidenceDialog;
use super::dialogs::new_charge::NewChargeDialog;
use super::dialogs::recon::ReconDialog;
use super::jump::Jump;
use super::key_mint::KeyMint;
use super::keymap::Keymap;
use super::layout::Drawn;
use super::poll::Poll;
use super::quitting::{Stopping, WriteInFlight};
use super::request::Generations;
use super::screens::stack::Screens;
use super::sort::Sorts;
use super::unreadable::{self, Unreadable};
use crate::domain::Skipped;
use crate::gateway::Capabilities;
use crate::timezone::Zone;

/// The gateway and profile this dashboard is looking at.
#[derive(Debug, Clone)]
pub struct Session {
    pub profile: String,
    pub gateway: &'static str,
    pub live: bool,
    pub read_only: bool,
    pub caps: Capabilities,
    /// Other profiles `:profile` can switch to.
    pub profiles: Vec<String>,
}

/// What has the keyboard.
#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    Filter {
        input: Input,
        error: Option<String>,
    },
    Command {
        input: Input,
        error: Option<String>,
    },
    Dialog(ActionDialog),
    Confirm(ConfirmDialog),
    NewCharge(NewChargeDialog),
    Evidence(EvidenceDialog),
    /// The words a reconciliation mark needs.
    Recon(Box<ReconDialog>),
    /// The keys, scrolled this many lines down.
    Help {
        scroll: u16,
    },
    /// Quit asked for while writes are in flight: "quit anyway?"
    QuitAnyway,
    /// `Y`: what else to copy from the object the keys act on.
    CopyMenu(CopyMenu),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    Detail,
}

/// Something fetched on demand.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    Loading,
    Loaded(T),
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn is_failed(&self) -> bool {
        matches!(self, Loadable::Failed(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub kind: ToastKind,
    pub until: DateTime<Utc>,
}

/// How long things stay on screen.
pub const TOAST_FOR: Duration = Duration::from_secs(5);
/// What the operator must not miss (an interrupted action) stays longer.
pub const NOTICE_FOR: Duration = Duration::from_secs(60);
pub const NEW_MARK_FOR: Duration = Duration::from_secs(6);
/// Older pages are fetched without being asked until this many charges are held.
pub const PREFETCH: usize = 2_000;

/// A server search's answer beside the local one: the filter bar says both, since no
/// gateway searches every field the filter matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchNote {
    /// The gateway's matches that the filter lets through.
    pub found: usize,
    /// Held charges that match locally and the gateway did not return.
    pub more: usize,
    /// How many charges were held and matched locally.
    pub held: usize,
}
pub const PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone)]
pub struct Model {
    pub now: DateTime<Utc>,
    pub session: Session,
    pub mode: Mode,
    /// The screens open, the charges list at the bottom.
    pub screens: Screens,
    pub poll: Poll,
    pub toasts: VecDeque<Toast>,
    /// Charges that arrived recently, marked until the given time.
    pub new_marks: HashMap<String, DateTime<Utc>>,
    /// Charges, cards, subscriptions and customers with an action in flight: no second
    /// action is offered on them.
    pub busy: HashMap<String, &'static str>,
    /// Writes asked for whose `after` line is not yet in the audit log, oldest first.
    pub writes: Vec<WriteInFlight>,
    /// Told to stop by a signal; waiting for `writes`.
    pub stopping: Option<Stopping>,
    /// When the last dialog sent its request, for how long it has been waiting.
    pub sent_at: Option<DateTime<Utc>>,
    /// Records the gateway sent that could not be read, each reported once.
    pub unreadable: Unreadable,
    pub keymap: Keymap,
    /// The sort in force on each list screen, kept while the program runs.
    pub sorts: Sorts,
    /// A `:charge ID` (customer, payout) the gateway has not answered for yet.
    pub jump: Option<Jump>,
    /// The idempotency keys of the writes `update` asks for.
    pub key_mint: KeyMint,
    /// The profile `:profile` is opening, until it is open or has failed.
    pub opening: Option<String>,
    /// Where each list made afresh takes its generation.
    pub generations: Generations,
    /// The zone times are shown in and filter dates are counted in.
    pub zone: Zone,
    /// The config's `timezone`; the toggle key flips `zone` between it and UTC.
    pub configured_zone: Zone,
    /// The terminal's size; `layout` turns it into regions for paging keys and mouse
    /// clicks as well as for drawing.
    pub screen: (u16, u16),
    /// What the view reported about the last frame it drew.
    pub drawn: Drawn,
    pub spinner: usize,
    /// Why the session store cannot be reached, while it cannot: marks are refused.
    pub sessions_down: Option<String>,
    pub quit: bool,
    redraw: bool,
}

impl Model {
    pub fn new(
        session: Session,
        keymap: Keymap,
        poll_interval: Duration,
        now: DateTime<Utc>,
    ) -> Model {
        Model::starting(session, keymap, poll_interval, now, KeyMint::random())
    }

    /// A fresh dashboard on another profile: nothing held is kept but what belongs to
    /// the terminal and the operator (size, zones, keys, poll interval, key mint).
    pub fn switched_to(&self, session: Session) -> Model {
        let mut model = Model::starting(
            session,
            self.keymap.clone(),
            self.poll.interval,
            self.now,
            self.key_mint.clone(),
        );
        model.screen = self.screen;
        model.zone = self.zone;
        model.configured_zone = self.configured_zone;
        model.sorts = self.sorts.clone();
        // One session store for every profile.
        model.sessions_down = self.sessions_down.clone();
        model
    }

    fn starting(
        session: Session,
        keymap: Keymap,
        poll_interval: Duration,
        now: DateTime<Utc>,
        key_mint: KeyMint,
    ) -> Model {
        Model {
            now,
            session,
            mode: Mode::Normal,
            screens: Screens::default(),
            poll: Poll::new(poll_interval, now),
            toasts: VecDeque::new(),
            new_marks: HashMap::new(),
            busy: HashMap::new(),
            writes: Vec::new(),
            stopping: None,
            sent_at: None,
            unreadable: Unreadable::default(),
            keymap,
            sorts: Sorts::default(),
            jump: None,
            key_mint,
            opening: None,
            generations: Generations::default(),
            zone: Zone::Utc,
            configured_zone: Zone::Utc,
            screen: (80, 24),
            drawn: Drawn::default(),
            spinner: 0,
            sessions_down: None,
            quit: false,
            redraw: true,
        }
    }

    /// Shows times in `zone`, the config's setting; the toggle key flips to UTC and back.
    pub fn with_zone(mut self, zone: Zone) -> Model {
        self.zone = zone;
        self.configured_zone = zone;
        self
    }

    /// Something visible changed: draw the next frame.
    pub fn touch(&mut self) {
        self.redraw = true;
    }

    /// Whether a frame is due, clearing the flag.
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.redraw)
    }

    /// Work the gateway is doing for us, for the spinner.
    pub fn in_flight(&self) -> bool {
        self.poll.in_flight
            || self.screens.charges.list.loading
            || self.screens.charges.searching
            || self
                .screens
                .charges
                .store
                .as_ref()
                .is_some_and(|w| w.paging || w.totals_asked.is_some())
            || !self.busy.is_empty()
    }

    pub fn toast(&mut self, kind: ToastKind, text: impl Into<String>) {
        self.toast_for(kind, text, TOAST_FOR);
    }

    /// A toast that stays for [`NOTICE_FOR`].
    pub fn notice(&mut self, kind: ToastKind, text: impl Into<String>) {
        self.toast_for(kind, text, NOTICE_FOR);
    }

    fn toast_for(&mut self, kind: ToastKind, text: impl Into<String>, stay: Duration) {
        let until = self.now + chrono::TimeDelta::from_std(stay).unwrap_or_default();
        self.toasts.push_back(Toast {
            text: text.into(),
            kind,
            until,
        });
        while self.toasts.len() > 4 {
            self.toasts.pop_front();
        }
        self.touch();
    }

    /// Records of `list` that could not be read: each new one goes to the log and,
    /// named, to a toast.
    pub fn note_unreadable(&mut self, list: &'static str, skipped: &[Skipped]) {
        let new = self.unreadable.add(list, skipped);
        if new.is_empty() {
            return;
        }
        for record in &new {
            tracing::warn!(list, id = record.name(), why = %record.why, "skipped a record the gateway sent that paydeck cannot read");
        }
        let text = unreadable::toast_text(list, &new);
        self.toast(ToastKind::Error, text);
    }

    /// The breadcrumb: `charges › customer ada@example.com › charge ch_…`.
    pub fn breadcrumb(&self) -> Vec<String> {
        self.screens.crumbs()
    }

    /// A held copy of a charge, wherever it is shown.
    pub fn find_charge(&self, id: &str) -> Option<&crate::domain::Charge> {
        self.screens.find_charge(id)
    }

    /// Puts a newer copy of a charge everywhere it is shown; true if anything changed.
    pub fn update_charge(&mut self, charge: &crate::domain::Charge) -> bool {
        let changed = self.screens.update_charge(charge);
        if changed {
            self.touch();
        }
        changed
    }

    pub fn is_new(&self, id: &str) -> bool {
        self.new_marks
            .get(id)
            .is_some_and(|until| *until > self.now)
    }

    /// The next moment something changes by itself (a toast or mark expires, the data
    /// turns stale, a poll is due), so the loop can sleep till then. A poll in flight
    /// is not due again: its answer wakes the loop.
    pub fn next_wakeup(&self) -> DateTime<Utc> {
        let idle = self.now + chrono::TimeDelta::hours(1);
        let poll = (!self.poll.in_flight).then_some(self.poll.next_due);
        // The header's countdown to the next try changes every second.
        let countdown = self
            .poll
            .retry_in(self.now)
            .filter(|left| *left > chrono::TimeDelta::zero())
            .map(|left| {
                self.now + chrono::TimeDelta::milliseconds(left.num_milliseconds() % 1000 + 1)
            });
        self.toasts
            .iter()
            .map(|t| t.until)
            .chain(self.new_marks.values().copied())
            .chain(self.poll.stale_at().filter(|at| *at > self.now))
            .chain(poll)
            .chain(self.stopping.as_ref().map(|s| s.until))
            .chain(countdown)
            .fold(idle, DateTime::min)
    }
}
