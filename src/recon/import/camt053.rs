//! camt.053 statements (ISO 20022 `BkToCstmrStmt`, any version): one `Ntry`
//! is one line, its amount unsigned with `CdtDbtInd` for the direction; the
//! bank's id is `AcctSvcrRef`, the references are in `NtryDtls/TxDtls`
//! (`RmtInf/Ustrd`, `Strd/CdtrRefInf/Ref`, `Refs/EndToEndId`), and a batched
//! entry's transactions are kept as the line's details.

use chrono::NaiveDate;

use crate::money::{Currency, Money};
use crate::recon::statement::{Detail, SourceFormat, Statement, StatementLine};

use super::error::{ImportError, Location, Problem, quoted};
use super::text::{NumberStyle, parse_amount};
use super::xml::{Item, Located as Field, TextBuffer, Walker};

/// An amount and its `Ccy`.
#[derive(Clone, Debug)]
struct Amount {
    text: Field,
    ccy: Option<String>,
}

#[derive(Default)]
struct Tx {
    amount: Option<Amount>,
    indicator: Option<Field>,
    references: Vec<String>,
    end_to_end: Option<String>,
    debtor: Option<String>,
    creditor: Option<String>,
    info: Option<String>,
}

#[derive(Default)]
struct Entry {
    number: usize,
    line: u64,
    amount: Option<Amount>,
    indicator: Option<Field>,
    status: Option<String>,
    booked: Option<Field>,
    value: Option<Field>,
    bank_id: Option<String>,
    entry_ref: Option<String>,
    info: Option<String>,
    txs: Vec<Tx>,
}

struct Reader<'a> {
    file: &'a str,
    account: Option<String>,
    currency: Option<String>,
    entry: Option<Entry>,
    count: usize,
    pending: usize,
    lines: Vec<StatementLine>,
}

/// Where the elements of an entry are, relative to `Ntry`.
fn entry_field(entry: &mut Entry, rel: &[&str], value: String, line: u64, ccy: Option<String>) {
    let field = || Field {
        value: value.clone(),
        line,
    };
    match rel {
        ["Amt"] => entry.amount = Some(Amount { text: field(), ccy }),
        ["CdtDbtInd"] => entry.indicator = Some(field()),
        ["Sts"] | ["Sts", "Cd"] => entry.status = Some(value),
        ["BookgDt", "Dt" | "DtTm"] => entry.booked = Some(field()),
        ["ValDt", "Dt" | "DtTm"] => entry.value = Some(field()),
        ["AcctSvcrRef"] => entry.bank_id = Some(value),
        ["NtryRef"] => entry.entry_ref = Some(value),
        ["AddtlNtryInf"] => entry.info = Some(value),
        ["NtryDtls", "TxDtls", tx @ ..] => {
            let Some(t) = entry.txs.last_mut() else {
                return;
            };
            match tx {
                ["Amt"] | ["AmtDtls", "TxAmt", "Amt"] => {
                    t.amount = Some(Amount { text: field(), ccy })
                }
                ["CdtDbtInd"] => t.indicator = Some(field()),
                ["Refs", "EndToEndId"] => t.end_to_end = Some(value),
                ["RmtInf", "Ustrd"] | ["RmtInf", "Strd", "CdtrRefInf", "Ref"] => {
                    t.references.push(value)
                }
                ["RltdPties", "Dbtr", "Nm"] | ["RltdPties", "Dbtr", "Pty", "Nm"] => {
                    t.debtor = Some(value)
                }
                ["RltdPties", "Cdtr", "Nm"] | ["RltdPties", "Cdtr", "Pty", "Nm"] => {
                    t.creditor = Some(value)
                }
                ["AddtlTxInf"] => t.info = Some(value),
                _ => {}
            }
        }
        _ => {}
    }
}

