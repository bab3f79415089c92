//! Tables as an .xlsx workbook, one sheet each, with no spreadsheet library: the
//! minimal OOXML parts in a ZIP of stored entries (`zip.rs`). Text is always an
//! inline string (`t="inlineStr"`), never a formula, and carries the same
//! apostrophe guard as the CSV so that a spreadsheet saving it back to CSV stays
//! safe. Money is a number whose value is the exact decimal text (never a float)
//! with a format of the currency's decimals; dates are ISO text, as in the CSV.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::error::ExportError;
use super::guard::guarded;
use super::table::{Cell, ExportTable, decimal_text};
use super::zip::ZipWriter;

/// A spreadsheet's bounds (Excel's): what a sheet and a cell can hold.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_CELL_CHARS: usize = 32_767;

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Writes `tables` as a workbook of one sheet each to `out`, and hands it back.
pub fn write_xlsx<W: Write>(tables: &[ExportTable], out: W) -> Result<W, ExportError> {
    if tables.is_empty() {
        return Err(ExportError::Shape(
            "a workbook needs at least one sheet".into(),
        ));
    }
    for table in tables {
        check_fits(table)?;
    }
    let names = sheet_names(tables);
    let mut zip = ZipWriter::new(out);
    zip.entry("[Content_Types].xml", |w| content_types(w, tables.len()))?;
    zip.entry("_rels/.rels", root_rels)?;
    zip.entry("xl/workbook.xml", |w| workbook(w, &names))?;
    zip.entry("xl/_rels/workbook.xml.rels", |w| {
        workbook_rels(w, tables.len())
    })?;
    zip.entry("xl/styles.xml", styles)?;
    for (n, table) in tables.iter().enumerate() {
        let name = format!("xl/worksheets/sheet{}.xml", n + 1);
        zip.entry(&name, |w| sheet(w, table))?;
    }
    Ok(zip.finish()?)
}

/// Whether `table` fits in a sheet: refused with the reason, never cut short.
fn check_fits(table: &ExportTable) -> Result<(), ExportError> {
    table.check_shape()?;
    let refuse = |what: String| {
        Err(ExportError::Shape(format!(
            "the sheet {:?} {what}",
            table.name
        )))
    };
    if table.rows.len() + 1 > MAX_ROWS {
        return refuse(format!("has more than the {MAX_ROWS} rows a sheet holds"));
    }
    if table.header.len() > MAX_COLUMNS {
        return refuse(format!(
            "has more than the {MAX_COLUMNS} columns a sheet holds"
        ));
    }
    let texts = table
        .header
        .iter()
        .chain(table.rows.iter().flatten().filter_map(|c| match c {
            Cell::Text(t) => Some(t),
            _ => None,
        }));
    for text in texts {
        if text.chars().count() + 1 > MAX_CELL_CHARS {
            return refuse(format!(
                "has a text longer than the {MAX_CELL_CHARS} characters a cell holds"
            ));
        }
    }
    Ok(())
}

fn content_types(w: &mut dyn Write, sheets: usize) -> io::Result<()> {
    let office = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    write!(
        w,
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"{office}.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"{office}.styles+xml\"/>"
    )?;
    for n in 1..=sheets {
        write!(
            w,
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"{office}.worksheet+xml\"/>"
        )?;
    }
    w.write_all(b"</Types>")
}

fn root_rels(w: &mut dyn Write) -> io::Result<()> {
    write!(
        w,
        "{XML_DECL}<Relationships xmlns=\"{PACKAGE_REL_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/>\
         </Relationships>"
    )
}

fn workbook(w: &mut dyn Write, names: &[String]) -> io::Result<()> {
    write!(
        w,
        "{XML_DECL}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>"
    )?;
    for (n, name) in names.iter().enumerate() {
        write!(w, "<sheet name=\"")?;
        escape(w, name)?;
        write!(w, "\" sheetId=\"{id}\" r:id=\"rId{id}\"/>", id = n + 1)?;
    }
    w.write_all(b"</sheets></workbook>")
}

