//! Reads back an .xlsx that paydeck wrote, for tests: the ZIP's stored entries
//! (each checked against its CRC-32 and sizes) and each sheet's cells, read with
//! quick-xml. It reads what paydeck writes (stored entries, inline strings, sheet n
//! in `xl/worksheets/sheet<n>.xml`), not every workbook.

use std::collections::BTreeMap;

use paydeck::recon::export::crc32;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// A cell read back: its text, and whether the sheet says it is a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XCell {
    Text(String),
    /// The `<v>` text as written: the exact decimal.
    Number(String),
    Empty,
}

impl XCell {
    /// What the cell holds, as text (the same as the CSV's cell).
    pub fn text(&self) -> &str {
        match self {
            XCell::Text(t) | XCell::Number(t) => t,
            XCell::Empty => "",
        }
    }
}

#[derive(Debug)]
pub struct XSheet {
    pub name: String,
    pub rows: Vec<Vec<XCell>>,
}

fn u16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The archive's entries by name, each checked: stored, its sizes, its CRC-32.
pub fn entries(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let end = zip.len().checked_sub(22).expect("an end record");
    assert_eq!(
        u32_at(zip, end),
        0x0605_4b50,
        "no end record where expected"
    );
    let count = u16_at(zip, end + 10);
    let mut at = u32_at(zip, end + 16) as usize;
    let mut entries = BTreeMap::new();
    for _ in 0..count {
        assert_eq!(u32_at(zip, at), 0x0201_4b50, "a directory entry");
        let (crc, size) = (u32_at(zip, at + 16), u32_at(zip, at + 24) as usize);
        let name_len = u16_at(zip, at + 28);
        let skip = name_len + u16_at(zip, at + 30) + u16_at(zip, at + 32);
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).expect("a name");
        let local = u32_at(zip, at + 42) as usize;
        assert_eq!(u32_at(zip, local), 0x0403_4b50, "{name}: a local header");
        assert_eq!(u16_at(zip, local + 8), 0, "{name} is stored");
        assert_eq!(u32_at(zip, local + 14), crc, "{name}: the two CRCs");
        assert_eq!(u32_at(zip, local + 18) as usize, size, "{name}: the sizes");
        let data_at = local + 30 + u16_at(zip, local + 26) + u16_at(zip, local + 28);
        let data = zip[data_at..data_at + size].to_vec();
        assert_eq!(crc32(&data), crc, "{name}: its CRC-32");
        entries.insert(name, data);
        at += 46 + skip;
    }
    entries
}

/// Each sheet of the workbook, in order, with its cells.
pub fn read(zip: &[u8]) -> Vec<XSheet> {
    let entries = entries(zip);
    let text = |name: &str| {
        let bytes = entries.get(name).unwrap_or_else(|| panic!("no {name}"));
        String::from_utf8(bytes.clone()).expect("UTF-8 XML")
    };
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
    ] {
        assert!(entries.contains_key(part), "no {part}");
    }
    sheet_names(&text("xl/workbook.xml"))
        .into_iter()
        .enumerate()
        .map(|(n, name)| XSheet {
            rows: rows(&text(&format!("xl/worksheets/sheet{}.xml", n + 1))),
            name,
        })
        .collect()
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    let attr = element.try_get_attribute(name).expect("attributes")?;
    Some(
        attr.normalized_value(XmlVersion::Implicit1_0)
            .expect("an attribute's value")
            .into_owned(),
    )
}

fn sheet_names(workbook: &str) -> Vec<String> {
    let mut reader = Reader::from_str(workbook);
    let mut names = Vec::new();
    loop {
        match reader.read_event().expect("workbook.xml is XML") {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                names.push(attribute(&e, "name").expect("a sheet's name"));
            }
            Event::Eof => return names,
            _ => {}
        }
    }
}

/// The column of a cell reference: `A1` is 0, `AA7` is 26.
fn column(reference: &str) -> usize {
    let letters = reference.bytes().take_while(u8::is_ascii_uppercase);
    letters.fold(0, |n, l| n * 26 + usize::from(l - b'A' + 1)) - 1
}

fn rows(sheet: &str) -> Vec<Vec<XCell>> {
    let mut reader = Reader::from_str(sheet);
    let mut rows: Vec<Vec<XCell>> = Vec::new();
    // The open cell: its column, whether it is a string, and its text so far.
    let mut cell: Option<(usize, bool, String)> = None;
    loop {
        match reader.read_event().expect("the sheet is XML") {
            Event::Start(e) if e.local_name().as_ref() == "row" => rows.push(Vec::new()),
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let at = column(&attribute(&e, "r").expect("a cell reference"));
                let t = attribute(&e, "t");
                assert!(
                    matches!(t.as_deref(), None | Some("inlineStr")),
                    "a cell of type {t:?}"
                );
                cell = Some((at, t.is_some(), String::new()));
            }
            Event::Start(e) if e.local_name().as_ref() == "f" => panic!("a formula"),
            Event::Text(t) => {
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("a reference") {
                    Some(c) => c,
                    None => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("the entity &{other};"),
                    },
                };
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push(c);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                let (at, string, text) = cell.take().expect("an open cell");
                let row = rows.last_mut().expect("a cell inside a row");
                row.resize(at, XCell::Empty);
                row.push(if string {
                    XCell::Text(text)
                } else {
                    XCell::Number(text)
                });
            }
            Event::Eof => return rows,
            _ => {}
        }
    }
}

/// A sheet's rows padded to `width` cells, each as text: what the CSV of the same
/// table reads as.
pub fn text_rows(sheet: &XSheet, width: usize) -> Vec<Vec<String>> {
    sheet
        .rows
        .iter()
        .map(|row| {
            let mut row: Vec<String> = row.iter().map(|c| c.text().to_string()).collect();
            row.resize(width, String::new());
            row
        })
        .collect()
}

/// The sheet called `name`.
pub fn sheet<'a>(sheets: &'a [XSheet], name: &str) -> &'a XSheet {
    sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// A CSV's records as text, the header first.
pub fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect()
}
