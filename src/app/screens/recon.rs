//! A reconciliation session on screen (`:recon NAME`): its board (deposits, payouts and
//! the exceptions queue under three tabs, the difference-to-zero totals), the items
//! picked for a match by hand, and what the session database's answers do to it. The
//! board is always worked out by the runner and arrives whole; what the keys do is in
//! `recon_marks`.

use crate::app::copy_menu::Copying;
use chrono::{Datelike, NaiveDate};

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Model, ToastKind};
use super::super::recon_ask::{ReconAnswer, ReconAsk};
use super::super::selection::Selection;
use super::{Hint, Pane, charge, payout, recon_live, recon_marks, sessions};
use crate::app::filter_query;
use crate::recon::session::Board;
use crate::store::sessions::{ItemKind, ItemRef, ItemState, NewSession};

/// The three lists of a session, in the order `Tab` goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Deposits,
    Payouts,
    Exceptions,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Deposits, Tab::Payouts, Tab::Exceptions];

    pub fn name(self) -> &'static str {
        match self {
            Tab::Deposits => "deposits",
            Tab::Payouts => "payouts",
            Tab::Exceptions => "exceptions",
        }
    }

    fn next(self) -> Tab {
        match self {
            Tab::Deposits => Tab::Payouts,
            Tab::Payouts => Tab::Exceptions,
            Tab::Exceptions => Tab::Deposits,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReconPane {
    pub name: String,
    pub board: Loadable<Box<Board>>,
    /// A mark or an import is out; the board shown is the one before it.
    pub working: Option<&'static str>,
    pub tab: Tab,
    /// Each tab's selection, kept while another tab is shown.
    pub at: [Selection; 3],
    /// Deposits and payouts picked (space) for a match by hand, across both tabs.
    pub picked: Vec<ItemRef>,
    /// A newer event heard of (another operator's), which a board asked for brings in.
    pub behind: Option<i64>,
    /// A newer claims version heard of (a claim taken or given up), likewise.
    pub claims_behind: Option<i64>,
}

impl ReconPane {
    fn new(name: &str) -> ReconPane {
        ReconPane {
            name: name.to_string(),
            board: Loadable::Loading,
            working: None,
            tab: Tab::Deposits,
            at: [Selection::default(); 3],
            picked: Vec::new(),
            behind: None,
            claims_behind: None,
        }
    }

    pub fn board(&self) -> Option<&Board> {
        match &self.board {
            Loadable::Loaded(board) => Some(board),
            _ => None,
        }
    }

    /// Rows in `tab`.
    pub fn len(&self, tab: Tab) -> usize {
        self.board().map_or(0, |b| match tab {
            Tab::Deposits => b.deposits.len(),
            Tab::Payouts => b.payouts.len(),
            Tab::Exceptions => b.exceptions.len(),
        })
    }

    pub fn selection(&self) -> Selection {
        self.at[self.tab as usize]
    }

    /// The item of the selected row, with its state and its match, if it has one.
    pub fn selected(&self) -> Option<Selected<'_>> {
        let board = self.board()?;
        let row = self.selection().row;
        match self.tab {
            Tab::Deposits => board.deposits.get(row).map(|d| Selected {
                item: &d.item,
                state: d.state,
                match_id: d.match_id,
            }),
            Tab::Payouts => board.payouts.get(row).map(|p| Selected {
                item: &p.item,
                state: p.state,
                match_id: p.match_id,
            }),
            Tab::Exceptions => board.exceptions.get(row).map(|e| Selected {
                item: &e.item,
                state: match e.state {
                    crate::recon::session::ExceptionState::Open => ItemState::Open,
                    crate::recon::session::ExceptionState::Flagged => ItemState::Flagged,
                    crate::recon::session::ExceptionState::Ignored => ItemState::Ignored,
                },
                match_id: None,
            }),
        }
    }

    pub fn is_picked(&self, item: &ItemRef) -> bool {
        self.picked.contains(item)
    }

    /// Takes in a new board: selections kept within it, picks kept while still open.
    fn take(&mut self, board: Box<Board>) {
        let open = |item: &ItemRef| {
            board
                .deposits
                .iter()
                .map(|d| (&d.item, d.state))
                .chain(board.payouts.iter().map(|p| (&p.item, p.state)))
                .any(|(i, s)| i == item && s == ItemState::Open)
        };
        self.picked.retain(open);
        self.board = Loadable::Loaded(board);
        for tab in Tab::ALL {
            let len = self.len(tab);
            let at = &mut self.at[tab as usize];
            at.select(at.row, len);
            at.offset = at.offset.min(at.row);
        }
        self.working = None;
    }
}

/// What the keys act on in a session.
#[derive(Debug, Clone, Copy)]
pub struct Selected<'a> {
    pub item: &'a ItemRef,
    pub state: ItemState,
    pub match_id: Option<i64>,
}

