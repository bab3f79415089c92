//! What is wrong with a config, and where: `<file>:<line>:<col>: <what>; <instead>`.

use std::fmt;
use std::path::{Path, PathBuf};

/// A line and column in the config file, both counted from 1; the column counts
/// characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The line and column of a byte offset into `text`. An offset past the end or
    /// inside a character is moved back to the nearest character boundary.
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// A config that cannot be used. `Display` gives
/// `<file>:<line>:<col>: <what is wrong>; <what to write instead>` when the place is
/// known, `<file>: …` when only the file is, and the bare message for errors that
/// belong to no file (resolving a key at run time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    path: Option<PathBuf>,
    location: Option<Location>,
    message: String,
}

impl ConfigError {
    /// An error at byte `offset` of `text`, the contents of `path`.
    pub(crate) fn at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        ConfigError {
            path: Some(path.to_path_buf()),
            location: Some(Location::of_offset(text, offset)),
            message: message.into(),
        }
    }

    /// An error about a whole file.
    pub(crate) fn in_file(path: &Path, message: impl Into<String>) -> Self {
        ConfigError {
            path: Some(path.to_path_buf()),
            location: None,
            message: message.into(),
        }
    }

    /// An error that belongs to no file, such as a key that cannot be resolved.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConfigError {
            path: None,
            location: None,
            message: message.into(),
        }
    }

    /// The same error with `prefix` before its message.
    pub(crate) fn prefixed(mut self, prefix: &str) -> Self {
        self.message = format!("{prefix}{}", self.message);
        self
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn location(&self) -> Option<Location> {
        self.location
    }

    /// What is wrong and what to write instead, without the file and place.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.location) {
            (Some(path), Some(at)) => {
                write!(
                    f,
                    "{}:{}:{}: {}",
                    path.display(),
                    at.line,
                    at.column,
                    self.message
                )
            }
            (Some(path), None) => write!(f, "{}: {}", path.display(), self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        for (offset, line, column) in [
            (0, 1, 1),
            (4, 1, 5),
            (6, 2, 1),
            // after the two-byte é: the third character of the line
            (9, 2, 3),
            // inside the é, and past the end
            (8, 2, 2),
            (99, 3, 1),
        ] {
            assert_eq!(
                Location::of_offset(text, offset),
                Location { line, column },
                "offset {offset}"
            );
        }
    }

    #[test]
    fn display_names_the_file_and_place() {
        let path = Path::new("/tmp/c.toml");
        let e = ConfigError::at(path, "x\ny = 1", 4, "bad; write good");
        assert_eq!(e.to_string(), "/tmp/c.toml:2:3: bad; write good");
        let e = ConfigError::in_file(path, "cannot read it");
        assert_eq!(e.to_string(), "/tmp/c.toml: cannot read it");
        assert_eq!(ConfigError::new("no file").to_string(), "no file");
    }
}
