//! A table as RFC 4180 CSV (CRLF line ends, quotes where needed): text guarded
//! against formula injection, money as plain decimal text with its currency's
//! decimals (`-12.50`, `1200`, `1.250`), dates as ISO `YYYY-MM-DD`.

use std::borrow::Cow;
use std::io::Write;

use super::error::ExportError;
use super::guard::guarded;
use super::table::{Cell, ExportTable, decimal_text};

/// Writes `table` (header first) to `out`, and hands it back.
pub fn write_csv<W: Write>(table: &ExportTable, out: W) -> Result<W, ExportError> {
    table.check_shape()?;
    let mut rows = CsvRows::start(&table.header, out)?;
    for row in &table.rows {
        rows.row(row)?;
    }
    rows.finish()
}

/// CSV written a row at a time (an export that streams): the header when it starts,
/// then each row as it comes, nothing held but the writer's buffer.
pub struct CsvRows<W: Write> {
    writer: csv::Writer<W>,
    columns: usize,
}

impl<W: Write> CsvRows<W> {
    pub fn start<S: AsRef<str>>(header: &[S], out: W) -> Result<CsvRows<W>, ExportError> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let header: Vec<Cow<'_, str>> = header.iter().map(|h| guarded(h.as_ref())).collect();
        write_record(&mut writer, &header)?;
        Ok(CsvRows {
            writer,
            columns: header.len(),
        })
    }

    /// One row, one cell per header column.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        if cells.len() != self.columns {
            return Err(ExportError::Shape(format!(
                "a row has {} cells for {} columns",
                cells.len(),
                self.columns
            )));
        }
        let texts: Vec<Cow<'_, str>> = cells.iter().map(cell_text).collect();
        write_record(&mut self.writer, &texts)
    }

    /// Passes what is buffered on, so a reader sees the rows so far.
    pub fn flush(&mut self) -> Result<(), ExportError> {
        Ok(self.writer.flush()?)
    }

    pub fn finish(self) -> Result<W, ExportError> {
        self.writer
            .into_inner()
            .map_err(|e| ExportError::Io(std::io::Error::other(e.error().to_string())))
    }
}

fn write_record<W: Write>(
    writer: &mut csv::Writer<W>,
    fields: &[Cow<'_, str>],
) -> Result<(), ExportError> {
    writer
        .write_record(fields.iter().map(|f| f.as_bytes()))
        .map_err(|e| ExportError::Io(e.into()))
}

fn cell_text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(text) => guarded(text),
        Cell::Money { minor, currency } => decimal_text(*minor, *currency).into(),
        // A date before year 0 would start with a minus.
        Cell::Date(date) => guarded(&date.format("%Y-%m-%d").to_string())
            .into_owned()
            .into(),
        Cell::Int(n) => n.to_string().into(),
        Cell::Empty => "".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use chrono::NaiveDate;

    fn csv_of(table: &ExportTable) -> String {
        String::from_utf8(write_csv(table, Vec::new()).unwrap()).unwrap()
    }

    fn table(rows: Vec<Vec<Cell>>) -> ExportTable {
        ExportTable {
            name: "t".into(),
            header: vec!["what".into(), "amount".into(), "currency".into()],
            rows,
        }
    }

    fn money(minor: i64, currency: Currency) -> Cell {
        Cell::Money { minor, currency }
    }

    #[test]
    fn amounts_keep_their_currencys_decimals_beside_the_currency() {
        let t = table(vec![
            vec![
                Cell::text("aud"),
                money(-1250, Currency::AUD),
                Cell::text("AUD"),
            ],
            vec![
                Cell::text("jpy"),
                money(1200, Currency::JPY),
                Cell::text("JPY"),
            ],
            vec![
                Cell::text("kwd"),
                money(1250, Currency::KWD),
                Cell::text("KWD"),
            ],
        ]);
        assert_eq!(
            csv_of(&t),
            "what,amount,currency\r\naud,-12.50,AUD\r\njpy,1200,JPY\r\nkwd,1.250,KWD\r\n"
        );
    }

    #[test]
    fn text_is_guarded_and_quoted_where_rfc_4180_says_and_numbers_stay_numbers() {
        let t = table(vec![
            vec![Cell::text("=1+1"), money(-5, Currency::AUD), Cell::Int(-7)],
            vec![Cell::text("a,\"b\"\nc"), Cell::Empty, Cell::text("@x")],
            vec![
                Cell::text("\tx"),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
                Cell::Date(NaiveDate::from_ymd_opt(-1, 1, 2).unwrap()),
            ],
        ]);
        assert_eq!(
            csv_of(&t),
            "what,amount,currency\r\n\
             '=1+1,-0.05,-7\r\n\
             \"a,\"\"b\"\"\nc\",,'@x\r\n\
             '\tx,2026-01-02,'-0001-01-02\r\n"
        );
    }

    #[test]
    fn a_ragged_table_is_refused() {
        let t = table(vec![vec![Cell::text("only one")]]);
        assert!(matches!(
            write_csv(&t, Vec::new()),
            Err(ExportError::Shape(_))
        ));
    }
}
