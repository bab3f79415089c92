//! Where the operator is in a list: the selected row and the first row on screen, over
//! however many rows the filter lets through. Charges and every other list share it.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// The selected row among those shown.
    pub row: usize,
    /// The first row on screen.
    pub offset: usize,
}

impl Selection {
    /// Moves by `delta` rows, clamped to the `shown` rows.
    pub fn move_by(&mut self, delta: isize, shown: usize) {
        let last = shown.saturating_sub(1);
        self.row = self.row.saturating_add_signed(delta).min(last);
    }

    pub fn select(&mut self, row: usize, shown: usize) {
        self.row = row.min(shown.saturating_sub(1));
    }

    /// Keeps the selection on a screen of `height` rows, scrolling as little as possible.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.row < self.offset {
            self.offset = self.row;
        } else if self.row >= self.offset + height {
            self.offset = self.row + 1 - height;
        }
    }
}