/// The day the session is judged on: today where the tables show times.
pub(crate) fn today(model: &Model) -> NaiveDate {
    filter_query::today(model.now, model.zone).date
}

/// `:recon NAME [FROM..TO]`: the session on top, created for the open profile and the
/// period (this calendar month unless given) when none has that name.
pub(crate) fn open(
    model: &mut Model,
    name: &str,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Vec<Effect> {
    let today = today(model);
    let (from, to) = period.unwrap_or_else(|| month_of(today));
    let create = NewSession {
        name: name.to_string(),
        profiles: vec![model.session.profile.clone()],
        from,
        to,
    };
    show(model, name, Some(create))
}

/// The session named `name` on top (created from `create` if there is none), asked
/// for.
pub(crate) fn show(model: &mut Model, name: &str, create: Option<NewSession>) -> Vec<Effect> {
    let today = today(model);
    let on_top = matches!(model.screens.top(), Some(Pane::Recon(p)) if p.name == name);
    if !on_top {
        model
            .screens
            .push(Pane::Recon(Box::new(ReconPane::new(name))));
    }
    model.touch();
    vec![Effect::Recon(ReconAsk::Open {
        name: name.to_string(),
        create,
        today,
    })]
}

/// The calendar month `day` is in.
pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next.pred_opt().unwrap_or(first))
}

/// The session screen on top, if it is.
pub(crate) fn top_pane(model: &mut Model) -> Option<&mut ReconPane> {
    match model.screens.top_mut() {
        Some(Pane::Recon(pane)) => Some(pane),
        _ => None,
    }
}

/// Every open screen of session `name`.
fn panes_of<'a>(model: &'a mut Model, name: &'a str) -> impl Iterator<Item = &'a mut ReconPane> {
    let recon = |pane: &'a mut Pane| match pane {
        Pane::Recon(pane) => Some(&mut **pane),
        _ => None,
    };
    let screens = model.screens.above_mut();
    screens.filter_map(recon).filter(move |p| p.name == name)
}

/// The session database's answer.
pub(crate) fn on_answer(model: &mut Model, answer: ReconAnswer) -> Vec<Effect> {
    model.touch();
    match answer {
        ReconAnswer::Listed(result) => sessions::on_listed(model, result),
        ReconAnswer::Board {
            session,
            board,
            told,
        } => {
            let mut behind = false;
            for pane in panes_of(model, &session) {
                pane.take(board.clone());
                behind |= recon_live::caught_up(pane);
            }
            if let Some(told) = told {
                model.toast(ToastKind::Success, told);
            }
            if behind {
                return vec![recon_live::reload(model, &session)];
            }
        }
        ReconAnswer::Conflict { session, why } => {
            for pane in panes_of(model, &session) {
                pane.working = None;
            }
            recon_marks::ask_to_reload(model, &session, why);
        }
        ReconAnswer::Failed { session, why } => {
            for pane in panes_of(model, &session) {
                pane.working = None;
                pane.behind = None;
                pane.claims_behind = None;
                if !matches!(pane.board, Loadable::Loaded(_)) {
                    pane.board = Loadable::Failed(why.clone());
                }
            }
            model.toast(ToastKind::Error, why);
        }
        ReconAnswer::NeedsMapping {
            session,
            path,
            bank,
            mapping,
            doubts,
        } => {
            for pane in panes_of(model, &session) {
                pane.working = None;
            }
            recon_marks::confirm_mapping(model, &session, path, bank, *mapping, doubts);
        }
    }
    Vec::new()
}

