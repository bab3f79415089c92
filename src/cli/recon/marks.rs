//! `paydeck recon mark`, `flag`, `note` and `signoff`: the operator's decisions, each
//! recorded as one event of the session and written to the audit log around it.

use super::audit::{Action, audited};
use super::{Recon, ReconError};
use crate::recon::session::{Board, manual_match};
use crate::store::sessions::{Event, ItemKind, ItemRef};

fn item(text: &str) -> Result<ItemRef, String> {
    ItemRef::parse(text)
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["accept", "unmatch", "ignore", "items"])))]
pub struct MarkArgs {
    /// The session's name.
    pub name: String,
    /// Items to match by hand: deposits on one side, payouts on the other. When the
    /// sides differ, --reason is required and makes an adjustment line.
    #[arg(value_name = "ITEM", value_parser = item, num_args = 2..)]
    pub items: Vec<ItemRef>,
    /// Accept the proposal with this match id.
    #[arg(long, value_name = "MATCH_ID", conflicts_with_all = ["unmatch", "ignore", "items"])]
    pub accept: Option<i64>,
    /// Undo the match or proposal with this id: its items are open again.
    #[arg(long, value_name = "MATCH_ID", conflicts_with_all = ["ignore", "items"])]
    pub unmatch: Option<i64>,
    /// Set this item aside (needs --reason); it no longer holds sign-off up.
    #[arg(long, value_name = "ITEM", value_parser = item, conflicts_with = "items", requires = "reason")]
    pub ignore: Option<ItemRef>,
    /// Why: for --ignore, or for the adjustment line of a match whose sides differ.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    #[command(flatten)]
    pub seen: SeenArgs,
}

#[derive(clap::Args, Debug)]
pub struct FlagArgs {
    /// The session's name.
    pub name: String,
    /// The item to flag, usually an exception:<ref>.
    #[arg(value_parser = item)]
    pub item: ItemRef,
    /// What explains it (a flagged exception needs a note for sign-off).
    #[arg(long, value_name = "TEXT")]
    pub note: String,
    #[command(flatten)]
    pub seen: SeenArgs,
}

#[derive(clap::Args, Debug)]
pub struct NoteArgs {
    /// The session's name.
    pub name: String,
    #[arg(value_parser = item)]
    pub item: ItemRef,
    pub text: String,
    #[command(flatten)]
    pub seen: SeenArgs,
}

#[derive(clap::Args, Debug)]
pub struct SignoffArgs {
    /// The session's name.
    pub name: String,
    /// Reopen a signed-off session instead, saying why.
    #[arg(long, value_name = "REASON")]
    pub reopen: Option<String>,
    #[command(flatten)]
    pub seen: SeenArgs,
}

/// Whether `item` is on the board, so that a mistyped ref is not saved as a mark.
pub(super) fn on_board(board: &Board, item: &ItemRef) -> Result<(), ReconError> {
    let found = match item.kind {
        ItemKind::Deposit => board.deposits.iter().any(|d| &d.item == item),
        ItemKind::Payout => board.payouts.iter().any(|p| &p.item == item),
        _ => board
            .exceptions
            .iter()
            .any(|e| &e.item == item || e.charges.contains(item) || e.deposits.contains(item)),
    };
    if found {
        Ok(())
    } else {
        Err(ReconError::Failed(format!(
            "{} is not in session {:?} (`paydeck recon status {} --format json` lists its items)",
            item.token(),
            board.summary.name,
            board.summary.name
        )))
    }
}

/// What a mark was decided on: by default the board this command read, else the
/// event a script read the session at (`status --format json` gives it).
#[derive(clap::Args, Debug, Default)]
pub struct SeenArgs {
    /// Refuse the mark if another operator changed what it marks after this event
    /// (`session.latest_event` of `paydeck recon status NAME --format json`).
    #[arg(long, value_name = "EVENT_ID")]
    pub seen: Option<i64>,
}

