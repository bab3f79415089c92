//! Leaving while money is in flight. Every write `update` asks for is held here from the
//! moment it is asked for until the runner says its `after` line is in the audit log.
//! Quitting with one in flight asks first; a signal waits a bounded time for them.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::dialogs::confirm::Irreversible;
use super::effect::{ChargeAct, Effect};
use super::mode_keys::{KeyMode, ModeAction};
use super::model::{Mode, Model};
use crate::gateway::OperationKey;

/// How long a signal waits for writes in flight before paydeck leaves anyway: short
/// enough to finish before a supervisor's usual 10 s grace ends in SIGKILL.
pub const STOP_WAIT: Duration = Duration::from_secs(5);

/// A write sent (or about to be) whose answer has not arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteInFlight {
    pub key: OperationKey,
    /// For the operator: `a capture of A$20.00 on ch_…`.
    pub what: String,
}

/// A signal arrived while writes were in flight: leave once they are answered, or at
/// `until`, whichever is first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopping {
    /// The signal's number, for the exit status; `None` when the terminal went away.
    pub signal: Option<i32>,
    pub until: DateTime<Utc>,
}

/// The write an effect sends, if it sends one.
pub fn write_of(effect: &Effect) -> Option<WriteInFlight> {
    let (key, what) = match effect {
        Effect::Capture { .. } | Effect::Void { .. } | Effect::Refund { .. } => {
            let write = effect.charge_write()?;
            let act = match write.act {
                ChargeAct::Capture => "a capture",
                ChargeAct::Void => "a void",
                ChargeAct::VoidPart => "a partial void",
                ChargeAct::Refund => "a refund",
            };
            let what = format!("{act} of {} on {}", write.amount, write.charge_id);
            (write.key, what)
        }
        Effect::Verify { key, session } => (key, format!("a 3-D Secure check of {session}")),
        Effect::Confirmed { key, action } => (key, irreversible(action)),
        Effect::ChargeCustomer {
            key,
            customer_id,
            amount,
            capture,
            ..
        } => {
            let charge = if *capture {
                "a charge"
            } else {
                "an authorisation"
            };
            (key, format!("{charge} of {amount} to {customer_id}"))
        }
        Effect::SubmitEvidence {
            key, dispute_id, ..
        } => (key, format!("evidence for {dispute_id}")),
        _ => return None,
    };
    Some(WriteInFlight {
        key: key.clone(),
        what,
    })
}

fn irreversible(action: &Irreversible) -> String {
    match action {
        Irreversible::DeleteCard { card_id, .. } => format!("deleting card {card_id}"),
        Irreversible::CancelSubscription {
            subscription_id, ..
        } => format!("cancelling subscription {subscription_id}"),
        Irreversible::DeleteCustomer { customer_id } => format!("deleting customer {customer_id}"),
        Irreversible::CloseDispute { dispute_id } => format!("accepting dispute {dispute_id}"),
    }
}

/// Holds every write among `effects` until it is settled.
pub fn track(model: &mut Model, effects: &[Effect]) {
    model.writes.extend(effects.iter().filter_map(write_of));
}

/// The runner has the write's answer and its `after` line is written.
pub fn settled(model: &mut Model, key: &OperationKey) {
    model.writes.retain(|w| w.key != *key);
    model.touch();
    if model.stopping.is_some() && model.writes.is_empty() {
        model.quit = true;
    }
}

/// `q`, `:q` or ctrl-c: leave now if nothing is in flight, else ask.
pub fn request_quit(model: &mut Model) {
    if model.writes.is_empty() {
        model.quit = true;
    } else {
        model.mode = Mode::QuitAnyway;
        model.touch();
    }
}

/// Keys while "quit anyway?" is asked: `y` (or ctrl-c again) leaves, `n` or Esc stays.
pub fn on_key(model: &mut Model, key: KeyEvent) {
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    match model.keymap.in_mode(KeyMode::QuitPrompt, &key) {
        _ if ctrl_c => model.quit = true,
        Some(ModeAction::Send) => model.quit = true,
        Some(ModeAction::Close) => {
            model.mode = Mode::Normal;
            model.touch();
        }
        _ => {}
    }
}

/// The question, one sentence per write still unanswered.
pub fn question(model: &Model) -> Vec<String> {
    if model.writes.is_empty() {
        return vec!["Everything sent has been answered. Quit?".into()];
    }
    let mut lines: Vec<String> = model
        .writes
        .iter()
        .map(|w| format!("{} has not been confirmed.", capitalised(&w.what)))
        .collect();
    lines.push("Quit anyway? The next start asks the gateway what happened.".into());
    lines
}

/// SIGTERM, SIGINT or SIGHUP (`Some`), or the terminal gone (`None`): leave at once if
/// nothing is in flight; otherwise wait for the writes, at most [`STOP_WAIT`]. A second
/// signal while waiting leaves at once.
pub fn on_signal(model: &mut Model, signal: Option<i32>) {
    if model.writes.is_empty() || model.stopping.is_some() {
        model.stopping.get_or_insert(Stopping {
            signal,
            until: model.now,
        });
        model.quit = true;
        return;
    }
    let until = model.now + TimeDelta::from_std(STOP_WAIT).unwrap_or_default();
    tracing::warn!(
        ?signal,
        writes = model.writes.len(),
        "told to stop: waiting for the writes in flight"
    );
    model.stopping = Some(Stopping { signal, until });
    model.mode = Mode::Normal;
    model.touch();
}

/// Time passed: a stop that has waited long enough leaves, whatever is still in flight.
pub fn on_tick(model: &mut Model, now: DateTime<Utc>) {
    if model.stopping.as_ref().is_some_and(|s| now >= s.until) {
        for write in &model.writes {
            tracing::warn!(key = %write.key, what = %write.what, "left with the write unanswered");
        }
        model.quit = true;
    }
}

/// What the stop is waiting for, for the screen.
pub fn waiting(model: &Model) -> Option<Vec<String>> {
    model.stopping.as_ref()?;
    let mut lines = vec![format!(
        "Waiting up to {} s for the gateway to answer, then leaving:",
        STOP_WAIT.as_secs()
    )];
    lines.extend(model.writes.iter().map(|w| capitalised(&w.what)));
    Some(lines)
}

pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
