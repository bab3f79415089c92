//! OFX statements: OFX 2 (XML) and OFX 1.x (SGML, whose leaf elements are
//! never closed, after a plain-text header). Both are read as one stream of
//! tags: a leaf's value is the text after its opening tag, so a closing tag
//! is welcome but not needed. One `STMTTRN` is one line; its currency is the
//! enclosing statement's `CURDEF` unless the transaction has a `CURRENCY`.

use chrono::NaiveDate;

use crate::money::Currency;
use crate::recon::statement::{SourceFormat, Statement, StatementLine};

use super::error::{ImportError, Location, Problem, quoted};
use super::text::{NumberStyle, parse_amount};
use super::xml::{Item, Located, TextBuffer, Walker};

/// A transaction being read: each value as the file has it.
#[derive(Default)]
struct Txn {
    number: usize,
    line: u64,
    posted: Option<Located>,
    available: Option<Located>,
    amount: Option<Located>,
    fitid: Option<String>,
    name: Option<String>,
    memo: Option<String>,
    refs: Vec<String>,
    currency: Option<String>,
}

struct Reader<'a> {
    file: &'a str,
    /// The current statement's `CURDEF`.
    curdef: Option<String>,
    account: Option<String>,
    txn: Option<Txn>,
    count: usize,
    /// The last `CURRENCY` or `ORIGCURRENCY` opened: only the first's
    /// `CURSYM` is the transaction's currency.
    in_currency: bool,
    lines: Vec<StatementLine>,
}

fn ofx_date(text: &str) -> Option<NaiveDate> {
    // `YYYYMMDD`, then an optional time and zone this reader does not need.
    let day = text.get(..8)?;
    let rest_ok =
        text.len() == 8 || text[8..].starts_with(|c: char| c.is_ascii_digit() || c == '[');
    if !rest_ok {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y%m%d").ok()
}

impl Reader<'_> {
    fn fail(&self, txn: &Txn, line: u64, field: &str, message: String) -> ImportError {
        let at = Location::Element {
            line,
            path: format!("STMTTRN {}/{field}", txn.number),
        };
        ImportError::new(self.file, at, Problem::Field, message)
    }

    /// `value` is the text of the element `leaf`, opened on `line`.
    fn assign(&mut self, leaf: &str, value: String, line: u64) {
        let located = || Located {
            value: value.clone(),
            line,
        };
        let Some(txn) = self.txn.as_mut() else {
            match leaf {
                "CURDEF" => self.curdef = Some(value),
                "ACCTID" if self.account.is_none() => self.account = Some(value),
                _ => {}
            }
            return;
        };
        match leaf {
            "DTPOSTED" => txn.posted = Some(located()),
            "DTAVAIL" => txn.available = Some(located()),
            "TRNAMT" => txn.amount = Some(located()),
            "FITID" => txn.fitid = Some(value),
            "NAME" => txn.name = Some(value),
            "MEMO" => txn.memo = Some(value),
            "CHECKNUM" | "REFNUM" => txn.refs.push(value),
            "CURSYM" if self.in_currency => txn.currency = Some(value),
            _ => {}
        }
    }

    fn date(&self, txn: &Txn, field: &str, at: &Located) -> Result<NaiveDate, ImportError> {
        at.date(ofx_date, "an OFX date (YYYYMMDD, then an optional time)")
            .map_err(|m| self.fail(txn, at.line, field, m))
    }

    fn finish(&mut self, txn: Txn) -> Result<(), ImportError> {
        let missing = |field: &str| {
            self.fail(
                &txn,
                txn.line,
                field,
                format!("a transaction without {field}; OFX requires it"),
            )
        };
        let posted = txn.posted.as_ref().ok_or_else(|| missing("DTPOSTED"))?;
        let Located {
            value: amount,
            line: amount_line,
        } = txn.amount.as_ref().ok_or_else(|| missing("TRNAMT"))?;
        let code = txn
            .currency
            .as_deref()
            .or(self.curdef.as_deref())
            .ok_or_else(|| missing("CURDEF"))?;
        let currency = Currency::from_code(code).map_err(|_| {
            self.fail(
                &txn,
                txn.line,
                "CURDEF",
                format!("the currency {} is not an ISO 4217 code", quoted(code)),
            )
        })?;
        // OFX allows a comma as the decimal point.
        let style = NumberStyle {
            decimal: if amount.contains(',') && !amount.contains('.') {
                ','
            } else {
                '.'
            },
            thousands: None,
        };
        let amount = parse_amount(amount, style, currency).map_err(|trouble| {
            self.fail(
                &txn,
                *amount_line,
                "TRNAMT",
                format!("the amount {} {}", quoted(amount), trouble.reason()),
            )
        })?;
        let line = StatementLine {
            at_line: txn.line,
            booked: self.date(&txn, "DTPOSTED", posted)?,
            value_date: match &txn.available {
                Some(v) => Some(self.date(&txn, "DTAVAIL", v)?),
                None => None,
            },
            amount,
            text: txn.name.unwrap_or_default(),
            reference: txn.memo.unwrap_or_default(),
            other_refs: txn.refs,
            bank_id: txn.fitid,
            details: Vec::new(),
        };
        self.lines.push(line);
        Ok(())
    }
}

