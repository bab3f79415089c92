//! A CSV statement read through its bank's [`CsvMapping`]: RFC 4180 quoting
//! (the `csv` crate), every field checked, and each refusal naming the line,
//! the value and the column the mapping gave it.

use chrono::NaiveDate;

use crate::money::{Currency, Money};
use crate::recon::statement::{SourceFormat, Statement, StatementLine};

use super::MAX_LINE_BYTES;
use super::error::{ImportError, Location, Problem, quoted};
use super::mapping::{AmountColumns, CsvMapping};
use super::text::{LineCounter, parse_amount};

/// One record and where it is, for the fields' messages.
struct Record<'a> {
    file: &'a str,
    line: u64,
    fields: &'a csv::StringRecord,
}

impl Record<'_> {
    fn error(&self, problem: Problem, message: String) -> ImportError {
        ImportError::new(self.file, Location::Line(self.line), problem, message)
    }

    /// Column `column` (1-based), trimmed, or a message saying the line is short.
    fn field(&self, column: usize, what: &str) -> Result<&str, ImportError> {
        match self.fields.get(column - 1) {
            Some(value) => Ok(value.trim()),
            None => Err(self.error(
                Problem::Mapping,
                format!(
                    "the line has {} fields, but the mapping says column {column} is the {what}",
                    self.fields.len()
                ),
            )),
        }
    }

    fn date(&self, column: usize, format: &str, what: &str) -> Result<NaiveDate, ImportError> {
        let value = self.field(column, what)?;
        NaiveDate::parse_from_str(value, format).map_err(|_| {
            self.error(
                Problem::Field,
                format!(
                    "the {what} {} does not match the date format {format:?}; the mapping says column {column} is the {what}",
                    quoted(value)
                ),
            )
        })
    }

    fn money(
        &self,
        column: usize,
        mapping: &CsvMapping,
        currency: Currency,
        what: &str,
    ) -> Result<Option<Money>, ImportError> {
        let value = self.field(column, what)?;
        if value.is_empty() {
            return Ok(None);
        }
        parse_amount(value, mapping.number_style(), currency)
            .map(Some)
            .map_err(|trouble| {
                self.error(
                    Problem::Field,
                    format!(
                        "the {what} {} {}; the mapping says column {column} is the {what}, written like 1{}234{}56",
                        quoted(value),
                        trouble.reason(),
                        mapping.thousands.map(String::from).unwrap_or_default(),
                        mapping.decimal,
                    ),
                )
            })
    }

    /// The signed amount: one column, or a debit/credit pair of which exactly
    /// one is filled (a debit is money out whatever its sign).
    fn amount(&self, mapping: &CsvMapping, currency: Currency) -> Result<Money, ImportError> {
        let columns = mapping
            .amount_columns()
            .map_err(|m| self.error(Problem::Mapping, m))?;
        let found = match columns {
            AmountColumns::Signed(column) => self.money(column, mapping, currency, "amount")?,
            AmountColumns::DebitCredit { debit, credit } => {
                let out = self.money(debit, mapping, currency, "debit")?;
                let into = self.money(credit, mapping, currency, "credit")?;
                match (out.filter(|m| !m.is_zero()), into.filter(|m| !m.is_zero())) {
                    (Some(d), None) => Some(Money {
                        amount: -d.amount.abs(),
                        ..d
                    }),
                    (None, Some(c)) => Some(Money {
                        amount: c.amount.abs(),
                        ..c
                    }),
                    (None, None) => out.or(into),
                    (Some(_), Some(_)) => {
                        return Err(self.error(
                            Problem::Field,
                            format!("both the debit (column {debit}) and the credit (column {credit}) are filled; a line is one or the other"),
                        ));
                    }
                }
            }
        };
        found.ok_or_else(|| self.error(Problem::Field, "the line has no amount".to_string()))
    }

    fn currency(&self, mapping: &CsvMapping) -> Result<Currency, ImportError> {
        match (mapping.currency_column, mapping.currency) {
            (Some(column), fallback) => {
                let code = self.field(column, "currency")?;
                match (code.is_empty(), fallback) {
                    (true, Some(c)) => Ok(c),
                    _ => Currency::from_code(code).map_err(|_| {
                        self.error(
                            Problem::Field,
                            format!("the currency {} is not an ISO 4217 code; the mapping says column {column} is the currency", quoted(code)),
                        )
                    }),
                }
            }
            (None, Some(c)) => Ok(c),
            (None, None) => {
                Err(self.error(Problem::Mapping, "the mapping names no currency".into()))
            }
        }
    }

    fn optional(&self, column: Option<usize>, what: &str) -> Result<Option<String>, ImportError> {
        match column {
            Some(c) => Ok(Some(self.field(c, what)?.to_string()).filter(|s| !s.is_empty())),
            None => Ok(None),
        }
    }

    fn line(&self, mapping: &CsvMapping) -> Result<StatementLine, ImportError> {
        let currency = self.currency(mapping)?;
        let mut text = Vec::with_capacity(mapping.text.len());
        for &column in &mapping.text {
            let part = self.field(column, "text")?;
            if !part.is_empty() {
                text.push(part);
            }
        }
        Ok(StatementLine {
            at_line: self.line,
            booked: self.date(mapping.date, &mapping.date_format, "date")?,
            value_date: match mapping.value_date {
                Some(c) if !self.field(c, "value date")?.is_empty() => {
                    Some(self.date(c, &mapping.date_format, "value date")?)
                }
                _ => None,
            },
            amount: self.amount(mapping, currency)?,
            text: text.join(" "),
            reference: self
                .optional(mapping.reference, "reference")?
                .unwrap_or_default(),
            other_refs: Vec::new(),
            bank_id: self.optional(mapping.bank_id, "bank id")?,
            details: Vec::new(),
        })
    }
}

