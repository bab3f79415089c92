//! Pieces every list shares: a list's rows on screen drawn as a table (each screen
//! says only its columns), the scrollbar, the one-line message in place of an empty
//! list, and fitting columns into the width there is.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState,
};

use super::format;
use super::theme::Theme;
use crate::app::Model;
use crate::app::charge_list::ChargeList;
use crate::app::layout::first_visible;
use crate::app::listing::{Listing, Rows};
use crate::app::sort::{Sort, SortColumn, Sortable};
use crate::domain::Charge;

/// A list with a selection that scrolls: what a table needs to know of it.
pub trait Scrolled {
    type Item;
    fn visible_len(&self) -> usize;
    fn selected_row(&self) -> usize;
    /// The first row drawn last time.
    fn offset(&self) -> usize;
    fn rows(&self, start: usize, count: usize) -> Vec<&Self::Item>;
}

/// The charges' rows and every other list's answer alike, through their own methods.
macro_rules! scrolled {
    ($([$($g:ident)?] $list:ty => $item:ty;)*) => {$(
        impl<$($g)?> Scrolled for $list {
            type Item = $item;
            fn visible_len(&self) -> usize {
                <$list>::visible_len(self)
            }
            fn selected_row(&self) -> usize {
                <$list>::selected_row(self)
            }
            fn offset(&self) -> usize {
                <$list>::offset(self)
            }
            fn rows(&self, start: usize, count: usize) -> Vec<&$item> {
                <$list>::rows(self, start, count).collect()
            }
        }
    )*};
}

scrolled! {
    [] ChargeList => Charge;
    [T] Rows<T> => T;
}

/// Why a list of `what` shows no row: it could not be read, it is loading, the filter
/// matches none of it (`no_match` says how), or there is `none`.
pub fn why_empty<T>(
    theme: &Theme,
    list: &Listing<T>,
    what: &str,
    no_match: impl FnOnce() -> String,
    none: &str,
) -> (String, Style) {
    if let Some(why) = &list.error {
        (format!("could not load {what}: {why}"), theme.error)
    } else if !list.loaded {
        (format!("loading {what}…"), theme.dim)
    } else if !list.is_empty() {
        (no_match(), theme.dim)
    } else {
        (none.to_string(), theme.dim)
    }
}

/// What a screen says of its table: everything but its widths and cells.
pub struct Columns<'t> {
    /// The column titles, in the order drawn.
    pub titles: &'t [&'t str],
    /// The column aligned right (the amount), if any.
    pub right: Option<usize>,
    /// How the selected row is drawn (dimmer where the list has not the keys).
    pub highlight: Style,
    /// What shows in place of the table when no row does: why.
    pub empty: (String, Style),
    /// The column the rows are sorted by, if the operator sorted them.
    pub sort: Option<SortMark>,
}

/// The sorted column's mark in the header: `email ▲`, `▼ amount` (on the side a
/// right-aligned title keeps when the column is narrow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortMark {
    /// The table's column.
    pub column: usize,
    pub descending: bool,
}

impl SortMark {
    /// The mark for `sort` of `columns` in a table titled `titles` (a title may say
    /// more than the sort column's name: `created UTC`).
    pub fn of(titles: &[&str], columns: &[SortColumn], sort: Sort) -> Option<Self> {
        let name = columns.get(sort.column)?.title;
        let column = titles.iter().position(|t| t.starts_with(name))?;
        Some(SortMark {
            column,
            descending: sort.descending,
        })
    }

    /// The title with its arrow in `width` cells: words dropped from the end of a
    /// title too long for both (`created UTC` → `created ▼`), so the arrow shows.
    fn title(&self, title: &str, right: bool, width: usize) -> String {
        let arrow = if self.descending { "▼" } else { "▲" };
        let room = width.saturating_sub(2);
        let mut title = title.to_string();
        while format::width(&title) > room {
            match title.rsplit_once(' ') {
                Some((shorter, _)) => title = shorter.to_string(),
                None => {
                    title = format::truncate(&title, room);
                    break;
                }
            }
        }
        match right {
            true => format!("{arrow} {title}"),
            false => format!("{title} {arrow}"),
        }
    }
}

impl<'t> Columns<'t> {
    /// A list screen's columns (customers, refunds, disputes): its list has the keys,
    /// so its selection is bright.
    pub fn of_screen(
        theme: &Theme,
        titles: &'t [&'t str],
        right: Option<usize>,
        empty: (String, Style),
    ) -> Columns<'t> {
        Columns {
            titles,
            right,
            highlight: theme.selected,
            empty,
            sort: None,
        }
    }

    /// Marks the column `list` is sorted by, if it is.
    pub fn sorted<T: Sortable>(self, list: &Listing<T>) -> Columns<'t> {
        let sort = list
            .order()
            .and_then(|order| SortMark::of(self.titles, T::COLUMNS, order.sort));
        Columns { sort, ..self }
    }
}

