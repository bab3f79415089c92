//! Colours and emphasis, in one place. Colour is kept for what means something: a
//! charge's status, live money, warnings and errors, the selection. Everything else is
//! the terminal's own foreground, or dimmed.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::ChargeStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Ordinary text.
    pub text: Style,
    /// Labels, hints, secondary facts.
    pub dim: Style,
    /// The app's name and headings.
    pub title: Style,
    /// Keys in hints and the new-charge mark.
    pub accent: Style,
    /// The table's column header.
    pub column_header: Style,
    /// The selected row while the table has focus, and while it does not.
    pub selected: Style,
    pub selected_unfocused: Style,
    pub border: Style,
    pub border_focus: Style,
    pub warn: Style,
    pub error: Style,
    pub success: Style,
    /// The header badges.
    pub live: Style,
    pub test: Style,
    pub read_only: Style,
    /// An input field's text area.
    pub input: Style,
    /// Keys in the status line and help.
    pub key: Style,
    /// In `ChargeStatus::ALL` order.
    statuses: [Style; 9],
}

impl Theme {
    /// For dark terminal backgrounds; the default.
    pub fn dark() -> Theme {
        let fg = |c| Style::new().fg(c);
        Theme {
            text: Style::new(),
            dim: fg(Color::DarkGray),
            title: Style::new().add_modifier(Modifier::BOLD),
            accent: fg(Color::Cyan),
            column_header: fg(Color::Gray).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::Indexed(238)),
            selected_unfocused: Style::new().bg(Color::Indexed(235)),
            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan),
            warn: fg(Color::Yellow),
            error: fg(Color::Red),
            success: fg(Color::Green),
            live: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            test: Style::new().fg(Color::Black).bg(Color::DarkGray),
            read_only: Style::new().fg(Color::Black).bg(Color::Yellow),
            input: Style::new().bg(Color::Indexed(236)),
            key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            statuses: [
                fg(Color::Yellow),
                fg(Color::Green),
                fg(Color::Blue),
                fg(Color::Magenta),
                fg(Color::DarkGray),
                fg(Color::DarkGray),
                fg(Color::Red),
                fg(Color::Cyan),
                fg(Color::Red).add_modifier(Modifier::BOLD),
            ],
        }
    }

    /// For light terminal backgrounds: darker hues, lighter highlights.
    pub fn light() -> Theme {
        let fg = |c| Style::new().fg(c);
        Theme {
            text: Style::new(),
            dim: fg(Color::Indexed(244)),
            title: Style::new().add_modifier(Modifier::BOLD),
            accent: fg(Color::Blue),
            column_header: fg(Color::Indexed(238)).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::Indexed(252)),
            selected_unfocused: Style::new().bg(Color::Indexed(255)),
            border: fg(Color::Indexed(248)),
            border_focus: fg(Color::Blue),
            warn: fg(Color::Indexed(130)),
            error: fg(Color::Indexed(124)),
            success: fg(Color::Indexed(28)),
            live: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            test: Style::new().fg(Color::Black).bg(Color::Indexed(250)),
            read_only: Style::new().fg(Color::Black).bg(Color::Indexed(222)),
            input: Style::new().bg(Color::Indexed(254)),
            key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            statuses: [
                fg(Color::Indexed(130)),
                fg(Color::Indexed(28)),
                fg(Color::Indexed(25)),
                fg(Color::Indexed(90)),
                fg(Color::Indexed(244)),
                fg(Color::Indexed(244)),
                fg(Color::Indexed(124)),
                fg(Color::Indexed(30)),
                fg(Color::Indexed(124)).add_modifier(Modifier::BOLD),
            ],
        }
    }

    /// No colour at all (`NO_COLOR`, monochrome terminals): emphasis by weight and
    /// reverse video only.
    pub fn mono() -> Theme {
        let m = |modifier| Style::new().add_modifier(modifier);
        Theme {
            text: Style::new(),
            dim: m(Modifier::DIM),
            title: m(Modifier::BOLD),
            accent: m(Modifier::BOLD),
            column_header: m(Modifier::BOLD | Modifier::UNDERLINED),
            selected: m(Modifier::REVERSED),
            selected_unfocused: m(Modifier::UNDERLINED),
            border: Style::new(),
            border_focus: m(Modifier::BOLD),
            warn: m(Modifier::BOLD),
            error: m(Modifier::BOLD),
            success: Style::new(),
            live: m(Modifier::REVERSED | Modifier::BOLD),
            test: m(Modifier::REVERSED),
            read_only: m(Modifier::REVERSED),
            input: m(Modifier::UNDERLINED),
            key: m(Modifier::BOLD),
            statuses: [
                m(Modifier::BOLD),
                Style::new(),
                Style::new(),
                Style::new(),
                m(Modifier::DIM),
                m(Modifier::DIM),
                m(Modifier::BOLD),
                m(Modifier::ITALIC),
                m(Modifier::BOLD | Modifier::UNDERLINED),
            ],
        }
    }

    /// `dark`, `light` or `mono`, as the config names them.
    pub fn named(name: &str) -> Option<Theme> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(Theme::dark()),
            "light" => Some(Theme::light()),
            "mono" | "none" | "no-color" => Some(Theme::mono()),
            _ => None,
        }
    }

    /// How a charge's status is drawn.
    pub fn status(&self, s: ChargeStatus) -> Style {
        self.statuses[status_index(s)]
    }

    /// A box's border: bright while it has the keys.
    pub fn border_of(&self, focused: bool) -> Style {
        if focused {
            self.border_focus
        } else {
            self.border
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::dark()
    }
}

fn status_index(s: ChargeStatus) -> usize {
    match s {
        ChargeStatus::Authorised => 0,
        ChargeStatus::Captured => 1,
        ChargeStatus::PartiallyRefunded => 2,
        ChargeStatus::Refunded => 3,
        ChargeStatus::Voided => 4,
        ChargeStatus::Expired => 5,
        ChargeStatus::Declined => 6,
        ChargeStatus::Pending3ds => 7,
        ChargeStatus::Disputed => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_index_in_all_order() {
        for (i, s) in ChargeStatus::ALL.into_iter().enumerate() {
            assert_eq!(status_index(s), i);
        }
    }
}
