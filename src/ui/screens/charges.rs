//! The charges table, for the charges pane and for a customer's charges alike. It draws
//! only the rows on screen: a million charges cost the same per frame as a thousand.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::app::Model;
use crate::app::charge_list::ChargeList;
use crate::app::model::Focus;
use crate::domain::{Charge, ChargeStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, GAP, Want};
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
        model.screens.charges.focus == Focus::Table,
        || main_empty(model, theme),
    );
}

/// `list` as a table in `area`, its selection highlighted brightly while `focused`;
/// `empty` says why there is nothing to show when there is not.
pub fn draw_list(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    list: &ChargeList,
    focused: bool,
    empty: impl FnOnce() -> (String, Style),
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let body_rows = usize::from(area.height - 1);
    let total = list.visible_len();
    let offset = crate::app::layout::first_row_of(list, body_rows);
    let rows: Vec<&Charge> = list.rows(offset, body_rows).collect();
    if rows.is_empty() {
        // No column header over nothing: just say why there is nothing.
        let (text, style) = empty();
        list_parts::message(frame, area, &text, style);
        return;
    }

    let scrollbar = total > body_rows;
    // The scrollbar takes the last column, and one more keeps it off the ids.
    let table_area = Rect {
        width: if scrollbar {
            area.width.saturating_sub(2)
        } else {
            area.width
        },
        ..area
    };
    let created = format::created_title(model.zone, model.now);
    let columns = choose_columns(&rows, table_area.width, &created);

    let header = Row::new(columns.iter().map(|(col, _)| {
        let line = Line::from(match col {
            Column::Time => created.as_str(),
            _ => col.title(),
        });
        Cell::from(if *col == Column::Amount {
            line.alignment(Alignment::Right)
        } else {
            line
        })
    }))
    .style(theme.column_header);

    let body = rows
        .iter()
        .map(|charge| row(model, theme, charge, &columns));
    let widths = columns.iter().map(|(_, w)| Constraint::Length(*w));
    let selected_style = if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    };
    let table = Table::new(body, widths)
        .header(header)
        .column_spacing(GAP)
        .row_highlight_style(selected_style);
    let mut state = TableState::default();
    let selected = list.selected_row();
    if selected >= offset {
        state.select(Some(selected - offset));
    }
    frame.render_stateful_widget(table, table_area, &mut state);

    let body_area = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if scrollbar {
        list_parts::scrollbar(theme, frame, body_area, total, offset);
    }
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

fn row<'a>(model: &Model, theme: &Theme, charge: &'a Charge, columns: &[(Column, u16)]) -> Row<'a> {
    let moved_no_money = matches!(
        charge.status,
        ChargeStatus::Declined | ChargeStatus::Voided | ChargeStatus::Expired
    );
    Row::new(columns.iter().map(|&(col, width)| {
        let w = usize::from(width);
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
    }))
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
fn choose_columns(rows: &[&Charge], width: u16, created: &str) -> Vec<(Column, u16)> {
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
    let widths = list_parts::fit(&wants, &[5, 4, 6, 7, 0, 1, 2], &[2, 4, 5], width);
    columns
        .iter()
        .zip(widths)
        .filter(|(_, w)| *w > 0)
        .map(|(&(col, _, _), w)| (col, w))
        .collect()
}
