//! A neutral table for the exports: a sheet name, a header and rows of typed cells.
//! The writers (CSV, XLSX) decide how each type is written; nothing here formats.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::ExportError;
use crate::money::{Currency, Money, MoneyError};

/// One sheet of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportTable {
    /// The sheet's name in a workbook (bounded to the spreadsheet's rules when written).
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// One value of a row. Money is integer minor units of a currency, so it is exact and
/// a writer needs no rounding; the table that holds money has a currency column
/// beside it, since a number alone does not say what it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Money { minor: i64, currency: Currency },
    Date(NaiveDate),
    Int(i64),
    Empty,
}

impl ExportTable {
    /// Whether every row has one cell per header column; the writers refuse a
    /// ragged table rather than shift its columns.
    pub fn check_shape(&self) -> Result<(), ExportError> {
        match self.rows.iter().position(|r| r.len() != self.header.len()) {
            None => Ok(()),
            Some(n) => Err(ExportError::Shape(format!(
                "row {} of {:?} has {} cells for {} columns",
                n + 1,
                self.name,
                self.rows[n].len(),
                self.header.len()
            ))),
        }
    }
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// A money cell, or why the amount has no exact integer of minor units.
    pub fn money(money: Money) -> Result<Cell, MoneyError> {
        Ok(Cell::Money {
            minor: money.to_minor()?,
            currency: money.currency,
        })
    }
}

/// `minor` units of `currency` as exact decimal text with the currency's decimals:
/// `-12.50`, `1200` (JPY), `1.250` (KWD).
pub fn decimal_text(minor: i64, currency: Currency) -> String {
    Decimal::new(minor, currency.exponent()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_text_keeps_the_currencys_decimals() {
        assert_eq!(decimal_text(-1250, Currency::AUD), "-12.50");
        assert_eq!(decimal_text(5, Currency::AUD), "0.05");
        assert_eq!(decimal_text(1200, Currency::JPY), "1200");
        assert_eq!(decimal_text(1250, Currency::KWD), "1.250");
        assert_eq!(decimal_text(0, Currency::KWD), "0.000");
        assert_eq!(
            decimal_text(i64::MIN, Currency::AUD),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn a_money_cell_is_exact_or_an_error() {
        let m = Money::from_minor(-1250, Currency::AUD);
        assert_eq!(
            Cell::money(m),
            Ok(Cell::Money {
                minor: -1250,
                currency: Currency::AUD
            })
        );
        let too_precise = Money {
            amount: Decimal::new(1, 3),
            currency: Currency::AUD,
        };
        assert!(Cell::money(too_precise).is_err());
    }
}