fn camt_date(text: &str) -> Option<NaiveDate> {
    // `2026-11-30`, or a `DtTm` that starts with it.
    let day = text.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

impl Reader<'_> {
    fn fail(&self, entry: &Entry, line: u64, field: &str, message: String) -> ImportError {
        ImportError::new(
            self.file,
            Location::Element {
                line,
                path: format!("Ntry {}/{field}", entry.number),
            },
            Problem::Field,
            message,
        )
    }

    /// A signed amount from `Amt` and `CdtDbtInd`.
    fn signed(
        &self,
        entry: &Entry,
        path: &str,
        amount: &Amount,
        indicator: &Field,
    ) -> Result<Money, ImportError> {
        let code = amount
            .ccy
            .as_deref()
            .or(self.currency.as_deref())
            .ok_or_else(|| {
                self.fail(
                    entry,
                    amount.text.line,
                    path,
                    "the amount has no Ccy attribute".into(),
                )
            })?;
        let currency = Currency::from_code(code).map_err(|_| {
            self.fail(
                entry,
                amount.text.line,
                path,
                format!("the currency {} is not an ISO 4217 code", quoted(code)),
            )
        })?;
        let text = &amount.text.value;
        let money = parse_amount(text, NumberStyle::PLAIN, currency)
            .ok()
            .filter(|m| !m.amount.is_sign_negative())
            .ok_or_else(|| {
                self.fail(
                    entry,
                    amount.text.line,
                    path,
                    format!("the amount {} is not an unsigned number with at most {} decimals (the sign is in CdtDbtInd)", quoted(text), currency.exponent()),
                )
            })?;
        match indicator.value.as_str() {
            "CRDT" => Ok(money),
            "DBIT" => Ok(Money {
                amount: -money.amount,
                ..money
            }),
            other => Err(self.fail(
                entry,
                indicator.line,
                "CdtDbtInd",
                format!("CdtDbtInd is {}; it must be CRDT or DBIT", quoted(other)),
            )),
        }
    }

    fn date(&self, entry: &Entry, path: &str, field: &Field) -> Result<NaiveDate, ImportError> {
        field
            .date(camt_date, "YYYY-MM-DD")
            .map_err(|m| self.fail(entry, field.line, path, m))
    }

    fn finish(&mut self, entry: Entry) -> Result<(), ImportError> {
        if entry.status.as_deref().is_some_and(|s| s != "BOOK") {
            self.pending += 1;
            return Ok(());
        }
        let missing = |field: &str| {
            self.fail(
                &entry,
                entry.line,
                field,
                format!("an entry without {field}; a booked entry has one"),
            )
        };
        let amount_field = entry.amount.as_ref().ok_or_else(|| missing("Amt"))?;
        let indicator = entry
            .indicator
            .as_ref()
            .ok_or_else(|| missing("CdtDbtInd"))?;
        let amount = self.signed(&entry, "Amt", amount_field, indicator)?;
        let entry_amount = amount;
        let booked = match (&entry.booked, &entry.value) {
            (Some(b), _) => self.date(&entry, "BookgDt", b)?,
            (None, Some(v)) => self.date(&entry, "ValDt", v)?,
            (None, None) => return Err(missing("BookgDt")),
        };
        let value_date = match &entry.value {
            Some(v) => Some(self.date(&entry, "ValDt", v)?),
            None => None,
        };
        let mut details = Vec::with_capacity(entry.txs.len());
        for tx in &entry.txs {
            let amount = match &tx.amount {
                Some(a) => Some(self.signed(
                    &entry,
                    "NtryDtls/TxDtls/Amt",
                    a,
                    tx.indicator.as_ref().unwrap_or(indicator),
                )?),
                None => None,
            };
            // The other party: who paid money in, or who was paid.
            let out = amount.unwrap_or(entry_amount).amount.is_sign_negative();
            let party = if out {
                tx.creditor.clone()
            } else {
                tx.debtor.clone()
            };
            details.push(Detail {
                amount,
                reference: tx.references.join(" / "),
                end_to_end_id: tx.end_to_end.clone().filter(|e| e != "NOTPROVIDED"),
                party,
            });
        }
        let reference: Vec<&str> = details
            .iter()
            .map(|d| d.reference.as_str())
            .filter(|r| !r.is_empty())
            .collect();
        let text = entry.info.clone().or_else(|| {
            details
                .iter()
                .find_map(|d| d.party.clone())
                .or_else(|| entry.txs.iter().find_map(|t| t.info.clone()))
        });
        let other_refs = entry
            .entry_ref
            .iter()
            .cloned()
            .chain(details.iter().filter_map(|d| d.end_to_end_id.clone()))
            .collect();
        let line = StatementLine {
            at_line: entry.line,
            booked,
            value_date,
            amount,
            text: text.unwrap_or_default(),
            reference: reference.join(" / "),
            other_refs,
            bank_id: entry.bank_id.clone(),
            details: if details.len() > 1 {
                details
            } else {
                Vec::new()
            },
        };
        self.lines.push(line);
        Ok(())
    }
}