/// Records `event` on the session `name`, after `check` on its board passes. It is
/// decided on that board: another operator's change since refuses it.
fn decide(
    recon: &mut Recon,
    name: &str,
    seen: &SeenArgs,
    action: Action<'_>,
    make: impl FnOnce(&Board) -> Result<Event, ReconError>,
) -> Result<(), ReconError> {
    audited(recon, action, |recon| {
        let (summary, worked) = recon.work(name)?;
        let event = make(&worked.board)?;
        let kind = event.kind();
        let seen = seen.seen.unwrap_or(worked.board.latest);
        let recorded = recon.record_seen(&summary, event, seen)?;
        Ok(format!("{kind} recorded as event {}", recorded.event_id))
    })
}

pub fn mark(recon: &mut Recon, args: &MarkArgs) -> Result<(), ReconError> {
    let reason = args.reason.as_deref();
    let name = args.name.as_str();
    let act = |action, target: String| Action {
        action,
        session: name,
        target,
        reason,
    };
    if let Some(id) = args.accept {
        return decide(
            recon,
            name,
            &args.seen,
            act("recon_accept", format!("match {id}")),
            |_| Ok(Event::Accept { match_id: id }),
        );
    }
    if let Some(id) = args.unmatch {
        return decide(
            recon,
            name,
            &args.seen,
            act("recon_unmatch", format!("match {id}")),
            |_| Ok(Event::Unmatch { match_id: id }),
        );
    }
    if let Some(item) = &args.ignore {
        let reason = reason.unwrap_or_default().to_string();
        return decide(
            recon,
            name,
            &args.seen,
            act("recon_ignore", item.token()),
            |board| {
                on_board(board, item)?;
                Ok(Event::Ignore {
                    item: item.clone(),
                    reason,
                })
            },
        );
    }
    let target: Vec<String> = args.items.iter().map(ItemRef::token).collect();
    decide(
        recon,
        name,
        &args.seen,
        act("recon_match", target.join(" ")),
        |board| manual_match(board, args.items.clone(), reason).map_err(ReconError::Refused),
    )
}

/// A flag or a note (`text`) on an item of the board.
fn on_item(
    recon: &mut Recon,
    name: &str,
    seen: &SeenArgs,
    action: &str,
    item: &ItemRef,
    text: &str,
    make: fn(ItemRef, String) -> Event,
) -> Result<(), ReconError> {
    let audited = Action {
        action,
        session: name,
        target: item.token(),
        reason: Some(text),
    };
    decide(recon, name, seen, audited, |board| {
        on_board(board, item)?;
        Ok(make(item.clone(), text.to_string()))
    })
}

pub fn flag(recon: &mut Recon, args: &FlagArgs) -> Result<(), ReconError> {
    let make = |item, note| Event::Flag { item, note };
    on_item(
        recon,
        &args.name,
        &args.seen,
        "recon_flag",
        &args.item,
        &args.note,
        make,
    )
}

pub fn note(recon: &mut Recon, args: &NoteArgs) -> Result<(), ReconError> {
    let make = |item, text| Event::Note { item, text };
    on_item(
        recon,
        &args.name,
        &args.seen,
        "recon_note",
        &args.item,
        &args.text,
        make,
    )
}

pub fn signoff(recon: &mut Recon, args: &SignoffArgs) -> Result<(), ReconError> {
    let name = args.name.as_str();
    match &args.reopen {
        Some(reason) => {
            let action = Action {
                action: "recon_reopen",
                session: name,
                target: format!("session {name}"),
                reason: Some(reason),
            };
            decide(recon, name, &args.seen, action, |_| {
                Ok(Event::Reopen {
                    reason: reason.clone(),
                })
            })
        }
        None => {
            let action = Action {
                action: "recon_signoff",
                session: name,
                target: format!("session {name}"),
                reason: None,
            };
            decide(recon, name, &args.seen, action, |board| {
                board.signoff().map_err(ReconError::Refused)
            })
        }
    }
}
