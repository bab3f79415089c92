//! Where each region goes, from the screen size and the model alone: `view` draws into
//! these regions and `update` uses them for paging keys and mouse clicks.

use ratatui::layout::Rect;

use crate::app::model::{Mode, Model};

/// The detail pane sits beside the table from this width; below it, it replaces it.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    pub header: Rect,
    pub filter: Option<Rect>,
    /// The charges table, its header row included.
    pub table: Rect,
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
    let show_filter = matches!(model.mode, Mode::Filter { .. }) || !model.filter_text.is_empty();
    let mut top = area.y + header.height;
    let filter = show_filter.then(|| {
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
    let (table, detail) = match &model.detail {
        None => (body, None),
        Some(_) if area.width >= SIDE_BY_SIDE_WIDTH => {
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
        Some(_) => (Rect { height: 0, ..body }, Some(body)),
    };
    Regions {
        header,
        filter,
        table,
        detail,
        status,
    }
}

/// Charge rows that fit in the table: its height less the column header.
pub fn table_body_rows(regions: &Regions) -> usize {
    usize::from(regions.table.height.saturating_sub(1))
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
