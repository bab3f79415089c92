//! The statement as CSV, in one common bank layout: Commonwealth Bank's
//! export (`DD/MM/YYYY`, a signed amount with an explicit `+`, description,
//! balance) with a header row and a Reference column added, quoted as RFC 4180.

use std::fmt::Write;

use super::Account;
use super::text::{amount, csv_field};
use crate::money::Currency;
use crate::recon::import::CsvMapping;

pub const HEADER: &str = "Date,Amount,Description,Reference,Balance";

/// The column mapping that reads this layout for an account in `currency`
/// (the one `guess_mapping` finds from its header).
pub fn mapping(currency: Currency) -> CsvMapping {
    CsvMapping {
        delimiter: ',',
        header: true,
        skip_lines: 0,
        date: 1,
        date_format: "%d/%m/%Y".into(),
        value_date: None,
        amount: Some(2),
        debit: None,
        credit: None,
        decimal: '.',
        thousands: None,
        text: vec![3],
        reference: Some(4),
        bank_id: None,
        currency: Some(currency),
        currency_column: None,
    }
}

fn signed(account: &Account<'_>, minor: i64) -> String {
    let text = amount(account, minor);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

pub fn render(account: &Account<'_>) -> String {
    let mut out = format!("{HEADER}\r\n");
    let mut balance = account.opening;
    for line in account.lines {
        balance = balance.saturating_add(line.amount);
        let description = format!("{} {}", line.payer, line.reference);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "{},{},{},{},{}\r\n",
            line.booked.format("%d/%m/%Y"),
            signed(account, line.amount),
            csv_field(description.trim()),
            csv_field(&line.reference),
            signed(account, balance),
        );
    }
    out
}
