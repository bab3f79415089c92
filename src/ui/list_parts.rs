//! Pieces every list shares: which row is drawn first, the scrollbar, the one-line
//! message in place of an empty list, and fitting columns into the width there is.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::format;
use super::theme::Theme;

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
    if let (true, Some(&first)) = (widths.iter().all(|w| *w == 0), order.first()) {
        if let Some(w) = widths.get_mut(first) {
            *w = width;
        }
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

    #[test]
    fn needed_widths_go_in_order_of_importance() {
        let wants = [
            Want { min: 10, ideal: 20 },
            Want { min: 10, ideal: 30 },
            Want { min: 10, ideal: 10 },
        ];
        // The second column gets all it needs before the first, the third has no room.
        assert_eq!(fit_in_order(&wants, &[1, 0, 2], 45), vec![14, 30, 0]);
        // Room for all: each at its ideal.
        assert_eq!(fit_in_order(&wants, &[1, 0, 2], 62), vec![20, 30, 10]);
        // Too narrow for any minimum: the most important alone, narrowed.
        assert_eq!(fit_in_order(&wants, &[1, 0, 2], 8), vec![0, 8, 0]);
    }

    #[test]
    fn drops_then_grows() {
        let wants = [
            Want { min: 10, ideal: 20 },
            Want { min: 10, ideal: 30 },
            Want { min: 10, ideal: 10 },
        ];
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
