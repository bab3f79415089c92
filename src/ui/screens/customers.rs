//! The customers pane: one row a customer (name, email, company, primary card,
//! created, id), only the rows on screen drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Cell;

use crate::app::Model;
use crate::app::screens::CustomersPane;
use crate::domain::Customer;
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, Want};
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
    let list = &pane.list;
    let empty = list_parts::why_empty(
        theme,
        list,
        "customers",
        || no_match(list),
        "no customers yet",
    );
    let columns = Columns::of_screen(theme, &TITLES, None, empty).sorted(list);
    list_parts::screen_table((model, theme), frame, area, list, columns, widths, cell);
}

/// Each column's width for `rows` in `width`.
fn widths(rows: &[&Customer], width: u16) -> Vec<u16> {
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
    list_parts::fit(
        &wants,
        &[COMPANY, CREATED, CARD, NAME],
        &[EMAIL, NAME, COMPANY],
        width,
    )
}

/// Customer `c`'s cell in column `i`, `w` wide.
fn cell(model: &Model, theme: &Theme, c: &Customer, i: usize, w: usize) -> Cell<'static> {
    match i {
        NAME => Cell::from(format::truncate(&name(c), w)),
        EMAIL => Cell::from(format::truncate(&c.email, w)),
        COMPANY => Cell::from(Span::styled(
            format::truncate(c.company.as_deref().unwrap_or(""), w),
            theme.dim,
        )),
        CARD => Cell::from(card(c)),
        CREATED => Cell::from(Span::styled(format::date(c.created, model.zone), theme.dim)),
        _ => Cell::from(Span::styled(format::truncate(&c.id, w), theme.dim)),
    }
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
