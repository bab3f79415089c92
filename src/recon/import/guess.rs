//! A first guess of a bank's [`CsvMapping`] from its export: the delimiter,
//! the header row's names (English and German exports, the simulator's), the
//! date format and the decimal separator the first lines use. What it cannot
//! tell for sure it says in `doubts`, for the operator to check before the
//! mapping is saved.

use chrono::NaiveDate;

use crate::money::Currency;

use super::error::{ImportError, Location, Problem};
use super::mapping::CsvMapping;
use super::text::{NumberStyle, decode, parse_amount};

/// The mapping and what the operator should check in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingGuess {
    pub mapping: CsvMapping,
    pub doubts: Vec<String>,
}

/// How many lines are looked at.
const SAMPLE: usize = 50;

/// Header names, compared with letters and digits only, lower case.
const DATE: &[&str] = &[
    "date",
    "bookingdate",
    "postingdate",
    "posteddate",
    "dateposted",
    "transactiondate",
    "transdate",
    "buchungstag",
    "buchungsdatum",
    "datum",
];
const VALUE_DATE: &[&str] = &["valuedate", "valuta", "valutadatum", "wertstellung"];
const AMOUNT: &[&str] = &["amount", "transactionamount", "betrag", "umsatz", "montant"];
const DEBIT: &[&str] = &[
    "debit",
    "debitamount",
    "withdrawal",
    "withdrawals",
    "moneyout",
    "paidout",
    "soll",
];
const CREDIT: &[&str] = &[
    "credit",
    "creditamount",
    "deposit",
    "deposits",
    "moneyin",
    "paidin",
    "haben",
];
const TEXT: &[&str] = &[
    "description",
    "narrative",
    "details",
    "transactiondetails",
    "payee",
    "name",
    "particulars",
    "counterparty",
    "buchungstext",
    "begunstigterzahlungspflichtiger",
    "auftraggeberempfanger",
    "memo",
];
const REFERENCE: &[&str] = &[
    "reference",
    "ref",
    "referenz",
    "customerreference",
    "verwendungszweck",
];
const BANK_ID: &[&str] = &[
    "transactionid",
    "id",
    "fitid",
    "bankreference",
    "transactionreference",
];
const CURRENCY: &[&str] = &["currency", "ccy", "waehrung", "wahrung"];

const DATE_FORMATS: &[&str] = &[
    "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y%m%d", "%d/%m/%y",
    "%m/%d/%y", "%d.%m.%y", "%d %b %Y", "%d-%b-%Y",
];

fn folded(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'ä' | 'Ä' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            'ü' | 'Ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The first column whose name is one of `names` or starts with one followed
/// by a currency (`Amount (AUD)`), 1-based.
fn find(header: &[String], names: &[&str]) -> Option<usize> {
    let exact = header.iter().position(|h| names.contains(&h.as_str()));
    let prefixed = || {
        header.iter().position(|h| {
            names.iter().any(|n| {
                h.strip_prefix(n)
                    .is_some_and(|rest| rest.len() == 3 && Currency::from_code(rest).is_ok())
            })
        })
    };
    exact.or_else(prefixed).map(|i| i + 1)
}

/// Column `c` (1-based) of `row`, or nothing.
fn column(row: &[String], c: usize) -> &str {
    row.get(c - 1).map_or("", String::as_str)
}

fn error(file: &str, message: String) -> ImportError {
    ImportError::new(file, Location::File, Problem::Mapping, message)
}

/// The delimiter that splits the header line into the most fields.
fn delimiter(line: &str) -> Option<char> {
    [',', ';', '\t', '|']
        .into_iter()
        .map(|d| (line.matches(d).count(), d))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map(|(_, d)| d)
}

fn records(text: &str, delimiter: char) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .take(SAMPLE)
        .map_while(Result::ok)
        .map(|r| r.iter().map(|f| f.trim().to_string()).collect())
        .collect()
}

/// The decimal separator most amounts use: the last `.` or `,` in a number
/// is the decimal one unless exactly three digits follow it.
fn number_style(values: &[&str], delimiter: char) -> NumberStyle {
    let (mut point, mut comma) = (0, 0);
    for v in values {
        if let Some(i) = v.rfind(['.', ',']) {
            let after = v.len() - i - 1;
            match (&v[i..=i], after) {
                (_, 3) => {}
                (".", _) => point += 1,
                _ => comma += 1,
            }
        }
    }
    let comma_decimal = comma > point || (comma == point && delimiter == ';');
    let (decimal, other) = if comma_decimal {
        (',', '.')
    } else {
        ('.', ',')
    };
    NumberStyle {
        decimal,
        thousands: values.iter().any(|v| v.contains(other)).then_some(other),
    }
}

