//! The XML both OFX and camt.053 are read through: quick-xml's pull parser
//! reduced to opening tags, closing tags and text, with the five predefined
//! entities and character references resolved and nothing else (a DTD is
//! skipped, never expanded), elements at most [`MAX_DEPTH`] deep, and every
//! error placed at a line.

use chrono::NaiveDate;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::MAX_LINE_BYTES;
use super::error::{ImportError, Location, Problem, quoted};
use super::text::LineCounter;

/// Deeper than any statement's elements (camt.053 needs about twelve).
pub const MAX_DEPTH: usize = 64;

/// What the walker reports.
#[derive(Debug, PartialEq, Eq)]
pub enum Item {
    /// An element opens: its local name (no namespace prefix) and its `Ccy`
    /// attribute, the only one a statement's reader wants.
    Open {
        name: String,
        ccy: Option<String>,
    },
    Close(String),
    /// A piece of text; consecutive pieces belong together.
    Text(String),
    Eof,
}

pub struct Walker<'a> {
    reader: Reader<&'a [u8]>,
    file: &'a str,
    lines: LineCounter<'a>,
    /// Where the reader's input starts in the text the lines count.
    base: usize,
    depth: usize,
    /// OFX 1: SGML, whose leaf elements are never closed and whose text may
    /// hold a bare `&`.
    sgml: bool,
}

impl<'a> Walker<'a> {
    /// Walks `text` from byte `start` on.
    pub fn new(file: &'a str, text: &'a str, start: usize, sgml: bool) -> Self {
        let mut reader = Reader::from_str(text.get(start..).unwrap_or(""));
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        if sgml {
            config.check_end_names = false;
            config.allow_unmatched_ends = true;
            config.allow_dangling_amp = true;
        }
        Walker {
            reader,
            file,
            lines: LineCounter::new(text),
            base: start,
            depth: 0,
            sgml,
        }
    }

    /// The line the reader is at now.
    pub fn line(&mut self) -> u64 {
        let at = self.base + self.reader.buffer_position() as usize;
        self.lines.line_at(at)
    }

    /// An error about `path`, at the reader's line.
    pub fn error(
        &mut self,
        path: &str,
        problem: Problem,
        message: impl Into<String>,
    ) -> ImportError {
        let line = self.line();
        ImportError::new(
            self.file,
            Location::Element {
                line,
                path: path.to_string(),
            },
            problem,
            message,
        )
    }

    fn syntax(&mut self, message: String) -> ImportError {
        let at = self.base + self.reader.error_position() as usize;
        let line = self.lines.line_at(at);
        ImportError::new(self.file, Location::Line(line), Problem::Syntax, message)
    }

    fn open(&mut self, start: &BytesStart<'_>) -> Result<Item, ImportError> {
        if !self.sgml {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.syntax(format!(
                    "elements are nested more than {MAX_DEPTH} deep; this is not a bank statement"
                )));
            }
        }
        let name = start.local_name().into_inner().to_string();
        let ccy = match start.try_get_attribute("Ccy") {
            Ok(Some(attr)) => match attr.normalized_value(XmlVersion::Implicit1_0) {
                Ok(value) => Some(value.into_owned()),
                Err(e) => return Err(self.syntax(format!("the Ccy attribute of <{name}>: {e}"))),
            },
            Ok(None) => None,
            Err(e) => return Err(self.syntax(format!("the attributes of <{name}>: {e}"))),
        };
        Ok(Item::Open { name, ccy })
    }

    fn text(&mut self, text: String) -> Result<Item, ImportError> {
        if text.len() > MAX_LINE_BYTES {
            return Err(self.syntax(format!(
                "a text of more than {} KiB; this is not a bank statement",
                MAX_LINE_BYTES / 1024
            )));
        }
        Ok(Item::Text(text))
    }

    pub fn next(&mut self) -> Result<Item, ImportError> {
        loop {
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.syntax(format!("not well-formed XML: {e}"))),
            };
            return match event {
                Event::Start(start) => self.open(&start),
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ok(Item::Close(end.local_name().into_inner().to_string()))
                }
                Event::Text(text) => self.text(text.xml10_content().into_owned()),
                Event::CData(data) => self.text(data.xml10_content().into_owned()),
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        Ok(None) => match &*reference {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                        Err(_) => None,
                    };
                    match resolved {
                        Some(c) => Ok(Item::Text(c.to_string())),
                        None if self.sgml => Ok(Item::Text(format!("&{};", &*reference))),
                        None => Err(self.syntax(format!(
                            "the entity &{}; is not one of XML's own; statements use no others",
                            &*reference
                        ))),
                    }
                }
                Event::Eof if self.depth > 0 => Err(self.syntax(format!(
                    "the file ends inside {} open elements; it was cut short",
                    self.depth
                ))),
                Event::Eof => Ok(Item::Eof),
                // Declarations, processing instructions, comments and a DTD
                // (never expanded) say nothing about the lines.
                Event::Empty(_)
                | Event::Comment(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::DocType(_) => {
                    continue;
                }
            };
        }
    }
}

/// A value from the file and the line it is on, for messages about it.
#[derive(Clone, Debug)]
pub struct Located {
    pub value: String,
    pub line: u64,
}

impl Located {
    /// The value as a date, read by `parse`; otherwise the message, which
    /// says it is not `shape`.
    pub fn date(
        &self,
        parse: fn(&str) -> Option<NaiveDate>,
        shape: &str,
    ) -> Result<NaiveDate, String> {
        parse(&self.value).ok_or_else(|| format!("the date {} is not {shape}", quoted(&self.value)))
    }
}

/// Text that is collected between tags, then taken by whichever element it
/// belongs to.
#[derive(Default)]
pub struct TextBuffer(String);

impl TextBuffer {
    pub fn push(&mut self, piece: &str) {
        // Bounded by the file size cap: pieces come from the file.
        self.0.push_str(piece);
    }

    /// The text so far, trimmed, and the buffer emptied.
    pub fn take(&mut self) -> String {
        let text = self.0.trim().to_string();
        self.0.clear();
        text
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}
