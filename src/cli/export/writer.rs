//! The formats, each written a row at a time: CSV (through the reconciliation's CSV
//! writer, text guarded against formula injection), NDJSON (one object a line), JSON
//! (one array, its elements written as they come) and XLSX, whose workbook needs its
//! rows at the end (the reconciliation's writer): it holds them, at most
//! [`XLSX_MAX_ROWS`].

use std::io::Write;

use crate::recon::export::{Cell, CsvRows, ExportError, ExportTable, decimal_text, write_xlsx};

/// The rows an XLSX export holds in memory before it is written; more is refused
/// (CSV and the JSON formats stream any number).
pub const XLSX_MAX_ROWS: usize = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Ndjson,
    Xlsx,
}

/// A format's writer over `W`.
pub enum RowWriter<W: Write> {
    Csv(Box<CsvRows<W>>),
    Ndjson(JsonRows<W>),
    Json(JsonRows<W>),
    Xlsx { table: ExportTable, out: W },
}

/// Objects keyed by the columns, in column order.
pub struct JsonRows<W: Write> {
    out: W,
    columns: Vec<String>,
    written: u64,
}

impl<W: Write> RowWriter<W> {
    pub fn start(
        format: Format,
        sheet: &str,
        columns: &[&str],
        mut out: W,
    ) -> Result<Self, ExportError> {
        let columns_owned: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        let json = |out| JsonRows {
            out,
            columns: columns_owned.clone(),
            written: 0,
        };
        Ok(match format {
            Format::Csv => RowWriter::Csv(Box::new(CsvRows::start(columns, out)?)),
            Format::Ndjson => RowWriter::Ndjson(json(out)),
            Format::Json => {
                out.write_all(b"[")?;
                RowWriter::Json(json(out))
            }
            Format::Xlsx => RowWriter::Xlsx {
                table: ExportTable {
                    name: sheet.to_string(),
                    header: columns_owned.clone(),
                    rows: Vec::new(),
                },
                out,
            },
        })
    }

    pub fn row(&mut self, cells: Vec<Cell>) -> Result<(), ExportError> {
        match self {
            RowWriter::Csv(csv) => csv.row(&cells),
            RowWriter::Ndjson(rows) => {
                rows.object(&cells)?;
                Ok(rows.out.write_all(b"\n")?)
            }
            RowWriter::Json(rows) => {
                let separator: &[u8] = if rows.written == 0 { b"\n" } else { b",\n" };
                rows.out.write_all(separator)?;
                rows.object(&cells)
            }
            RowWriter::Xlsx { table, .. } => {
                if table.rows.len() >= XLSX_MAX_ROWS {
                    return Err(ExportError::Shape(format!(
                        "an XLSX export holds at most {XLSX_MAX_ROWS} rows in memory: \
                         narrow it with --filter or --limit, or use --format csv"
                    )));
                }
                table.rows.push(cells);
                Ok(())
            }
        }
    }

    /// Passes the rows so far on to the reader (after each page).
    pub fn flush(&mut self) -> Result<(), ExportError> {
        match self {
            RowWriter::Csv(csv) => csv.flush(),
            RowWriter::Ndjson(rows) | RowWriter::Json(rows) => Ok(rows.out.flush()?),
            RowWriter::Xlsx { .. } => Ok(()),
        }
    }

    /// Ends the document (the JSON array's bracket, the workbook) and hands back the output.
    pub fn finish(self) -> Result<W, ExportError> {
        let mut out = match self {
            RowWriter::Csv(csv) => csv.finish()?,
            RowWriter::Ndjson(rows) => rows.out,
            RowWriter::Json(mut rows) => {
                rows.out.write_all(b"\n]\n")?;
                rows.out
            }
            RowWriter::Xlsx { table, out } => write_xlsx(&[table], out)?,
        };
        out.flush()?;
        Ok(out)
    }
}

impl<W: Write> JsonRows<W> {
    /// `{"column":value,...}` in the columns' order.
    fn object(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        self.out.write_all(b"{")?;
        for (n, (column, cell)) in self.columns.iter().zip(cells).enumerate() {
            if n > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut self.out, column).map_err(std::io::Error::from)?;
            self.out.write_all(b":")?;
            serde_json::to_writer(&mut self.out, &json_value(cell))
                .map_err(std::io::Error::from)?;
        }
        self.out.write_all(b"}")?;
        self.written += 1;
        Ok(())
    }
}

/// A cell in JSON: money as its exact decimal string (never a float), whole numbers
/// as numbers, nothing as null. JSON is no spreadsheet: text is written as it is.
fn json_value(cell: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match cell {
        Cell::Text(text) => Value::String(text.clone()),
        Cell::Money { minor, currency } => Value::String(decimal_text(*minor, *currency)),
        Cell::Date(date) => Value::String(date.format("%Y-%m-%d").to_string()),
        Cell::Int(n) => Value::from(*n),
        Cell::Empty => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn written(format: Format, rows: Vec<Vec<Cell>>) -> String {
        let mut writer = RowWriter::start(format, "t", &["id", "amount"], Vec::new()).unwrap();
        for row in rows {
            writer.row(row).unwrap();
        }
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    fn rows() -> Vec<Vec<Cell>> {
        vec![
            vec![
                Cell::text("=cmd"),
                Cell::Money {
                    minor: -1250,
                    currency: Currency::AUD,
                },
            ],
            vec![Cell::Empty, Cell::Int(7)],
        ]
    }

    #[test]
    fn each_format_writes_the_columns_in_order() {
        assert_eq!(
            written(Format::Csv, rows()),
            "id,amount\r\n'=cmd,-12.50\r\n,7\r\n"
        );
        assert_eq!(
            written(Format::Ndjson, rows()),
            "{\"id\":\"=cmd\",\"amount\":\"-12.50\"}\n{\"id\":null,\"amount\":7}\n"
        );
        assert_eq!(
            written(Format::Json, rows()),
            "[\n{\"id\":\"=cmd\",\"amount\":\"-12.50\"},\n{\"id\":null,\"amount\":7}\n]\n"
        );
        assert_eq!(written(Format::Json, Vec::new()), "[\n]\n");
        let empty: serde_json::Value =
            serde_json::from_str(&written(Format::Json, Vec::new())).unwrap();
        assert_eq!(empty, serde_json::json!([]));
    }

    #[test]
    fn an_xlsx_export_past_its_bound_is_refused() {
        let mut writer = RowWriter::start(Format::Xlsx, "t", &["n"], Vec::new()).unwrap();
        for n in 0..XLSX_MAX_ROWS {
            writer.row(vec![Cell::Int(n as i64)]).unwrap();
        }
        let refused = writer.row(vec![Cell::Int(0)]).unwrap_err();
        assert!(refused.to_string().contains("--format csv"), "{refused}");
    }
}
