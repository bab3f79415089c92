//! A small multi-line text editor for dialogs that take prose (dispute evidence first):
//! lines of text and a cursor (row, column in characters), bounded in length, with the
//! soft wrapping a view needs to draw it. `tui_input` only does one line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextArea {
    lines: Vec<String>,
    row: usize,
    /// In characters, not bytes.
    col: usize,
    /// Characters in all lines plus one per line break.
    len: usize,
    max_chars: usize,
}

/// The text as the view draws it: soft rows of at most `width` cells, and where the
/// cursor falls among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub rows: Vec<String>,
    pub cursor_row: usize,
    pub cursor_col: usize,
}

impl TextArea {
    /// An empty editor that holds at most `max_chars` characters (line breaks count one).
    pub fn new(max_chars: usize) -> TextArea {
        TextArea {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            len: 0,
            max_chars,
        }
    }

    /// The lines joined with "\n".
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// (row, column in characters).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    pub fn len_chars(&self) -> usize {
        self.len
    }

    pub fn max_chars(&self) -> usize {
        self.max_chars
    }

    fn line_len(&self, row: usize) -> usize {
        self.lines.get(row).map_or(0, |l| l.chars().count())
    }

    fn byte_at(line: &str, col: usize) -> usize {
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    /// Inserts one character at the cursor; false when it is a control character or the
    /// text is full.
    pub fn insert_char(&mut self, c: char) -> bool {
        if c.is_control() || self.len >= self.max_chars {
            return false;
        }
        let line = &mut self.lines[self.row];
        let at = Self::byte_at(line, self.col);
        line.insert(at, c);
        self.col += 1;
        self.len += 1;
        true
    }

    /// Breaks the line at the cursor; false when the text is full.
    pub fn insert_newline(&mut self) -> bool {
        if self.len >= self.max_chars {
            return false;
        }
        let line = &mut self.lines[self.row];
        let at = Self::byte_at(line, self.col);
        let rest = line.split_off(at);
        self.row += 1;
        self.lines.insert(self.row, rest);
        self.col = 0;
        self.len += 1;
        true
    }

    /// Pasted text: line breaks (\n, \r\n, \r) start new lines, a tab is a space, other
    /// control characters are dropped, and what does not fit is cut off. The number of
    /// characters that did not fit.
    pub fn insert_str(&mut self, text: &str) -> usize {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let mut dropped = 0;
        for c in text.chars() {
            let fitted = match c {
                '\n' => self.insert_newline(),
                '\t' => self.insert_char(' '),
                c if c.is_control() => true,
                c => self.insert_char(c),
            };
            if !fitted {
                dropped += 1;
            }
        }
        dropped
    }

    /// Deletes the character before the cursor, joining with the line above at its start.
    pub fn backspace(&mut self) {
        if self.col > 0 {
            let line = &mut self.lines[self.row];
            let at = Self::byte_at(line, self.col - 1);
            line.remove(at);
            self.col -= 1;
            self.len -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len(self.row);
            self.lines[self.row].push_str(&line);
            self.len -= 1;
        }
    }

    /// Deletes the character under the cursor, joining the line below at a line's end.
    pub fn delete(&mut self) {
        if self.col < self.line_len(self.row) {
            let line = &mut self.lines[self.row];
            let at = Self::byte_at(line, self.col);
            line.remove(at);
            self.len -= 1;
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
            self.len -= 1;
        }
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len(self.row);
        }
    }

    pub fn right(&mut self) {
        if self.col < self.line_len(self.row) {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    pub fn up(&mut self) {
        if self.row > 0 {
            self.row -= 1;
            self.col = self.col.min(self.line_len(self.row));
        } else {
            self.col = 0;
        }
    }

    pub fn down(&mut self) {
        if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = self.col.min(self.line_len(self.row));
        } else {
            self.col = self.line_len(self.row);
        }
    }

    pub fn home(&mut self) {
        self.col = 0;
    }

    pub fn end(&mut self) {
        self.col = self.line_len(self.row);
    }

    /// The editing keys: characters, Enter, Backspace, Delete, arrows, Home and End. True
    /// when the key was one of them (the caller answers the others).
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        match key.code {
            KeyCode::Char(c) => {
                self.insert_char(c);
            }
            KeyCode::Enter => {
                self.insert_newline();
            }
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Up => self.up(),
            KeyCode::Down => self.down(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            _ => return false,
        }
        true
    }

    /// Soft-wraps each line into rows of at most `width` cells, breaking after a space
    /// where there is one (a word longer than a row is cut). The cursor at the end of a
    /// full row goes to the start of the next one, which is added empty if need be.
    pub fn wrapped(&self, width: usize) -> Wrapped {
        let width = width.max(1);
        let mut rows = Vec::new();
        let (mut cursor_row, mut cursor_col) = (0, 0);
        for (r, line) in self.lines.iter().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let widths: Vec<usize> = chars.iter().map(|c| char_width(*c)).collect();
            let starts = row_starts(&widths, &chars, width);
            for (k, &start) in starts.iter().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(chars.len());
                if r == self.row && (start..end).contains(&self.col) {
                    let col = widths[start..self.col].iter().sum();
                    (cursor_row, cursor_col) = (rows.len(), col);
                }
                rows.push(chars[start..end].iter().collect::<String>());
            }
            if r == self.row && self.col >= chars.len() {
                let last = starts.last().copied().unwrap_or(0);
                let used: usize = widths[last..].iter().sum();
                if used >= width {
                    rows.push(String::new());
                    (cursor_row, cursor_col) = (rows.len() - 1, 0);
                } else {
                    (cursor_row, cursor_col) = (rows.len() - 1, used);
                }
            }
        }
        Wrapped {
            rows,
            cursor_row,
            cursor_col,
        }
    }
}