/// Refuses a file with a physical line longer than [`MAX_LINE_BYTES`].
fn check_line_lengths(file: &str, text: &str) -> Result<(), ImportError> {
    match text.split('\n').position(|l| l.len() > MAX_LINE_BYTES) {
        Some(i) => Err(ImportError::new(
            file,
            Location::Line(i as u64 + 1),
            Problem::TooLarge,
            format!(
                "the line is longer than {} KiB; this is not a bank statement, or not this bank's layout",
                MAX_LINE_BYTES / 1024
            ),
        )),
        None => Ok(()),
    }
}

/// The statement in `text` (the file `file`) read with `mapping`.
pub fn parse(file: &str, text: &str, mapping: &CsvMapping) -> Result<Statement, ImportError> {
    mapping.check().map_err(|m| {
        ImportError::new(
            file,
            Location::File,
            Problem::Mapping,
            format!("the column mapping: {m}"),
        )
    })?;
    check_line_lengths(file, text)?;
    let mut body_start = 0;
    for _ in 0..mapping.skip_lines {
        body_start = text[body_start..]
            .find('\n')
            .map_or(text.len(), |i| body_start + i + 1);
    }
    let skipped = LineCounter::new(text).line_at(body_start) - 1;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(mapping.delimiter as u8)
        .has_headers(mapping.header)
        .flexible(true)
        .from_reader(&text.as_bytes()[body_start..]);
    let mut lines = Vec::new();
    let mut fields = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut fields).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line()) + skipped;
            ImportError::new(
                file,
                Location::Line(line),
                Problem::Syntax,
                format!("not readable as CSV: {e}"),
            )
        })?;
        if !more {
            break;
        }
        let line = fields.position().map_or(0, |p| p.line()) + skipped;
        // A blank record (only delimiters), as some exports end with.
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let record = Record {
            file,
            line,
            fields: &fields,
        };
        lines.push(record.line(mapping)?);
    }
    Ok(Statement {
        file: file.to_string(),
        format: SourceFormat::Csv,
        account: None,
        lines,
        pending_skipped: 0,
    })
}
