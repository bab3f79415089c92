//! Where each region goes, from the screen size and the model alone: `view` draws into
//! these regions and `update` uses them for paging keys and mouse clicks. What depends
//! on the text drawn (how far it scrolls, whether a dialog fits) the view reports back
//! after each frame as [`Drawn`].

use ratatui::layout::Rect;

use super::charge_list::ChargeList;
use super::model::{Loadable, Mode, Model};
use super::screens::stack::Body;
use super::screens::{CustomerPane, PayoutPane, Section};

/// What the view found when it drew the last frame, for the keys that depend on the
/// text on screen. Reported by the view after each frame (`Msg::Drawn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// How far the open charge (beside the list or on its own) scrolls: its last line
    /// at the bottom of its box.
    pub detail_max_scroll: u16,
    /// How far the help scrolls, and how many of its rows a page key moves.
    pub help_max_scroll: u16,
    /// How far the statistics table scrolls before its last line is at the bottom.
    pub stats_max_scroll: u16,
    pub help_page_rows: usize,
    /// Whether the open dialog, if any, shows every field and what Enter does.
    pub dialog_fits: bool,
}

impl Default for Drawn {
    /// Nothing drawn yet: nothing scrolls, and a dialog is taken to fit.
    fn default() -> Drawn {
        Drawn {
            detail_max_scroll: 0,
            help_max_scroll: 0,
            stats_max_scroll: 0,
            help_page_rows: 1,
            dialog_fits: true,
        }
    }
}

/// The whole screen, from the size the terminal last reported.
pub fn screen(model: &Model) -> Rect {
    Rect::new(0, 0, model.screen.0, model.screen.1)
}

/// The first row drawn for a body of `rows` rows: the list's own offset, moved as
/// little as needed to keep the selection on screen (`update` normally does that
/// already; this covers a frame drawn before it could, such as just after a resize).
pub fn first_visible(offset: usize, selected: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}

/// The first charge drawn of a charge list (the charges screen's or a customer's).
pub fn first_row_of(list: &ChargeList, rows: usize) -> usize {
    first_visible(list.offset(), list.selected_row(), rows)
}

/// The detail pane sits beside the table from this width; below it, it replaces it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    pub header: Rect,
    /// Where we are (`charges › customer ada@example.com`), while a pane is open.
    pub breadcrumb: Option<Rect>,
    pub filter: Option<Rect>,
    /// Everything between the lines above and the status line.
    pub body: Rect,
    /// The charges table, its header row included. With a pane on top: the customers or
    /// refunds table, or the customer's charges table; nothing for a single charge.
    pub table: Rect,
    /// The open charge: beside or instead of the charges table, or a charge pane.
    pub detail: Option<Rect>,
    pub status: Rect,
}

pub fn regions(area: Rect, model: &Model) -> Regions {
    let header = Rect {
        height: area.height.min(1),
        ..area
    };
    let status = Rect {
        y: area.y + area.height.saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    let mut top = area.y + header.height;
    let breadcrumb = (!model.screens.at_bottom() && top < status.y).then(|| {
        let r = Rect {
            y: top,
            height: 1,
            ..area
        };
        top += 1;
        r
    });
    let filtering = matches!(model.mode, Mode::Filter { .. });
    let show_filter = model
        .screens
        .filter()
        .is_some_and(|f| filtering || !f.text.is_empty());
    let filter = (show_filter && top < status.y).then(|| {
        let r = Rect {
            y: top,
            height: 1,
            ..area
        };
        top += 1;
        r
    });
    let body = Rect {
        y: top,
        height: status.y.saturating_sub(top),
        ..area
    };
    let (table, detail) = match model.screens.body() {
        Body::ChargesList { detail_open: false } | Body::Table => (body, None),
        Body::ChargesList { .. } if area.width >= SIDE_BY_SIDE_WIDTH => {
            let left = body.width * 55 / 100;
            (
                Rect {
                    width: left,
                    ..body
                },
                Some(Rect {
                    x: body.x + left,
                    width: body.width - left,
                    ..body
                }),
            )
        }
        Body::ChargesList { .. } | Body::Charge => (Rect { height: 0, ..body }, Some(body)),
        Body::Customer(pane) => (customer_layout(body, pane).charges_table, None),
        Body::Payout(pane) => (payout_layout(body, pane).lines, None),
    };
    Regions {
        header,
        breadcrumb,
        filter,
        body,
        table,
        detail,
        status,
    }
}

/// Where overlays (dialogs, the help) go: everything between the header and the
/// status line, so that both stay in view.
pub fn overlay_area(regions: &Regions) -> Rect {
    let top = regions.header.y + regions.header.height;
    Rect {
        y: top,
        height: regions.status.y.saturating_sub(top),
        ..regions.body
    }
}

/// Charge rows that fit in the table: its height less the column header.
pub fn table_body_rows(regions: &Regions) -> usize {
    usize::from(regions.table.height.saturating_sub(1))
}

/// How many rows the list that has the keys shows, on whichever pane is on top: the
/// charges table (main or a customer's), the customers or refunds table, the customer's
/// cards or subscriptions box, or the lines of an open charge on its own. For paging
/// keys and keeping the selection in view.
pub fn list_body_rows(area: Rect, model: &Model) -> usize {
    let r = regions(area, model);
    match model.screens.body() {
        Body::ChargesList { .. } | Body::Table => table_body_rows(&r),
        Body::Customer(pane) => match pane.section {
            Section::Charges => table_body_rows(&r),
            Section::Cards | Section::Subscriptions => {
                let parts = customer_layout(r.body, pane);
                let boxed = if pane.section == Section::Cards {
                    parts.cards
                } else {
                    parts.subscriptions
                };
                usize::from(boxed.height.saturating_sub(2))
            }
        },
        Body::Charge => r
            .detail
            .map_or(0, |d| usize::from(d.height.saturating_sub(2))),
        Body::Payout(_) => table_body_rows(&r),
    }
}

/// Where each part of a payout's screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutLayout {
    /// The payout's fields.
    pub fields: Rect,
    /// Its lines: the table with its header row.
    pub lines: Rect,
    /// A totals row per currency, then whether the lines add up to the payout.
    pub totals: Rect,
}

