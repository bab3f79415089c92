//! The statement as OFX 2.2 (XML, so that any XML parser reads it): one
//! `STMTRS` for the account, a `STMTTRN` per line with the line's id as
//! `FITID`, and the ledger balance at the end of the range.

use std::fmt::Write;

use super::text::{amount, clip, xml};
use super::{Account, LineKind};

/// OFX's limit on `NAME`.
const NAME_MAX: usize = 32;
/// OFX's limit on `MEMO`.
const MEMO_MAX: usize = 255;

fn trntype(kind: LineKind, minor: i64) -> &'static str {
    match kind {
        LineKind::BankFee => "FEE",
        _ if minor < 0 => "DEBIT",
        _ => "CREDIT",
    }
}

pub fn render(account: &Account<'_>) -> String {
    let cur = account.currency.code();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
         <?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n\
         <OFX>\n<SIGNONMSGSRSV1><SONRS>\
         <STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\
         <DTSERVER>{}.000[+0:UTC]</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n\
         <BANKMSGSRSV1><STMTTRNRS><TRNUID>0</TRNUID>\
         <STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n<STMTRS>\
         <CURDEF>{cur}</CURDEF>\
         <BANKACCTFROM><BANKID>123456</BANKID><ACCTID>12345678{cur}</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>\n\
         <BANKTRANLIST><DTSTART>{}</DTSTART><DTEND>{}</DTEND>\n",
        account.now.format("%Y%m%d%H%M%S"),
        account.from.format("%Y%m%d"),
        account.to.format("%Y%m%d"),
    );
    for line in account.lines {
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "<STMTTRN><TRNTYPE>{}</TRNTYPE><DTPOSTED>{}</DTPOSTED><TRNAMT>{}</TRNAMT>\
             <FITID>{}</FITID><NAME>{}</NAME>",
            trntype(line.kind, line.amount),
            line.booked.format("%Y%m%d"),
            amount(account, line.amount),
            xml(&line.id),
            xml(clip(&line.payer, NAME_MAX)),
        );
        if !line.reference.is_empty() {
            let _ = write!(out, "<MEMO>{}</MEMO>", xml(clip(&line.reference, MEMO_MAX)));
        }
        out.push_str("</STMTTRN>\n");
    }
    let _ = write!(
        out,
        "</BANKTRANLIST>\n<LEDGERBAL><BALAMT>{}</BALAMT><DTASOF>{}</DTASOF></LEDGERBAL>\n\
         </STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n",
        amount(account, account.closing()),
        account.to.format("%Y%m%d"),
    );
    out
}