/// A mapping for the CSV in `bytes` (the file `file`), in `currency` unless
/// the file has a currency column.
pub fn guess_mapping(
    file: &str,
    bytes: &[u8],
    currency: Currency,
) -> Result<MappingGuess, ImportError> {
    let text = decode(&bytes[..bytes.len().min(super::MAX_LINE_BYTES * 4)]).into_owned();
    let mut doubts = Vec::new();
    // The header is the first of the first lines naming a date and an amount.
    let lines: Vec<&str> = text.lines().take(SAMPLE).collect();
    let header_at = lines.iter().position(|l| {
        let Some(d) = delimiter(l) else { return false };
        let names: Vec<String> = l.split(d).map(folded).collect();
        find(&names, DATE).is_some()
            && (find(&names, AMOUNT).is_some() || find(&names, DEBIT).is_some())
    });
    let Some(skip_lines) = header_at else {
        return Err(error(
            file,
            "no header row naming a date and an amount in the first lines; write the column mapping by hand".into(),
        ));
    };
    let delimiter = delimiter(lines[skip_lines]).unwrap_or(',');
    let body: String = text.lines().skip(skip_lines).collect::<Vec<_>>().join("\n");
    let rows = records(&body, delimiter);
    let header: Vec<String> = rows
        .first()
        .map(|h| h.iter().map(|f| folded(f)).collect())
        .unwrap_or_default();
    let data = rows.get(1..).unwrap_or(&[]);
    let date = find(&header, DATE).unwrap_or(1);
    let amount = find(&header, AMOUNT);
    let (debit, credit) = match amount {
        Some(_) => (None, None),
        None => (find(&header, DEBIT), find(&header, CREDIT)),
    };
    if amount.is_none() && (debit.is_none() || credit.is_none()) {
        return Err(error(file, "the header has a debit or a credit column but not both; write the column mapping by hand".into()));
    }
    let dates: Vec<&str> = data
        .iter()
        .map(|r| column(r, date))
        .filter(|v| !v.is_empty())
        .collect();
    let fitting: Vec<&str> = DATE_FORMATS
        .iter()
        .copied()
        .filter(|f| {
            dates
                .iter()
                .all(|d| NaiveDate::parse_from_str(d, f).is_ok())
        })
        .collect();
    let date_format = match fitting.as_slice() {
        [] => {
            doubts.push(format!(
                "the dates in column {date} are in no format paydeck knows; set date_format"
            ));
            "%d/%m/%Y"
        }
        [one] => one,
        [first, ..] => {
            if fitting.contains(&"%d/%m/%Y") && fitting.contains(&"%m/%d/%Y") || dates.is_empty() {
                doubts.push(format!(
                    "the dates could be day/month or month/day; took {first}"
                ));
            }
            first
        }
    };
    let amount_columns: Vec<usize> = [amount, debit, credit].into_iter().flatten().collect();
    let amounts: Vec<&str> = data
        .iter()
        .flat_map(|r| amount_columns.iter().map(move |&c| column(r, c)))
        .filter(|v| !v.is_empty())
        .collect();
    let style = number_style(&amounts, delimiter);
    if let Some(bad) = amounts
        .iter()
        .find(|a| parse_amount(a, style, currency).is_err())
    {
        doubts.push(format!(
            "the amount {bad:?} does not read with decimal {:?}; check decimal and thousands",
            style.decimal
        ));
    }
    let text_columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| TEXT.contains(&h.as_str()))
        .map(|(i, _)| i + 1)
        .collect();
    if text_columns.is_empty() {
        doubts.push("no description column found; set text".into());
    }
    let mapping = CsvMapping {
        delimiter,
        header: true,
        skip_lines,
        date,
        date_format: date_format.to_string(),
        value_date: find(&header, VALUE_DATE),
        amount,
        debit,
        credit,
        decimal: style.decimal,
        thousands: style.thousands,
        text: text_columns,
        reference: find(&header, REFERENCE),
        bank_id: find(&header, BANK_ID),
        currency: Some(currency),
        currency_column: find(&header, CURRENCY),
    };
    Ok(MappingGuess { mapping, doubts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(text: &str, currency: Currency) -> MappingGuess {
        guess_mapping("export.csv", text.as_bytes(), currency).unwrap()
    }

    #[test]
    fn a_us_export_with_month_first_dates_is_read_month_first() {
        let chase = "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n\
                     CREDIT,11/30/2026,STRIPE TRANSFER ST-A1B2,1193.28,ACH_CREDIT,5000.00,,\n\
                     DEBIT,11/14/2026,\"COFFEE, INC\",-4.50,DEBIT_CARD,3806.72,,\n";
        let g = guess(chase, Currency::USD);
        assert!(g.doubts.is_empty(), "{:?}", g.doubts);
        let m = g.mapping;
        assert_eq!(
            (m.date, m.date_format.as_str(), m.amount),
            (2, "%m/%d/%Y", Some(4))
        );
        assert_eq!(m.text, [1, 3]);
    }

    #[test]
    fn a_uk_export_with_the_currency_in_the_amount_header() {
        let starling = "Date,Counter Party,Reference,Type,Amount (GBP),Balance (GBP)\n\
                        02/11/2026,Stripe,ST-A1B2,FASTER PAYMENT,\"1,193.28\",5000.00\n";
        let m = guess(starling, Currency::from_code("GBP").unwrap()).mapping;
        assert_eq!(
            (m.amount, m.reference, m.text.as_slice()),
            (Some(5), Some(3), &[2][..])
        );
        assert_eq!((m.decimal, m.thousands), ('.', Some(',')));
    }

    #[test]
    fn what_it_cannot_tell_it_says() {
        let both = "Date,Amount,Description\n02/11/2026,1.00,a\n";
        let g = guess(both, Currency::AUD);
        assert_eq!(g.mapping.date_format, "%d/%m/%Y");
        assert_eq!(
            g.doubts,
            ["the dates could be day/month or month/day; took %d/%m/%Y"]
        );
        let no_header = guess_mapping("x.csv", b"02/11/2026,1.00,a\n", Currency::AUD).unwrap_err();
        assert!(
            no_header.to_string().starts_with("x.csv: no header row"),
            "{no_header}"
        );
    }
}
