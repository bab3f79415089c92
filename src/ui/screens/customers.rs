//! The customers pane: one row a customer (name, email, company, primary card,
//! created, id), only the rows on screen drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::app::Model;
use crate::app::screens::CustomersPane;
use crate::domain::Customer;
use crate::ui::format;
use crate::ui::list_parts::{self, GAP, Want};
use crate::ui::theme::Theme;

const NAME: usize = 0;
const EMAIL: usize = 1;
const COMPANY: usize = 2;
const CARD: usize = 3;
const CREATED: usize = 4;
const TITLES: [&str; 6] = ["name", "email", "company", "primary card", "created", "id"];

/// What the list says while a filter matches nothing: how far the search has got.
fn no_match(list: &crate::app::listing::Listing<Customer>) -> String {
    let text = list.filter_text.trim();
    let held = format::count(list.len() as u64);
    let of = list
        .total
        .map(|t| format!(" of {}", format::count(t)))
        .unwrap_or_default();
    if list.loading {
        format!("searching {held}{of} loaded for {text}…")
    } else if list.next.is_some() {
        format!(
            "no customers among the {held}{of} loaded match {text}; the filter searches that many at most"
        )
    } else {
        format!("no customers match {text} (all {held} searched)")
    }
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &CustomersPane) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let list = &pane.list;
    let body_rows = usize::from(area.height - 1);
    let total = list.visible_len();
    let offset = crate::app::layout::first_visible(list.offset(), list.selected_row(), body_rows);
    let rows: Vec<&Customer> = list.rows(offset, body_rows).collect();
    if rows.is_empty() {
        let (text, style) = if let Some(why) = &list.error {
            (format!("could not load customers: {why}"), theme.error)
        } else if !list.loaded {
            ("loading customers…".to_string(), theme.dim)
        } else if !list.is_empty() {
            (no_match(list), theme.dim)
        } else {
            ("no customers yet".to_string(), theme.dim)
        };
        list_parts::message(frame, area, &text, style);
        return;
    }

    let scrollbar = total > body_rows;
    let table_area = Rect {
        width: if scrollbar {
            area.width.saturating_sub(2)
        } else {
            area.width
        },
        ..area
    };
    let cards: Vec<String> = rows.iter().map(|c| card(c)).collect();
    let names: Vec<String> = rows.iter().map(|c| name(c)).collect();
    let id_width = list_parts::widest(rows.iter().map(|c| c.id.as_str()), "id", 32);
    let wants = [
        Want {
            min: 12,
            ideal: list_parts::widest(names.iter().map(String::as_str), "name", 28),
        },
        Want {
            min: 16,
            ideal: list_parts::widest(rows.iter().map(|c| c.email.as_str()), "email", 36),
        },
        Want {
            min: 10,
            ideal: list_parts::widest(
                rows.iter().map(|c| c.company.as_deref().unwrap_or("")),
                "company",
                30,
            ),
        },
        Want { min: 12, ideal: 12 },
        Want { min: 10, ideal: 10 },
        // Ids are what gets copied and searched for: whole, or not at all.
        Want {
            min: id_width,
            ideal: id_width,
        },
    ];
    let widths = list_parts::fit(
        &wants,
        &[COMPANY, CREATED, CARD, NAME],
        &[EMAIL, NAME, COMPANY],
        table_area.width,
    );
    let shown: Vec<usize> = (0..TITLES.len()).filter(|i| widths[*i] > 0).collect();
    let header = Row::new(shown.iter().map(|i| Cell::from(TITLES[*i]))).style(theme.column_header);
    let body = rows.iter().zip(names).zip(cards).map(|((c, name), card)| {
        Row::new(shown.iter().map(|&i| {
            let w = usize::from(widths[i]);
            match i {
                NAME => Cell::from(format::truncate(&name, w)),
                EMAIL => Cell::from(format::truncate(&c.email, w)),
                COMPANY => Cell::from(Span::styled(
                    format::truncate(c.company.as_deref().unwrap_or(""), w),
                    theme.dim,
                )),
                CARD => Cell::from(card.clone()),
                CREATED => Cell::from(Span::styled(format::date(c.created, model.zone), theme.dim)),
                _ => Cell::from(Span::styled(format::truncate(&c.id, w), theme.dim)),
            }
        }))
    });
    let table = Table::new(body, shown.iter().map(|i| Constraint::Length(widths[*i])))
        .header(header)
        .column_spacing(GAP)
        .row_highlight_style(theme.selected);
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
    list_parts::scrollbar(theme, frame, body_area, total, offset);
}

/// The name, or nothing when the gateway has none (the email is beside it).
fn name(c: &Customer) -> String {
    match (&c.first_name, &c.last_name) {
        (None, None) => String::new(),
        _ => c.display_name(),
    }
}

/// `Visa ••4242`, `MC ••4444`.
fn card(c: &Customer) -> String {
    c.primary_card.as_ref().map_or_else(String::new, |card| {
        format!("{} ••{}", format::brand_short(card.brand), card.last4)
    })
}
