//! The statement as ISO 20022 camt.053.001.02 (`BkToCstmrStmt`): one `Stmt`
//! for the account with its opening and closing balances, an `Ntry` per line
//! (amount and currency, credit or debit, booked, booking and value dates, the
//! line's id as `AcctSvcrRef`, the reference in `RmtInf/Ustrd`).

use std::fmt::Write;

use super::text::{clip, credit_or_debit, unsigned, xml};
use super::{Account, LineKind};

pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";
/// The schema's limit on `Ustrd`.
const USTRD_MAX: usize = 140;

/// The ISO bank transaction code: a received or sent credit transfer, or a charge.
fn bank_code(kind: LineKind, minor: i64) -> (&'static str, &'static str, &'static str) {
    match kind {
        LineKind::BankFee => ("ACMT", "MDOP", "CHRG"),
        _ if minor < 0 => ("PMNT", "ICDT", "DMCT"),
        _ => ("PMNT", "RCDT", "DMCT"),
    }
}

fn balance(account: &Account<'_>, code: &str, minor: i64, on: chrono::NaiveDate) -> String {
    format!(
        "<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{cur}\">{amt}</Amt>\
         <CdtDbtInd>{ind}</CdtDbtInd><Dt><Dt>{on}</Dt></Dt></Bal>\n",
        cur = account.currency.code(),
        amt = unsigned(account, minor),
        ind = credit_or_debit(minor),
    )
}

pub fn render(account: &Account<'_>) -> String {
    let cur = account.currency.code();
    let created = account.now.format("%Y-%m-%dT%H:%M:%SZ");
    let id = format!(
        "PAYDECK-SIM-{}-{cur}-{}",
        account.dialect.to_ascii_uppercase(),
        account.to.format("%Y%m%d")
    );
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"{NAMESPACE}\">\n<BkToCstmrStmt>\n\
         <GrpHdr><MsgId>{id}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr>\n<Stmt>\n\
         <Id>{id}</Id><CreDtTm>{created}</CreDtTm>\
         <FrToDt><FrDtTm>{}T00:00:00Z</FrDtTm><ToDtTm>{}T23:59:59Z</ToDtTm></FrToDt>\n\
         <Acct><Id><Othr><Id>123456-12345678</Id></Othr></Id><Ccy>{cur}</Ccy></Acct>\n",
        account.from, account.to,
    );
    out.push_str(&balance(account, "OPBD", account.opening, account.from));
    out.push_str(&balance(account, "CLBD", account.closing(), account.to));
    for line in account.lines {
        let (domain, family, sub) = bank_code(line.kind, line.amount);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "<Ntry><Amt Ccy=\"{cur}\">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>{on}</Dt></BookgDt><ValDt><Dt>{on}</Dt></ValDt>\
             <AcctSvcrRef>{}</AcctSvcrRef>\
             <BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>\
             <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>",
            unsigned(account, line.amount),
            credit_or_debit(line.amount),
            xml(&line.id),
            on = line.booked,
        );
        if !line.reference.is_empty() {
            let _ = write!(
                out,
                "<RmtInf><Ustrd>{}</Ustrd></RmtInf>",
                xml(clip(&line.reference, USTRD_MAX))
            );
        }
        let _ = writeln!(
            out,
            "</TxDtls></NtryDtls><AddtlNtryInf>{}</AddtlNtryInf></Ntry>",
            xml(&line.payer)
        );
    }
    out.push_str("</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
    out
}
