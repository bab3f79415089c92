//! The charges table, for the charges pane and for a customer's charges alike. It draws
//! only the rows on screen: a million charges cost the same per frame as a thousand.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use crate::app::Model;
use crate::app::charge_list::ChargeList;
use crate::app::model::Focus;
use crate::app::sort::{self, SortScreen};
use crate::domain::{Charge, ChargeStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, SortMark, Want};
use crate::ui::theme::Theme;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Mark,
    Time,
    Status,
    Amount,
    Email,
    Description,
    Card,
    Id,
}

/// The columns in the order the table reads.
const COLUMNS: [Column; 8] = [
    Column::Mark,
    Column::Time,
    Column::Status,
    Column::Amount,
    Column::Email,
    Column::Description,
    Column::Card,
    Column::Id,
];

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Mark => "",
            Column::Time => "created",
            Column::Status => "status",
            Column::Amount => "amount",
            Column::Email => "email",
            Column::Description => "description",
            Column::Card => "card",
            Column::Id => "id",
        }
    }
}

/// The main charges table.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    draw_list(
        model,
        theme,
        frame,
        area,
        &model.screens.charges.list,
        (model.screens.charges.focus == Focus::Table, true),
        || main_empty(model, theme),
    );
}

/// `list` as a table in `area`, its selection highlighted brightly while `focused`;
/// `empty` says why there is nothing to show when there is not. `sorted`: the list is
/// the main one, which the operator may have sorted.
pub fn draw_list(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    list: &ChargeList,
    (focused, sorted): (bool, bool),
    empty: impl FnOnce() -> (String, Style),
) {
    let created = format::created_title(model.zone, model.now);
    let titles = COLUMNS.map(|col| match col {
        Column::Time => created.as_str(),
        _ => col.title(),
    });
    // Sorted by the store, so exactly: every charge of the filter is in the order.
    let sort = model
        .sorts
        .get(SortScreen::Charges)
        .filter(|_| sorted && model.screens.charges.store.is_some())
        .and_then(|sort| SortMark::of(&titles, &sort::charge_columns(), sort));
    let columns = Columns {
        titles: &titles,
        right: COLUMNS.iter().position(|c| *c == Column::Amount),
        highlight: if focused {
            theme.selected
        } else {
            theme.selected_unfocused
        },
        empty: empty(),
        sort,
    };
    let widths = |rows: &[&Charge], width| choose_columns(rows, width, &created);
    list_parts::table(theme, frame, area, list, columns, widths, |charge, i, w| {
        cell(model, theme, charge, COLUMNS[i], w)
    });
}

/// Why the main table is empty.
fn main_empty(model: &Model, theme: &Theme) -> (String, Style) {
    if !model.screens.charges.list.is_empty() && model.screens.charges.list.visible_len() == 0 {
        let searching = if model.screens.charges.searching {
            " (searching the gateway…)"
        } else {
            ""
        };
        (
            format!(
                "no charges match {}{searching}",
                model.screens.charges.list.filter_text.trim()
            ),
            theme.dim,
        )
    } else if model.poll.last_ok.is_some() {
        ("no charges yet".to_string(), theme.dim)
    } else if let Some(why) = &model.poll.last_error {
        (
            format!("could not load charges: {why}; trying again"),
            theme.warn,
        )
    } else {
        ("loading charges…".to_string(), theme.dim)
    }
}

/// `charge`'s cell in column `col`, `w` wide.
fn cell(model: &Model, theme: &Theme, charge: &Charge, col: Column, w: usize) -> Cell<'static> {
    match col {
        Column::Mark => {
            if model.busy.contains_key(&charge.id) {
                Cell::from(Span::styled("…", theme.warn))
            } else if model.is_new(&charge.id) {
                Cell::from(Span::styled("●", theme.accent))
            } else {
                Cell::from("")
            }
        }
        Column::Time => Cell::from(format::short_time(charge.created, model.zone)),
        Column::Status => Cell::from(Span::styled(
            charge.status.label(),
            theme.status(charge.status),
        )),
        Column::Amount => {
            let moved_no_money = matches!(
                charge.status,
                ChargeStatus::Declined | ChargeStatus::Voided | ChargeStatus::Expired
            );
            let style = if moved_no_money {
                theme.dim
            } else {
                Style::new()
            };
            Cell::from(
                Line::from(Span::styled(
                    format::amount(&charge.list_amount().to_string(), w),
                    style,
                ))
                .alignment(Alignment::Right),
            )
        }
        Column::Email => Cell::from(format::truncate(charge.email.as_deref().unwrap_or(""), w)),
        Column::Description => Cell::from(Span::styled(
            format::truncate(charge.description.as_deref().unwrap_or(""), w),
            theme.dim,
        )),
        Column::Card => Cell::from(card(charge)),
        Column::Id => Cell::from(Span::styled(format::truncate(&charge.id, w), theme.dim)),
    }
}

/// `Visa ••4242`, `MC ••4444`: short brand names keep the column narrow.
fn card(charge: &Charge) -> String {
    match &charge.card {
        Some(card) => format!("{} ••{}", format::brand_short(card.brand), card.last4),
        None => String::new(),
    }
}

/// Which columns fit in `width`, and how wide each is. The amount always shows, whole;
/// the others are left out while they do not fit: the description, the email, the
/// card, the id, the mark, the time and the status, in that order. Space left over
/// gives the status its usual width, then widens the email and the description.
fn choose_columns(rows: &[&Charge], width: u16, created: &str) -> Vec<u16> {
    let widest = |f: &dyn Fn(&Charge) -> usize, title: &str| -> u16 {
        let w = rows
            .iter()
            .map(|c| f(c))
            .max()
            .unwrap_or(0)
            .max(format::width(title));
        u16::try_from(w).unwrap_or(u16::MAX)
    };
    // Amounts and cards keep a usual width, so columns do not jump while scrolling.
    let amount = widest(&|c| format::width(&c.list_amount().to_string()), "amount").max(11);
    let id = widest(&|c| c.id.chars().count(), "id").min(32);
    let card_w = widest(&|c| format::width(&card(c)), "card").max(11);
    let email_ideal = widest(&|c| c.email.as_deref().map_or(0, format::width), "email").min(32);
    let desc_ideal = widest(
        &|c| c.description.as_deref().map_or(0, format::width),
        "description",
    );
    let status = widest(&|c| format::width(c.status.label()), "status");
    let time = widest(&|_| 11, created);
    const EMAIL_MIN: u16 = 14;
    const DESC_MIN: u16 = 12;
    const STATUS_USUAL: u16 = 13;
    // In the order the table reads.
    let columns = [
        (Column::Mark, 1, 1),
        (Column::Time, time, time),
        (Column::Status, status, STATUS_USUAL),
        (Column::Amount, amount, amount),
        (Column::Email, EMAIL_MIN.min(email_ideal), email_ideal),
        (Column::Description, DESC_MIN.min(desc_ideal), desc_ideal),
        (Column::Card, card_w, card_w),
        (Column::Id, id, id),
    ];
    let wants: Vec<Want> = columns
        .iter()
        .map(|&(_, min, ideal)| Want { min, ideal })
        .collect();
    list_parts::fit(&wants, &[5, 4, 6, 7, 0, 1, 2], &[2, 4, 5], width)
}
