//! Text from outside (the gateway above all: ids, descriptions, emails, names, metadata,
//! reasons, its error messages), made safe to draw. A control character could move the
//! cursor or restyle the screen, and a bidirectional override (U+202E and kin) could
//! make a row read as something it does not say ("refund 100" shown as "001 dnufer").
//! Every view draws such text through [`clean`], which makes each of those characters
//! visible; [`scrub`] then removes any that still reached the frame, whatever drew it.

use std::borrow::Cow;

use ratatui::buffer::Buffer;

/// Shown in place of a C1 or bidi control: the control picture "substitute" (␦), in
/// the same block as ␛. Not U+FFFD, which terminals (and vt100) take for a decoding
/// error and may drop.
const MARK: char = '\u{2426}';

/// What `c` is drawn as, if not as itself.
fn replacement(c: char) -> Option<char> {
    match c {
        // Whitespace that would break a line or jump to a tab stop: one space.
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some(' '),
        // The other C0 controls, ESC among them, as their control pictures (␛).
        '\u{00}'..='\u{1F}' => char::from_u32(0x2400 + u32::from(c)),
        '\u{7F}' => Some('\u{2421}'),
        // C1 controls (CSI, OSC, ... in 8-bit form).
        '\u{80}'..='\u{9F}' => Some(MARK),
        // Bidirectional controls: marks, embeddings, overrides and isolates.
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some(MARK),
        _ => None,
    }
}

/// Whether `c` is drawn as something else: a control or a bidirectional control.
pub fn is_unsafe(c: char) -> bool {
    replacement(c).is_some()
}

/// `text` with every control and bidirectional-control character made visible: line
/// breaks and tabs as a space, ESC and the other C0 controls as their control pictures
/// (`␛`), C1 controls and bidi controls as `␦`. Borrows when there is nothing to change.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| replacement(c).unwrap_or(c)).collect())
}

/// Removes from a drawn frame any control or bidi-control character that a view drew
/// without [`clean`]. Such characters take no cell of their own, so removing them
/// leaves the layout as it was.
pub fn scrub(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.chars().any(is_unsafe) {
            let kept: String = symbol.chars().filter(|c| !is_unsafe(*c)).collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    use super::*;

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in [
            "ch_3FjX9pLmQ2sVb7NcRt5Ue0",
            "José Müller",
            "東京 ☕",
            "👩‍💻 dev",
            "",
        ] {
            assert!(
                matches!(clean(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn bidi_controls_are_made_visible() {
        assert_eq!(clean("refund \u{202E}001\u{202C} AUD"), "refund ␦001␦ AUD");
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202D}',
        ] {
            assert_eq!(clean(&format!("a{c}b")), "a␦b", "{:?}", c);
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(clean(&format!("a{c}b")), "a␦b", "{:?}", c);
        }
    }

    #[test]
    fn controls_are_made_visible() {
        assert_eq!(clean("\u{1b}[31mred\u{1b}[0m"), "␛[31mred␛[0m");
        assert_eq!(clean("\u{1b}]0;pwned\u{7}"), "␛]0;pwned␇");
        assert_eq!(clean("nul\0 del\u{7f} csi\u{9b}"), "nul␀ del␡ csi␦");
        assert_eq!(
            clean("two\nlines\r\tand\u{2028}more"),
            "two lines  and more"
        );
    }

    #[test]
    fn nothing_cleaned_is_a_control_or_a_bidi_control() {
        let every: String = (0..0x3000).filter_map(char::from_u32).collect();
        let cleaned = clean(&every);
        assert!(!cleaned.chars().any(|c| replacement(c).is_some()));
        assert!(!cleaned.chars().any(char::is_control));
    }

    #[test]
    fn scrub_removes_what_a_view_drew_raw_and_keeps_the_rest() {
        let area = Rect::new(0, 0, 12, 1);
        let mut buffer = Buffer::empty(area);
        Line::raw("ab\u{202E}cd\u{1b}e").render(area, &mut buffer);
        scrub(&mut buffer);
        let drawn: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(drawn, "abcde       ");
    }
}
