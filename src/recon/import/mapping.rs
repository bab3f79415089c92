//! How one bank lays out its CSV export: which column holds what, how dates
//! and numbers are written. Chosen once per bank (by hand or from
//! [`super::guess`]) and saved as TOML:
//!
//! ```toml
//! delimiter = ";"
//! header = true
//! date = 1
//! date_format = "%d.%m.%Y"
//! debit = 4
//! credit = 5
//! decimal = ","
//! thousands = "."
//! text = [3]
//! currency = "EUR"
//! ```
//!
//! Columns are numbered from 1, as a spreadsheet shows them.

use serde::{Deserialize, Serialize};

use crate::money::Currency;

use super::text::NumberStyle;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    #[serde(default = "comma")]
    pub delimiter: char,
    /// The first record (after `skip_lines`) names the columns.
    #[serde(default = "yes")]
    pub header: bool,
    /// Lines before the header (or the first record) that some banks add:
    /// the account name, the period.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skip_lines: usize,
    /// The booking date's column.
    pub date: usize,
    /// A chrono format: `%d/%m/%Y`, `%Y-%m-%d`, `%d.%m.%Y`, `%m/%d/%Y`.
    pub date_format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<usize>,
    /// One signed amount column...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<usize>,
    /// ...or a pair: money out and money in (either may be signed or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<usize>,
    #[serde(default = "point")]
    pub decimal: char,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thousands: Option<char>,
    /// The description's columns, joined with a space.
    #[serde(default)]
    pub text: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<usize>,
    /// The bank's own id for a line, if the export has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_id: Option<usize>,
    /// The account's currency, for exports without a currency column...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// ...or the column that has it on every line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_column: Option<usize>,
}

fn comma() -> char {
    ','
}

fn point() -> char {
    '.'
}

fn yes() -> bool {
    true
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Where the amount is, once the mapping is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountColumns {
    Signed(usize),
    DebitCredit { debit: usize, credit: usize },
}

impl CsvMapping {
    pub fn from_toml(text: &str) -> Result<CsvMapping, String> {
        let mapping: CsvMapping = toml::from_str(text).map_err(|e| e.to_string())?;
        mapping.check()?;
        Ok(mapping)
    }

    pub fn to_toml(&self) -> String {
        // A struct of plain fields always serialises.
        toml::to_string(self).unwrap_or_default()
    }

    pub fn number_style(&self) -> NumberStyle {
        NumberStyle {
            decimal: self.decimal,
            thousands: self.thousands,
        }
    }

    pub fn amount_columns(&self) -> Result<AmountColumns, String> {
        match (self.amount, self.debit, self.credit) {
            (Some(a), None, None) => Ok(AmountColumns::Signed(a)),
            (None, Some(debit), Some(credit)) => Ok(AmountColumns::DebitCredit { debit, credit }),
            _ => {
                Err("give either `amount` (one signed column) or both `debit` and `credit`".into())
            }
        }
    }

    /// Every column the mapping reads (1-based), for checks.
    fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        [self.date]
            .into_iter()
            .chain(self.value_date)
            .chain(self.amount)
            .chain(self.debit)
            .chain(self.credit)
            .chain(self.text.iter().copied())
            .chain(self.reference)
            .chain(self.bank_id)
            .chain(self.currency_column)
    }

    /// That the mapping can be used at all, whatever the file: the message
    /// names the setting to change.
    pub fn check(&self) -> Result<(), String> {
        self.amount_columns()?;
        if self.columns().any(|c| c == 0) {
            return Err("columns are numbered from 1".into());
        }
        if self.currency.is_none() && self.currency_column.is_none() {
            return Err(
                "say which currency the account is in: `currency = \"AUD\"`, or `currency_column`"
                    .into(),
            );
        }
        if !self.delimiter.is_ascii() || matches!(self.delimiter, '"' | '\n' | '\r') {
            return Err(format!(
                "the delimiter {:?} cannot separate CSV fields",
                self.delimiter
            ));
        }
        if self.thousands == Some(self.decimal) {
            return Err("the decimal and thousands separators must differ".into());
        }
        if self.date_format.is_empty()
            || chrono::format::StrftimeItems::new(&self.date_format)
                .parse()
                .is_err()
        {
            return Err(format!(
                "{:?} is not a date format; e.g. `%d/%m/%Y`",
                self.date_format
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_saves_as_toml_and_reads_back() {
        let text = "delimiter = \";\"\ndate = 1\ndate_format = \"%d.%m.%Y\"\n\
                    debit = 4\ncredit = 5\ndecimal = \",\"\nthousands = \".\"\ntext = [2, 3]\ncurrency = \"EUR\"\n";
        let mapping = CsvMapping::from_toml(text).unwrap();
        assert_eq!(
            mapping.amount_columns(),
            Ok(AmountColumns::DebitCredit {
                debit: 4,
                credit: 5
            })
        );
        assert!(mapping.header);
        assert_eq!(CsvMapping::from_toml(&mapping.to_toml()), Ok(mapping));
    }

    #[test]
    fn an_incomplete_mapping_says_what_to_add() {
        let base = "date = 1\ndate_format = \"%Y-%m-%d\"\ncurrency = \"AUD\"\n";
        let no_amount = CsvMapping::from_toml(base).unwrap_err();
        assert!(no_amount.contains("`amount`"), "{no_amount}");
        let both = CsvMapping::from_toml(&format!("{base}amount = 2\ndebit = 3\n")).unwrap_err();
        assert!(both.contains("either"), "{both}");
        let no_currency =
            CsvMapping::from_toml("date = 1\ndate_format = \"%Y\"\namount = 2\n").unwrap_err();
        assert!(no_currency.contains("currency"), "{no_currency}");
        let typo = CsvMapping::from_toml(&format!("{base}amount = 2\nrefrence = 3\n")).unwrap_err();
        assert!(typo.contains("refrence"), "{typo}");
        let zero = CsvMapping::from_toml(&format!("{base}amount = 0\n")).unwrap_err();
        assert!(zero.contains("from 1"), "{zero}");
        let bad_format = CsvMapping::from_toml(
            "date = 1\ndate_format = \"%Q\"\ncurrency = \"AUD\"\namount = 2\n",
        );
        assert!(bad_format.is_err());
    }
}