/// Where the `<OFX>` element starts, and whether the file is OFX 1 (SGML:
/// a `OFXHEADER:100` header rather than XML's `<?OFX OFXHEADER="200"?>`).
fn find_body(text: &str) -> Option<(usize, bool)> {
    let start = text.find("<OFX>")?;
    Some((start, text[..start].contains("OFXHEADER:")))
}

/// The statement in `text` (the file `file`), OFX 1 or 2.
pub fn parse(file: &str, text: &str) -> Result<Statement, ImportError> {
    let (start, sgml) = find_body(text).ok_or_else(|| {
        ImportError::new(
            file,
            Location::File,
            Problem::Syntax,
            "there is no <OFX> element; this is not an OFX file",
        )
    })?;
    let mut walker = Walker::new(file, text, start, sgml);
    let mut reader = Reader {
        file,
        curdef: None,
        account: None,
        txn: None,
        count: 0,
        in_currency: false,
        lines: Vec::new(),
    };
    // The element whose text is being read, and the line it opened on.
    let mut leaf: Option<(String, u64)> = None;
    let mut buffer = TextBuffer::default();
    let mut closed = false;
    loop {
        let item = walker.next()?;
        if let Item::Text(piece) = &item {
            buffer.push(piece);
            continue;
        }
        // A tag ends the text of the leaf before it.
        if let Some((name, line)) = leaf.take() {
            let value = buffer.take();
            if !value.is_empty() {
                reader.assign(&name, value, line);
            }
        }
        buffer.clear();
        match item {
            Item::Open { name, .. } => {
                match name.as_str() {
                    "STMTTRN" => {
                        // OFX 1 files sometimes leave a transaction unclosed.
                        if let Some(open) = reader.txn.take() {
                            reader.finish(open)?;
                        }
                        reader.count += 1;
                        reader.in_currency = false;
                        reader.txn = Some(Txn {
                            number: reader.count,
                            line: walker.line(),
                            ..Txn::default()
                        });
                    }
                    "CURRENCY" => reader.in_currency = true,
                    "ORIGCURRENCY" => reader.in_currency = false,
                    _ => {}
                }
                leaf = Some((name, walker.line()));
            }
            Item::Close(name) if name == "STMTTRN" => {
                if let Some(txn) = reader.txn.take() {
                    reader.finish(txn)?;
                }
            }
            Item::Close(name) if name == "OFX" => closed = true,
            Item::Close(_) | Item::Text(_) => {}
            Item::Eof => break,
        }
    }
    if !closed {
        let line = walker.line();
        return Err(ImportError::new(
            file,
            Location::Line(line),
            Problem::Syntax,
            "the file ends before </OFX>; it was cut short",
        ));
    }
    if let Some(open) = reader.txn.take() {
        reader.finish(open)?;
    }
    Ok(Statement {
        file: file.to_string(),
        format: SourceFormat::Ofx,
        account: reader.account,
        lines: reader.lines,
        pending_skipped: 0,
    })
}