/// Sheet n is `rId<n>`; the styles come after the sheets.
fn workbook_rels(w: &mut dyn Write, sheets: usize) -> io::Result<()> {
    write!(w, "{XML_DECL}<Relationships xmlns=\"{PACKAGE_REL_NS}\">")?;
    for n in 1..=sheets {
        write!(
            w,
            "<Relationship Id=\"rId{n}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        )?;
    }
    write!(
        w,
        "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/></Relationships>",
        sheets + 1
    )
}

/// ISO 4217 has no currency with more decimals than this.
const MAX_EXPONENT: u32 = 4;
/// The style of the header row (bold), and of money of exponent e: `MONEY_STYLE + e`.
const HEADER_STYLE: u32 = 1;
const MONEY_STYLE: u32 = 2;

/// The default style, a bold header, and one number format per currency exponent:
/// `0`, `0.0`, `0.00`, `0.000`, `0.0000` (custom formats start at id 164).
fn styles(w: &mut dyn Write) -> io::Result<()> {
    let formats = MAX_EXPONENT + 1;
    write!(
        w,
        "{XML_DECL}<styleSheet xmlns=\"{MAIN_NS}\"><numFmts count=\"{formats}\">"
    )?;
    for e in 0..=MAX_EXPONENT {
        write!(
            w,
            "<numFmt numFmtId=\"{}\" formatCode=\"{}\"/>",
            164 + e,
            number_format(e)
        )?;
    }
    write!(
        w,
        "</numFmts>\
         <fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>\
         <font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
         <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
         <fill><patternFill patternType=\"gray125\"/></fill></fills>\
         <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
         <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
         <cellXfs count=\"{}\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
         <xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>",
        MONEY_STYLE + formats
    )?;
    for e in 0..=MAX_EXPONENT {
        write!(
            w,
            "<xf numFmtId=\"{}\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>",
            164 + e
        )?;
    }
    w.write_all(
        b"</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>",
    )
}

/// `0` for no decimals, else `0.` and one `0` per decimal.
fn number_format(exponent: u32) -> String {
    match exponent {
        0 => "0".into(),
        e => format!("0.{}", "0".repeat(e as usize)),
    }
}

/// One sheet: the header in bold on row 1, then the rows; empty cells are left out.
fn sheet(w: &mut dyn Write, table: &ExportTable) -> io::Result<()> {
    write!(
        w,
        "{XML_DECL}<worksheet xmlns=\"{MAIN_NS}\"><sheetData><row r=\"1\">"
    )?;
    let bold = format!(" s=\"{HEADER_STYLE}\"");
    for (column, name) in table.header.iter().enumerate() {
        inline_string(w, &at(column, 1), &bold, &guarded(name))?;
    }
    w.write_all(b"</row>")?;
    for (n, row) in table.rows.iter().enumerate() {
        write_row(w, n + 2, row)?;
    }
    w.write_all(b"</sheetData></worksheet>")
}

fn write_row(w: &mut dyn Write, number: usize, cells: &[Cell]) -> io::Result<()> {
    write!(w, "<row r=\"{number}\">")?;
    for (column, cell) in cells.iter().enumerate() {
        let at = at(column, number);
        match cell {
            Cell::Empty => {}
            Cell::Text(text) => inline_string(w, &at, "", &guarded(text))?,
            Cell::Date(date) => {
                let iso = date.format("%Y-%m-%d").to_string();
                inline_string(w, &at, "", &guarded(&iso))?
            }
            Cell::Int(n) => write!(w, "<c r=\"{at}\"><v>{n}</v></c>")?,
            Cell::Money { minor, currency } => write!(
                w,
                "<c r=\"{at}\" s=\"{}\"><v>{}</v></c>",
                MONEY_STYLE + currency.exponent().min(MAX_EXPONENT),
                decimal_text(*minor, *currency)
            )?,
        }
    }
    w.write_all(b"</row>")
}

/// A cell's reference: column 0 of row 1 is `A1`.
fn at(column: usize, row: usize) -> String {
    format!("{}{row}", column_name(column))
}

fn inline_string(w: &mut dyn Write, at: &str, style: &str, text: &str) -> io::Result<()> {
    write!(
        w,
        "<c r=\"{at}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">"
    )?;
    escape(w, text)?;
    w.write_all(b"</t></is></c>")
}

/// A column's letters: 0 is A, 25 is Z, 26 is AA.
pub(crate) fn column_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Whether XML 1.0 allows `c` in a document at all (escaping cannot help others).
fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` escaped for XML text or an attribute; characters XML 1.0 forbids are left
/// out, and a carriage return is a reference so that a reader does not turn it into
/// a line feed.
fn escape(w: &mut dyn Write, text: &str) -> io::Result<()> {
    let mut plain = 0;
    for (at, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\r' => "&#13;",
            c if !xml_allows(c) => "",
            _ => continue,
        };
        w.write_all(&text.as_bytes()[plain..at])?;
        w.write_all(replacement.as_bytes())?;
        plain = at + c.len_utf8();
    }
    w.write_all(&text.as_bytes()[plain..])
}

const MAX_SHEET_NAME: usize = 31;

/// Each table's name as a sheet name Excel accepts: none of `[]:*?/\`, no
/// apostrophe at either end, 1 to 31 characters (UTF-16 units), nothing XML forbids,
/// and no two alike whatever the letter case (a repeat gets ` (2)`, ` (3)`...).
/// Excel also keeps `History` for itself.
fn sheet_names(tables: &[ExportTable]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::from(["history".to_string()]);
    let mut names = Vec::with_capacity(tables.len());
    for (n, table) in tables.iter().enumerate() {
        let cleaned: String = table
            .name
            .chars()
            .filter(|c| xml_allows(*c) && !c.is_control())
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let mut base = cleaned.trim_matches('\'').trim().to_string();
        if base.is_empty() {
            base = format!("Sheet{}", n + 1);
        }
        let mut name = fit(&base, "");
        let mut repeat = 1;
        while taken.contains(&name.to_lowercase()) {
            repeat += 1;
            name = fit(&base, &format!(" ({repeat})"));
        }
        taken.insert(name.to_lowercase());
        names.push(name);
    }
    names
}

/// `base` cut so that it and `suffix` are at most 31 UTF-16 units, then `suffix`.
fn fit(base: &str, suffix: &str) -> String {
    let room = MAX_SHEET_NAME.saturating_sub(suffix.encode_utf16().count());
    let mut used = 0;
    let mut out: String = base
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    // A cut may leave an apostrophe or a space at the end.
    while out.ends_with(['\'', ' ']) {
        out.pop();
    }
    out.push_str(suffix);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use chrono::NaiveDate;

    fn named(names: &[&str]) -> Vec<String> {
        let tables: Vec<ExportTable> = names
            .iter()
            .map(|n| ExportTable {
                name: n.to_string(),
                header: vec![],
                rows: vec![],
            })
            .collect();
        sheet_names(&tables)
    }

    fn sheet_xml(table: &ExportTable) -> String {
        let mut out = Vec::new();
        sheet(&mut out, table).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn column_names_go_past_z() {
        let names: Vec<String> = [0, 25, 26, 51, 52, 701, 702, 16_383]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(names, ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn sheet_names_keep_to_excels_rules() {
        assert_eq!(
            named(&[
                "Journal",
                "a[b]c:d*e?f/g\\h",
                "'quoted'",
                "",
                "A name that is far longer than thirty-one characters",
                "journal",
                "History",
                "tab\there",
            ]),
            [
                "Journal",
                "a_b_c_d_e_f_g_h",
                "quoted",
                "Sheet4",
                "A name that is far longer than",
                "journal (2)",
                "History (2)",
                "tabhere",
            ]
        );
        for name in named(&[
            "x".repeat(40).as_str(),
            "x".repeat(40).as_str(),
            "€".repeat(40).as_str(),
        ]) {
            assert!(name.encode_utf16().count() <= 31, "{name}");
        }
        assert_eq!(
            named(&["x".repeat(40).as_str(), "x".repeat(40).as_str()])[1],
            format!("{} (2)", "x".repeat(27))
        );
    }

    #[test]
    fn text_is_escaped_and_what_xml_forbids_is_left_out() {
        let mut out = Vec::new();
        escape(&mut out, "a<b>&\"c\"\r\n\t\u{0}\u{1b}\u{FFFE}é😀").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&lt;b&gt;&amp;&quot;c&quot;&#13;\n\té😀"
        );
    }

    #[test]
    fn text_is_an_inline_string_guarded_and_numbers_stay_numbers() {
        let table = ExportTable {
            name: "t".into(),
            header: vec!["=head".into(), "amount".into(), "n".into(), "day".into()],
            rows: vec![vec![
                Cell::text("-2+3"),
                Cell::Money {
                    minor: -1250,
                    currency: Currency::AUD,
                },
                Cell::Int(-3),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            ]],
        };
        let xml = sheet_xml(&table);
        assert!(
            xml.contains(
                r#"<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">'=head</t></is></c>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<c r="A2" t="inlineStr"><is><t xml:space="preserve">'-2+3</t></is></c>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<c r="B2" s="4"><v>-12.50</v></c>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<c r="C2"><v>-3</v></c>"#), "{xml}");
        assert!(
            xml.contains(
                r#"<c r="D2" t="inlineStr"><is><t xml:space="preserve">2026-11-30</t></is></c>"#
            ),
            "{xml}"
        );
        assert!(!xml.contains("<f>"), "never a formula: {xml}");
    }

    #[test]
    fn money_has_the_format_of_its_currencys_decimals() {
        let money = |minor, currency| Cell::Money { minor, currency };
        let table = ExportTable {
            name: "t".into(),
            header: vec!["a".into()],
            rows: vec![
                vec![money(1200, Currency::JPY)],
                vec![money(1250, Currency::KWD)],
            ],
        };
        let xml = sheet_xml(&table);
        assert!(xml.contains(r#"<c r="A2" s="2"><v>1200</v></c>"#), "{xml}");
        assert!(xml.contains(r#"<c r="A3" s="5"><v>1.250</v></c>"#), "{xml}");
        let mut styles_xml = Vec::new();
        styles(&mut styles_xml).unwrap();
        let styles_xml = String::from_utf8(styles_xml).unwrap();
        for (id, code) in [(164, "0"), (166, "0.00"), (167, "0.000")] {
            assert!(styles_xml.contains(&format!(r#"numFmtId="{id}" formatCode="{code}""#)));
        }
        // Style 2 + e uses format 164 + e.
        let xfs: Vec<&str> = styles_xml
            .split("<cellXfs")
            .nth(1)
            .unwrap()
            .split("<xf ")
            .skip(1)
            .collect();
        assert!(xfs[2].contains(r#"numFmtId="164""#) && xfs[5].contains(r#"numFmtId="167""#));
    }

    #[test]
    fn what_does_not_fit_a_sheet_is_refused() {
        let long = ExportTable {
            name: "t".into(),
            header: vec!["a".into()],
            rows: vec![vec![Cell::text("x".repeat(MAX_CELL_CHARS))]],
        };
        assert!(matches!(
            write_xlsx(&[long], Vec::new()),
            Err(ExportError::Shape(_))
        ));
        assert!(matches!(
            write_xlsx(&[], Vec::new()),
            Err(ExportError::Shape(_))
        ));
    }
}