/// Where each soft row of one line starts (character indices; the first is 0).
fn row_starts(widths: &[usize], chars: &[char], width: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut start = 0;
    let mut used = 0;
    let mut after_space = None;
    for (i, (&w, &c)) in widths.iter().zip(chars).enumerate() {
        if used + w > width && i > start {
            start = match after_space {
                Some(at) if at > start && at <= i => at,
                _ => i,
            };
            used = widths[start..i].iter().sum();
            after_space = None;
            starts.push(start);
        }
        used += w;
        if c == ' ' {
            after_space = Some(i + 1);
        }
    }
    starts
}

/// Cells a character takes on screen (ratatui measures with unicode-width).
fn char_width(c: char) -> usize {
    let mut buf = [0; 4];
    Span::raw(&*c.encode_utf8(&mut buf)).width()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> TextArea {
        let mut area = TextArea::new(100);
        area.insert_str(text);
        area
    }

    #[test]
    fn typing_inserts_at_the_cursor() {
        let mut area = typed("helo");
        area.left();
        area.insert_char('l');
        assert_eq!(area.text(), "hello");
        assert_eq!(area.cursor(), (0, 4));
        assert!(!area.insert_char('\u{1b}'), "controls are not text");
        assert_eq!(area.len_chars(), 5);
    }

    #[test]
    fn enter_breaks_the_line_at_the_cursor() {
        let mut area = typed("onetwo");
        for _ in 0..3 {
            area.left();
        }
        area.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(area.lines(), ["one", "two"]);
        assert_eq!(area.cursor(), (1, 0));
        assert_eq!(area.text(), "one\ntwo");
        assert_eq!(area.len_chars(), 7);
    }

    #[test]
    fn backspace_and_delete_join_lines() {
        let mut area = typed("one\ntwo");
        area.home();
        area.backspace();
        assert_eq!(area.lines(), ["onetwo"]);
        assert_eq!(area.cursor(), (0, 3));
        area.insert_newline();
        area.up();
        area.end();
        area.delete();
        assert_eq!(area.text(), "onetwo");
        assert_eq!(area.len_chars(), 6);
        area.home();
        area.backspace();
        assert_eq!(area.text(), "onetwo", "nothing before the start");
    }

    #[test]
    fn arrows_home_and_end_move_across_lines() {
        let mut area = typed("long line\nab\nlast one");
        assert_eq!(area.cursor(), (2, 8));
        area.up();
        assert_eq!(area.cursor(), (1, 2), "column kept within the shorter line");
        area.right();
        assert_eq!(area.cursor(), (2, 0), "right at a line's end goes down");
        area.left();
        area.left();
        assert_eq!(area.cursor(), (1, 1));
        area.up();
        area.end();
        assert_eq!(area.cursor(), (0, 9));
        area.home();
        assert_eq!(area.cursor(), (0, 0));
        area.down();
        area.down();
        area.down();
        assert_eq!(
            area.cursor(),
            (2, 8),
            "down on the last line goes to its end"
        );
    }

    #[test]
    fn the_bound_counts_characters_and_line_breaks() {
        let mut area = TextArea::new(5);
        let dropped = area.insert_str("ab\r\ncdéfg");
        assert_eq!(area.text(), "ab\ncd");
        assert_eq!(dropped, 3);
        assert!(!area.insert_newline());
        assert!(!area.insert_char('x'));
        area.backspace();
        assert!(area.insert_char('é'));
        assert_eq!(area.text(), "ab\ncé");
    }

    #[test]
    fn paste_turns_tabs_to_spaces_and_drops_other_controls() {
        let area = typed("a\tb\u{1b}[2J\rc");
        assert_eq!(area.lines(), ["a b[2J", "c"]);
    }

    #[test]
    fn wrapping_keeps_the_cursor_on_its_soft_row() {
        let mut area = typed("abcdefgh\nxy");
        let wrapped = area.wrapped(3);
        assert_eq!(wrapped.rows, ["abc", "def", "gh", "xy"]);
        assert_eq!((wrapped.cursor_row, wrapped.cursor_col), (3, 2));
        area.up();
        area.home();
        for _ in 0..4 {
            area.right();
        }
        let wrapped = area.wrapped(3);
        assert_eq!((wrapped.cursor_row, wrapped.cursor_col), (1, 1));
        let full = typed("abc").wrapped(3);
        assert_eq!(
            full.rows,
            ["abc", ""],
            "the cursor after a full row gets a row"
        );
        assert_eq!((full.cursor_row, full.cursor_col), (1, 0));
        let wide = typed("日本語").wrapped(4);
        assert_eq!(wide.rows, ["日本", "語"]);
        let words = typed("signed for by the cardholder").wrapped(12);
        assert_eq!(words.rows, ["signed for ", "by the ", "cardholder"]);
        assert_eq!((words.cursor_row, words.cursor_col), (2, 10));
    }
}
