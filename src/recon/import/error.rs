//! Why a statement file was refused: which file, where in it, what was wrong
//! and what to do, in words an operator can act on.

use std::fmt;

/// Where in the file the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (too large, not the format it claims).
    File,
    /// A line of the file (1-based).
    Line(u64),
    /// An XML element: the line it is on and its path (`Stmt/Ntry 3/Amt`).
    Element { line: u64, path: String },
}

/// The kind of problem, for code that reacts to it; the message says the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file or a line is over the size cap.
    TooLarge,
    /// Not readable as the format (broken XML, not a camt.053, no `<OFX>`).
    Syntax,
    /// A field is missing or its value is not what it should be.
    Field,
    /// The CSV column mapping does not fit the file, or is incomplete.
    Mapping,
    /// The file could not be read at all.
    Io,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    pub file: String,
    pub at: Location,
    pub problem: Problem,
    pub message: String,
}

impl ImportError {
    pub fn new(file: &str, at: Location, problem: Problem, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            at,
            problem,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    /// `statement.csv line 14: the amount '12,5O' is not a number; ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Location::File => write!(f, "{}: {}", self.file, self.message),
            Location::Line(n) => write!(f, "{} line {n}: {}", self.file, self.message),
            Location::Element { line, path } => {
                write!(f, "{} line {line} ({path}): {}", self.file, self.message)
            }
        }
    }
}

/// Shows a value from the file in a message: quoted, control characters
/// escaped, and cut short so one bad field cannot flood a screen.
pub fn quoted(value: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::from("'");
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}
