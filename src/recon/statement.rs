//! A bank statement as read from a file, whatever its format: the lines, each
//! with its dates, its signed exact amount and what the bank wrote about it.

use chrono::NaiveDate;

use crate::money::Money;

/// The format a statement was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Csv,
    /// OFX 2 (XML) or OFX 1 (SGML); the lines read the same.
    Ofx,
    Camt053,
}

/// One line of a bank statement: one booking on the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    /// Where it starts in the file (1-based), for messages about it.
    pub at_line: u64,
    /// The booking date (OFX `DTPOSTED`, camt.053 `BookgDt`).
    pub booked: NaiveDate,
    /// The value date, where the format has one (OFX `DTAVAIL`, camt.053 `ValDt`).
    pub value_date: Option<NaiveDate>,
    /// Signed: a deposit is positive, a debit negative.
    pub amount: Money,
    /// What the bank says it is: the payer or payee, the description (OFX
    /// `NAME`, camt.053 `AddtlNtryInf`, the CSV's text columns).
    pub text: String,
    /// The reference the payer gave (OFX `MEMO`, camt.053 `RmtInf`; several
    /// joined with " / ").
    pub reference: String,
    /// Further references the bank passed on, kept for matching (camt.053
    /// `NtryRef` and `EndToEndId`, OFX `REFNUM` and `CHECKNUM`).
    pub other_refs: Vec<String>,
    /// The bank's own id for the line (OFX `FITID`, camt.053 `AcctSvcrRef`,
    /// a CSV column if the mapping names one).
    pub bank_id: Option<String>,
    /// A batched camt.053 entry's transactions (empty for a single one).
    pub details: Vec<Detail>,
}

/// One transaction inside a batched entry (camt.053 `TxDtls`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// Its own amount, signed like the entry, where the bank gives it.
    pub amount: Option<Money>,
    pub reference: String,
    pub end_to_end_id: Option<String>,
    /// The other party's name, where given.
    pub party: Option<String>,
}

/// Everything read from one statement file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The file's name as the operator gave it, for messages.
    pub file: String,
    pub format: SourceFormat,
    /// The account as the file names it (OFX `ACCTID`, camt.053 `Acct/Id`).
    pub account: Option<String>,
    /// Booked lines, in file order.
    pub lines: Vec<StatementLine>,
    /// camt.053 entries not booked yet (`Sts` other than `BOOK`), left out.
    pub pending_skipped: usize,
}
