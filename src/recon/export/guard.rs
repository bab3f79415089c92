//! The formula-injection guard (OWASP "CSV injection"): a spreadsheet runs a cell
//! that begins with `=`, `+`, `-` or `@` as a formula, and OWASP adds tab and
//! carriage return, which some programs skip before looking. Such text is written
//! with a leading apostrophe, which spreadsheets show as text and do not run. Only
//! text is guarded: money and numbers are written as numbers, so a negative amount
//! stays a number.

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` would be read as a formula.
pub fn needs_guard(text: &str) -> bool {
    text.starts_with(TRIGGERS)
}

/// `text` as it is safe to write in a cell: with a leading apostrophe where it
/// would otherwise be read as a formula, else unchanged.
pub fn guarded(text: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_trigger_character_is_guarded() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(guarded(text), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn other_text_is_left_alone() {
        for text in [
            "",
            "ch_123",
            " =1",
            "a=b",
            "'quoted",
            "12.50",
            "Sales revenue",
        ] {
            assert_eq!(guarded(text), text, "{text:?}");
        }
    }
}