/// A cell as a list screen draws it: row, column, width.
pub type ScreenCell<T> = fn(&Model, &Theme, &T, usize, usize) -> Cell<'static>;

/// A list screen's table: `list`'s rows under `columns`, each column as wide as
/// `widths` says and each cell as `cell` draws it.
pub fn screen_table<'a, T>(
    (model, theme): (&Model, &Theme),
    frame: &mut Frame,
    area: Rect,
    list: &'a Listing<T>,
    columns: Columns<'_>,
    widths: impl FnOnce(&[&'a T], u16) -> Vec<u16>,
    cell: ScreenCell<T>,
) {
    let cell = |row: &T, i, w| cell(model, theme, row, i, w);
    table(theme, frame, area, &list.held, columns, widths, cell);
}

/// Draws the rows of `list` that fit in `area` as a table under its column titles, the
/// selection highlighted and a scrollbar where not all fit. `widths` gives each
/// column's width for the rows on screen in a width (0 leaves it out); `cell` the cell
/// of a row in a column so wide.
pub fn table<'a, L: Scrolled>(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    list: &'a L,
    columns: Columns<'_>,
    widths: impl FnOnce(&[&'a L::Item], u16) -> Vec<u16>,
    cell: impl Fn(&'a L::Item, usize, usize) -> Cell<'a>,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let body_rows = usize::from(area.height - 1);
    let total = list.visible_len();
    let offset = first_visible(list.offset(), list.selected_row(), body_rows);
    let rows = list.rows(offset, body_rows);
    if rows.is_empty() {
        // No column header over nothing: just say why there is nothing.
        let (text, style) = columns.empty;
        message(frame, area, &text, style);
        return;
    }
    // The scrollbar takes the last column, and one more keeps it off the last values.
    let table_area = Rect {
        width: if total > body_rows {
            area.width.saturating_sub(2)
        } else {
            area.width
        },
        ..area
    };
    let widths = widths(&rows, table_area.width);
    let shown: Vec<usize> = (0..widths.len()).filter(|i| widths[*i] > 0).collect();
    let header = Row::new(shown.iter().map(|&i| {
        let title = columns.titles.get(i).copied().unwrap_or("");
        let line = match columns.sort {
            Some(mark) if mark.column == i => {
                let right = Some(i) == columns.right;
                Line::from(mark.title(title, right, usize::from(widths[i])))
            }
            _ => Line::from(title),
        };
        Cell::from(if Some(i) == columns.right {
            line.alignment(Alignment::Right)
        } else {
            line
        })
    }))
    .style(theme.column_header);
    let body = rows.iter().map(|row| {
        Row::new(
            shown
                .iter()
                .map(|&i| cell(row, i, usize::from(widths[i])))
                .collect::<Vec<_>>(),
        )
    });
    let table = Table::new(body, shown.iter().map(|i| Constraint::Length(widths[*i])))
        .header(header)
        .column_spacing(GAP)
        .row_highlight_style(columns.highlight);
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
    scrollbar(theme, frame, body_area, total, offset);
}

/// Space between columns.
pub const GAP: u16 = 1;

/// The thin scrollbar at the right of `body`, for `total` rows of which `rows` show
/// from `offset`. Draws nothing when everything fits.
pub fn scrollbar(theme: &Theme, frame: &mut Frame, body: Rect, total: usize, offset: usize) {
    let rows = usize::from(body.height);
    if total <= rows || body.height == 0 {
        return;
    }
    let mut state = ScrollbarState::new(total.saturating_sub(rows) + 1)
        .position(offset)
        .viewport_content_length(rows);
    let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .track_symbol(Some("│"))
        .track_style(theme.border)
        .thumb_symbol("┃")
        .thumb_style(theme.dim);
    frame.render_stateful_widget(bar, body, &mut state);
}

/// One line of `text`, centred in `area`: why a list is empty.
pub fn message(frame: &mut Frame, area: Rect, text: &str, style: Style) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let text = format::truncate(text, usize::from(area.width.saturating_sub(2)));
    let line = Rect {
        y: area.y + (area.height - 1) / 2,
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(Span::styled(text, style)).alignment(Alignment::Center),
        line,
    );
}

/// A column as the table would like it.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    /// Narrower than this it is not worth showing.
    pub min: u16,
    /// As wide as its widest value (capped).
    pub ideal: u16,
}

/// Widths for `wants` in `width`: every column at its minimum, then the columns in
/// `drop` order left out while they do not fit (0 = left out), then what is left handed
/// out in `grow` order up to each column's ideal. Where `drop` names every column but
/// one (the amount), that one is all that shows when nothing else fits, narrowed to
/// the width there is: its cells then say `…` (see `format::amount`).
pub fn fit(wants: &[Want], drop: &[usize], grow: &[usize], width: u16) -> Vec<u16> {
    let mut widths: Vec<u16> = wants.iter().map(|w| w.min).collect();
    let used = |widths: &[u16]| -> u16 {
        let shown = widths.iter().filter(|w| **w > 0).count() as u16;
        widths.iter().sum::<u16>() + GAP * shown.saturating_sub(1)
    };
    for &i in drop {
        if used(&widths) <= width {
            break;
        }
        if let Some(w) = widths.get_mut(i) {
            *w = 0;
        }
    }
    if used(&widths) > width {
        for w in widths.iter_mut().filter(|w| **w > 0) {
            *w = (*w).min(width);
        }
    }
    let mut spare = width.saturating_sub(used(&widths));
    for &i in grow {
        let (Some(w), Some(want)) = (widths.get_mut(i), wants.get(i)) else {
            continue;
        };
        if *w == 0 {
            continue;
        }
        let more = want.ideal.saturating_sub(*w).min(spare);
        *w += more;
        spare -= more;
    }
    widths
}

/// Widths for `wants` in `width`, handed out in `order` of importance: each column in
/// turn gets its ideal (what its values need) if that still fits, else what is left if
/// that is at least its minimum, else it is left out (0). Columns not in `order` are
/// left out, so a less important column never takes room a more important one needs.
/// When nothing fits, the first column alone shows, narrowed to the width there is
/// (for the amount, whose cells then say `…`: see `format::amount`).
pub fn fit_in_order(wants: &[Want], order: &[usize], width: u16) -> Vec<u16> {
    let mut widths = vec![0u16; wants.len()];
    let mut left = width;
    for &i in order {
        let Some(want) = wants.get(i) else { continue };
        let gap = if widths.iter().any(|w| *w > 0) {
            GAP
        } else {
            0
        };
        let room = left.saturating_sub(gap);
        let w = want.ideal.max(want.min);
        let given = if w <= room {
            w
        } else if room >= want.min && room > 0 {
            room
        } else {
            0
        };
        if given > 0 {
            widths[i] = given;
            left -= given + gap;
        }
    }
    if let (true, Some(&first)) = (widths.iter().all(|w| *w == 0), order.first())
        && let Some(w) = widths.get_mut(first)
    {
        *w = width;
    }
    widths
}

/// The widest of `values` and `title`, between `min` and `max` cells.
pub fn widest<'a>(values: impl Iterator<Item = &'a str>, title: &str, max: u16) -> u16 {
    let w = values
        .map(format::width)
        .chain([format::width(title)])
        .max()
        .unwrap_or(0);
    u16::try_from(w).unwrap_or(u16::MAX).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREE: [Want; 3] = [
        Want { min: 10, ideal: 20 },
        Want { min: 10, ideal: 30 },
        Want { min: 10, ideal: 10 },
    ];

    #[test]
    fn needed_widths_go_in_order_of_importance() {
        let wants = THREE;
        // The second column gets all it needs before the first, the third has no room.
        assert_eq!(fit_in_order(&wants, &[1, 0, 2], 45), vec![14, 30, 0]);
        // Room for all: each at its ideal.
        assert_eq!(fit_in_order(&wants, &[1, 0, 2], 62), vec![20, 30, 10]);
        // Too narrow for any minimum: the most important alone, narrowed.
        assert_eq!(fit_in_order(&wants, &[1, 0, 2], 8), vec![0, 8, 0]);
    }

    #[test]
    fn a_sort_mark_keeps_its_arrow_in_a_narrow_column() {
        let mark = SortMark {
            column: 0,
            descending: true,
        };
        assert_eq!(mark.title("created UTC", false, 20), "created UTC ▼");
        assert_eq!(mark.title("created UTC", false, 11), "created ▼");
        assert_eq!(mark.title("amount", true, 11), "▼ amount");
        assert_eq!(mark.title("description", false, 6), "des… ▼");
    }

    #[test]
    fn drops_then_grows() {
        let wants = THREE;
        assert_eq!(fit(&wants, &[2, 1], &[1, 0], 25), [10, 14, 0]);
        assert_eq!(fit(&wants, &[2, 1], &[1, 0], 100), [20, 30, 10]);
        assert_eq!(fit(&wants, &[2, 1], &[1, 0], 12), [12, 0, 0]);
    }

    #[test]
    fn the_column_never_dropped_is_narrowed_only_when_alone() {
        let wants = [Want { min: 11, ideal: 11 }, Want { min: 13, ideal: 13 }];
        assert_eq!(fit(&wants, &[1], &[], 20), [11, 0]);
        assert_eq!(fit(&wants, &[1], &[], 8), [8, 0]);
    }
}