/// `Enter`: a payout to its screen (with its balance lines); an exception to the
/// payout or the charge it is about; a deposit says what it is matched with.
fn drill_down(model: &mut Model) -> Vec<Effect> {
    let Some(pane) = top_pane(model) else {
        return Vec::new();
    };
    let Some(board) = pane.board() else {
        return Vec::new();
    };
    let row = pane.selection().row;
    let target: Option<(ItemRef, Option<crate::domain::Payout>)> = match pane.tab {
        Tab::Payouts => board
            .payouts
            .get(row)
            .map(|p| (p.item.clone(), Some(p.payout.clone()))),
        Tab::Exceptions => board.exceptions.get(row).and_then(|e| {
            e.payouts
                .first()
                .or(e.charges.first())
                .or(e.deposits.first())
                .map(|i| (i.clone(), None))
        }),
        Tab::Deposits => board.deposits.get(row).map(|d| (d.item.clone(), None)),
    };
    let Some((item, payout)) = target else {
        return Vec::new();
    };
    if item.kind == ItemKind::Deposit {
        let text = match board.matches.iter().find(|m| m.items.contains(&item)) {
            Some(m) => {
                let others: Vec<String> = m
                    .items
                    .iter()
                    .filter(|i| **i != item)
                    .map(|i| i.to_string())
                    .collect();
                format!("Matched with {} ({})", others.join(", "), m.reason)
            }
            None => "This deposit is not matched with anything yet".to_string(),
        };
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    if item.profile != model.session.profile {
        let text = format!(
            "{item} is in profile {}: open it there (:profile {})",
            item.profile, item.profile
        );
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    match (item.kind, payout) {
        (ItemKind::Payout, Some(payout)) => payout::open_payout(model, payout),
        (ItemKind::Payout, None) => payout::open_payout_by_id(model, &item.id),
        (ItemKind::Charge, _) => charge::open_charge(model, &item.id),
        _ => Vec::new(),
    }
}

/// What a key of the main table does on a session: moving (by so many rows, in a
/// table of so many) in the tab shown, `Tab` to the next tab, `Enter` down to a payout
/// or a charge, refresh to work it out again.
pub(crate) fn on_key(
    model: &mut Model,
    intent: Intent,
    moved: Option<(isize, usize)>,
) -> Vec<Effect> {
    match (top_pane(model), moved) {
        (None, _) => Vec::new(),
        (Some(pane), Some((delta, rows))) => {
            let len = pane.len(pane.tab);
            let at = &mut pane.at[pane.tab as usize];
            at.move_by(delta, len);
            at.scroll_into_view(rows);
            Vec::new()
        }
        (Some(pane), None) => match intent {
            Intent::SwitchFocus => {
                pane.tab = pane.tab.next();
                Vec::new()
            }
            Intent::Refresh => {
                let name = pane.name.clone();
                pane.working = Some("working it out again");
                vec![recon_live::reload(model, &name)]
            }
            Intent::Open => drill_down(model),
            Intent::Copy => pane
                .selected()
                .map(|s| Effect::Copy(Copying::id("item", &s.item.id)))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// The status line's keys on a session (its own keys are on the screen itself).
pub(crate) fn hints(pane: &ReconPane) -> Vec<Hint> {
    let open = match pane.tab {
        Tab::Deposits => "its match",
        Tab::Payouts => "open payout",
        Tab::Exceptions => "open what it is about",
    };
    vec![
        (Intent::SwitchFocus, "next tab"),
        (Intent::Open, open),
        (Intent::Back, "back"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_day_to_its_last() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            month_of(day(2026, 11, 30)),
            (day(2026, 11, 1), day(2026, 11, 30))
        );
        assert_eq!(
            month_of(day(2026, 12, 5)),
            (day(2026, 12, 1), day(2026, 12, 31))
        );
        assert_eq!(
            month_of(day(2028, 2, 10)),
            (day(2028, 2, 1), day(2028, 2, 29))
        );
    }
}