/// Rows the payout's seven fields take: two to a row where the screen is wide.
pub fn payout_field_rows(width: u16) -> u16 {
    if width >= SIDE_BY_SIDE_WIDTH { 4 } else { 7 }
}

/// The fields take what they need, at most half the body; the totals what they need
/// of the rest, at most half; the lines what is left.
pub fn payout_layout(body: Rect, pane: &PayoutPane) -> PayoutLayout {
    let fields_h = payout_field_rows(body.width)
        .min(body.height / 2)
        .max(body.height.min(1));
    let rest = body.height - fields_h;
    let totals_want = match &pane.lines {
        None => 0,
        Some(lines) => {
            let mut currencies: Vec<_> =
                lines.items().iter().map(|l| l.amounts.currency()).collect();
            currencies.sort_by_key(|c| c.code());
            currencies.dedup();
            u16::try_from(currencies.len().max(1) + 1).unwrap_or(u16::MAX)
        }
    };
    let totals_h = totals_want.min(rest / 2);
    let lines_h = if pane.lines.is_some() {
        rest - totals_h
    } else {
        0
    };
    let fields = Rect {
        height: fields_h,
        ..body
    };
    let lines = Rect {
        y: body.y + fields_h,
        height: lines_h,
        ..body
    };
    let totals = Rect {
        y: lines.y + lines_h,
        height: totals_h,
        ..body
    };
    PayoutLayout {
        fields,
        lines,
        totals,
    }
}

/// Where each part of the customer pane goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerLayout {
    pub contact: Rect,
    pub cards: Rect,
    pub subscriptions: Rect,
    /// The customer's charges: a title rule, then the table with its header row.
    pub charges: Rect,
    pub charges_table: Rect,
}

/// The contact box needs this many lines: seven fields and two borders.
const CONTACT_HEIGHT: u16 = 9;

/// The boxes on top take what they need, at most half the body; the customer's charges
/// the rest. Wide screens put contact, cards and subscriptions side by side; narrow
/// ones put the cards above the subscriptions, beside the contact box.
pub fn customer_layout(body: Rect, pane: &CustomerPane) -> CustomerLayout {
    fn rows<T>(list: &Loadable<Vec<T>>) -> u16 {
        match list {
            Loadable::Loaded(items) => u16::try_from(items.len()).unwrap_or(u16::MAX).max(1),
            _ => 1,
        }
    }
    let cards_want = rows(&pane.cards.items).saturating_add(2);
    let subs_want = rows(&pane.subscriptions.items).saturating_add(2);
    let wide = body.width >= SIDE_BY_SIDE_WIDTH;
    let want = if wide {
        CONTACT_HEIGHT.max(cards_want).max(subs_want)
    } else {
        CONTACT_HEIGHT.max(cards_want.saturating_add(subs_want))
    };
    let top_height = want.min(body.height / 2);
    let top = Rect {
        height: top_height,
        ..body
    };
    let (contact, cards, subscriptions) = if wide {
        // Cards and subscriptions as wide as their rows (ids whole); contact the rest.
        let cards_w = (body.width * 35 / 100).min(58);
        let subs_w = (body.width * 43 / 100).min(68);
        let contact_w = body.width - cards_w - subs_w;
        (
            Rect {
                width: contact_w,
                ..top
            },
            Rect {
                x: top.x + contact_w,
                width: cards_w,
                ..top
            },
            Rect {
                x: top.x + contact_w + cards_w,
                width: subs_w,
                ..top
            },
        )
    } else {
        let contact_w = body.width * 40 / 100;
        let right = Rect {
            x: top.x + contact_w,
            width: top.width - contact_w,
            ..top
        };
        let cards_h = cards_want.min(top_height - subs_want.min(top_height / 2));
        (
            Rect {
                width: contact_w,
                ..top
            },
            Rect {
                height: cards_h,
                ..right
            },
            Rect {
                y: right.y + cards_h,
                height: top_height - cards_h,
                ..right
            },
        )
    };
    let charges = Rect {
        y: body.y + top_height,
        height: body.height - top_height,
        ..body
    };
    let charges_table = Rect {
        y: charges.y + charges.height.min(1),
        height: charges.height.saturating_sub(1),
        ..charges
    };
    CustomerLayout {
        contact,
        cards,
        subscriptions,
        charges,
        charges_table,
    }
}

/// Which visible row a screen cell is on, counted from the first row drawn.
pub fn table_row_at(regions: &Regions, column: u16, row: u16) -> Option<usize> {
    let t = regions.table;
    let body_top = t.y + 1;
    let inside = column >= t.x && column < t.x + t.width && row >= body_top && row < t.y + t.height;
    inside.then(|| usize::from(row - body_top))
}

/// A `width` × `height` box in the middle of `area`, shrunk to fit it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::first_visible;

    #[test]
    fn keeps_the_selection_in_view() {
        assert_eq!(first_visible(0, 3, 10), 0);
        assert_eq!(first_visible(5, 3, 10), 3);
        assert_eq!(first_visible(0, 12, 10), 3);
    }
}