/// The statement in `text` (the file `file`).
pub fn parse(file: &str, text: &str) -> Result<Statement, ImportError> {
    let mut walker = Walker::new(file, text, 0, false);
    let mut reader = Reader {
        file,
        account: None,
        currency: None,
        entry: None,
        count: 0,
        pending: 0,
        lines: Vec::new(),
    };
    let mut path: Vec<String> = Vec::new();
    let mut ccy: Vec<Option<String>> = Vec::new();
    let mut buffer = TextBuffer::default();
    let mut is_statement = false;
    loop {
        match walker.next()? {
            Item::Open { name, ccy: attr } => {
                buffer.clear();
                let expected = match path.len() {
                    0 => Some("Document"),
                    1 => Some("BkToCstmrStmt"),
                    _ => None,
                };
                if let Some(expected) = expected.filter(|e| *e != name) {
                    let found = path
                        .iter()
                        .chain([&name])
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("/");
                    return Err(walker.error(
                        &found,
                        Problem::Syntax,
                        format!("this is not a camt.053 statement: expected <{expected}>, found <{name}> (camt.052 and camt.054 are other messages)"),
                    ));
                }
                path.push(name);
                ccy.push(attr);
                is_statement |= path.len() == 2;
                if path.len() >= 2
                    && path[path.len() - 2] == "Stmt"
                    && path[path.len() - 1] == "Ntry"
                {
                    reader.count += 1;
                    reader.entry = Some(Entry {
                        number: reader.count,
                        line: walker.line(),
                        ..Entry::default()
                    });
                }
                if let (Some(entry), Some(at)) = (
                    reader.entry.as_mut(),
                    path.iter().rposition(|p| p == "Ntry"),
                ) && path[at + 1..] == ["NtryDtls", "TxDtls"]
                {
                    entry.txs.push(Tx::default());
                }
            }
            Item::Text(piece) => buffer.push(&piece),
            Item::Close(_) => {
                let value = buffer.take();
                let line = walker.line();
                let attr = ccy.pop().flatten();
                let names: Vec<&str> = path.iter().map(String::as_str).collect();
                let ntry = names.iter().rposition(|p| *p == "Ntry");
                match (reader.entry.as_mut(), ntry) {
                    (Some(_), Some(at)) if at + 1 == names.len() => {
                        if let Some(done) = reader.entry.take() {
                            reader.finish(done)?;
                        }
                    }
                    (Some(entry), Some(at)) if !value.is_empty() => {
                        entry_field(entry, &names[at + 1..], value, line, attr);
                    }
                    _ if !value.is_empty() => match names.as_slice() {
                        [.., "Stmt", "Acct", "Ccy"] => reader.currency = Some(value),
                        [.., "Stmt", "Acct", "Id", "IBAN"]
                        | [.., "Stmt", "Acct", "Id", "Othr", "Id"] => {
                            reader.account.get_or_insert(value);
                        }
                        _ => {}
                    },
                    _ => {}
                }
                path.pop();
            }
            Item::Eof => break,
        }
    }
    if !is_statement {
        return Err(ImportError::new(
            file,
            Location::File,
            Problem::Syntax,
            "there is no <Document> with <BkToCstmrStmt>; this is not a camt.053 file",
        ));
    }
    Ok(Statement {
        file: file.to_string(),
        format: SourceFormat::Camt053,
        account: reader.account,
        lines: reader.lines,
        pending_skipped: reader.pending,
    })
}
