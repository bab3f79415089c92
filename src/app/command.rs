//! The `:` command line.

use chrono::NaiveDate;

use super::jump::JumpTo;
use crate::gateway::Capabilities;
use crate::recon::export::ExportFormat;

/// The longest id `:charge ID` (customer, payout) takes: gateways' ids are under 64.
const MAX_ID: usize = 255;

/// A reconciliation session's name, and its period when it is given.
pub type SessionName = (String, Option<(NaiveDate, NaiveDate)>);

/// A command the operator typed after `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Charges,
    Customers,
    Refunds,
    Disputes,
    Payouts,
    Balance,
    /// `:stats`: the charges list's filter added up over a period.
    Stats,
    Verify(String),
    /// `:charge ID`, `:customer ID`, `:payout ID`.
    Jump(JumpTo, String),
    Refresh,
    Profile(String),
    Quit,
    Help,
    /// `:recon` lists the sessions; `:recon NAME [FROM..TO]` opens one.
    Recon(Option<SessionName>),
    /// `:import PATH [BANK]`, as typed.
    Import(String),
    Signoff,
    Reopen(String),
    /// `:export DIR [csv|xlsx]`: the session's exports written into DIR.
    Export {
        dir: String,
        format: ExportFormat,
    },
}

/// Whether the gateway can carry out a command.
type Needs = Option<fn(&Capabilities) -> bool>;

/// Every command as the help writes it, and the capability it needs, if any.
pub const ALL: [(&str, Needs); 20] = [
    (":charges", None),
    (":customers", Some(|c| c.customers)),
    (":refunds", Some(|c| c.refund_list)),
    (":disputes", Some(|c| c.disputes)),
    (":payouts", Some(|c| c.payouts)),
    (":balance", Some(|c| c.balance)),
    (":stats", None),
    (":verify TOKEN", Some(|c| c.three_d_secure)),
    (":refresh", None),
    (":profile NAME", None),
    (":help", None),
    (":q", None),
    (":charge ID", None),
    (":customer ID", Some(|c| c.customers)),
    (":payout ID", Some(|c| c.payouts)),
    // Reconciliation's last, so a narrow hint keeps :help and :q.
    (":recon NAME", None),
    (":import PATH", None),
    (":signoff", None),
    (":reopen REASON", None),
    (":export DIR", None),
];

/// The commands this gateway can carry out, as the help writes them.
pub fn offered(caps: &Capabilities) -> impl Iterator<Item = &'static str> + '_ {
    ALL.iter()
        .filter(|(_, needs)| needs.is_none_or(|needs| needs(caps)))
        .map(|(usage, _)| *usage)
}

/// The offered commands on one line, for hints and errors.
pub fn names(caps: &Capabilities) -> String {
    offered(caps).collect::<Vec<_>>().join("  ")
}

pub fn parse(line: &str, caps: &Capabilities) -> Result<Command, String> {
    let names = names(caps);
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let command = match name {
        "charges" | "ch" => Command::Charges,
        "customers" | "cu" => Command::Customers,
        "refunds" | "rf" => Command::Refunds,
        "disputes" | "dp" => Command::Disputes,
        "payouts" | "po" => Command::Payouts,
        "balance" | "bal" => Command::Balance,
        "stats" | "st" => Command::Stats,
        "verify" => match rest.as_slice() {
            [token] => return Ok(Command::Verify((*token).to_string())),
            _ => return Err("usage: :verify SESSION_TOKEN".into()),
        },
        "charge" => return jump(JumpTo::Charge, &rest),
        "customer" => return jump(JumpTo::Customer, &rest),
        "payout" => return jump(JumpTo::Payout, &rest),
        "refresh" | "r" => Command::Refresh,
        "profile" | "p" => match rest.as_slice() {
            [name] => return Ok(Command::Profile((*name).to_string())),
            _ => return Err("usage: :profile NAME".into()),
        },
        "recon" => return recon(&rest).map(Command::Recon),
        "import" => match rest.as_slice() {
            [] => return Err("usage: :import PATH [BANK] (a CSV needs its bank's name)".into()),
            words => return Ok(Command::Import(words.join(" "))),
        },
        "signoff" => Command::Signoff,
        "reopen" => match rest.as_slice() {
            [] => return Err("usage: :reopen REASON (reopening needs a reason)".into()),
            words => return Ok(Command::Reopen(words.join(" "))),
        },
        "export" => return export(&rest),
        "q" | "quit" | "q!" => Command::Quit,
        "help" | "h" => Command::Help,
        "" => return Err(format!("type a command: {names}")),
        other => return Err(format!("no command :{other}; try {names}")),
    };
    if rest.is_empty() {
        Ok(command)
    } else {
        Err(format!(":{name} takes no arguments"))
    }
}

/// `:charge ID` and its kin: one id, of a bounded length.
fn jump(to: JumpTo, words: &[&str]) -> Result<Command, String> {
    let word = to.word();
    match words {
        [id] if id.chars().count() <= MAX_ID => Ok(Command::Jump(to, (*id).to_string())),
        [_] => Err(format!(
            "that is not a {word} id: ids are at most {MAX_ID} characters"
        )),
        _ => Err(format!(
            "usage: :{word} ID (the {word}'s id, as `y` copies it)"
        )),
    }
}

/// `:export DIR [csv|xlsx]`: CSV unless the last word says xlsx (a directory with
/// spaces is typed whole).
fn export(words: &[&str]) -> Result<Command, String> {
    let (format, dir) = match words {
        [] => return Err("usage: :export DIR [csv|xlsx]".into()),
        [dir @ .., last] if !dir.is_empty() && last.eq_ignore_ascii_case("xlsx") => {
            (ExportFormat::Xlsx, dir)
        }
        [dir @ .., last] if !dir.is_empty() && last.eq_ignore_ascii_case("csv") => {
            (ExportFormat::Csv, dir)
        }
        dir => (ExportFormat::Csv, dir),
    };
    Ok(Command::Export {
        dir: dir.join(" "),
        format,
    })
}

/// `:recon`'s words: none, a name, or a name and `YYYY-MM-DD..YYYY-MM-DD`.
fn recon(words: &[&str]) -> Result<Option<SessionName>, String> {
    const USAGE: &str = "usage: :recon [NAME [YYYY-MM-DD..YYYY-MM-DD]]";
    match words {
        [] => Ok(None),
        [name] => Ok(Some(((*name).to_string(), None))),
        [name, period] => {
            let (from, to) = period
                .split_once("..")
                .ok_or_else(|| format!("{period:?} is not a period; {USAGE}"))?;
            let day = |text: &str| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| format!("{text:?} is not a date written YYYY-MM-DD; {USAGE}"))
            };
            let (from, to) = (day(from)?, day(to)?);
            if from > to {
                return Err(format!("the period ends ({to}) before it starts ({from})"));
            }
            Ok(Some(((*name).to_string(), Some((from, to)))))
        }
        _ => Err(USAGE.into()),
    }
}

/// What Tab makes of the command line: the completed text, and the choices left when
/// more than one fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub choices: Vec<String>,
}

/// Completes the command name, or the profile name after `:profile`, as a shell does:
/// a single match is completed whole, several as far as they agree.
pub fn complete(line: &str, caps: &Capabilities, profiles: &[String]) -> Completion {
    let (head, word, candidates): (&str, &str, Vec<String>) = match line.split_once(' ') {
        None => {
            let commands = offered(caps).map(|usage| {
                let name = usage.trim_start_matches(':');
                // Commands that take an argument complete with the space before it.
                match name.split_once(' ') {
                    Some((name, _)) => format!("{name} "),
                    None => name.to_string(),
                }
            });
            ("", line, commands.collect())
        }
        Some((name @ ("profile" | "p"), rest)) if !rest.trim_start().contains(' ') => {
            let head = &line[..name.len() + 1 + (rest.len() - rest.trim_start().len())];
            (head, rest.trim_start(), profiles.to_vec())
        }
        Some(_) => ("", line, Vec::new()),
    };
    if candidates.is_empty() {
        return Completion {
            line: line.to_string(),
            choices: Vec::new(),
        };
    }
    let fitting: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(word))
        .collect();
    let common = fitting
        .iter()
        .skip(1)
        .fold(fitting.first().cloned().unwrap_or_default(), |prefix, c| {
            common_prefix(&prefix, c).to_string()
        });
    let completed = if common.len() > word.len() {
        format!("{head}{common}")
    } else {
        line.to_string()
    };
    Completion {
        line: completed,
        choices: if fitting.len() > 1 {
            fitting
        } else {
            Vec::new()
        },
    }
}

fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let end = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    // `end` is a char boundary of `a`; when `b` is shorter it may not be, so step back.
    let mut end = end.min(a.len());
    while !a.is_char_boundary(end) {
        end -= 1;
    }
    &a[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_gateways::{NO_CUSTOMERS, NO_REFUND_LIST, USUAL};

    fn parse(line: &str) -> Result<Command, String> {
        super::parse(line, &USUAL.caps)
    }

    #[test]
    fn offers_only_what_the_gateway_can() {
        let no_customers = names(&NO_CUSTOMERS.caps);
        assert!(!no_customers.contains(":customers"), "{no_customers}");
        assert!(
            no_customers.contains(":refunds") && no_customers.contains(":disputes"),
            "{no_customers}"
        );
        let no_refund_list = names(&NO_REFUND_LIST.caps);
        assert!(!no_refund_list.contains(":refunds"), "{no_refund_list}");
        assert!(!no_refund_list.contains(":disputes"), "{no_refund_list}");
        let err = super::parse("nope", &NO_REFUND_LIST.caps).unwrap_err();
        assert!(!err.contains(":refunds"), "{err}");
    }

    #[test]
    fn tab_completes_commands_and_profiles() {
        let profiles = ["acme-live".to_string(), "acme-test".into(), "other".into()];
        let tab = |line: &str| complete(line, &USUAL.caps, &profiles);
        // `:customers` and `:customer ID` agree as far as customer.
        assert_eq!(tab("cu").line, "customer");
        assert_eq!(tab("cu").choices, ["customers", "customer "]);
        assert_eq!(tab("customers").line, "customers");
        assert!(tab("customers").choices.is_empty());
        assert_eq!(tab("pr").line, "profile ");
        assert_eq!(tab("ve").line, "verify ");
        // `charges`, `customers`, `charge ID` and `customer ID` agree on the c only.
        let c = tab("c");
        assert_eq!(c.line, "c");
        assert_eq!(c.choices, ["charges", "customers", "charge ", "customer "]);
        assert_eq!(tab("profile ").line, "profile ");
        assert_eq!(tab("profile ").choices.len(), 3);
        assert_eq!(tab("profile a").line, "profile acme-");
        assert_eq!(tab("profile acme-l").line, "profile acme-live");
        assert_eq!(tab("p o").line, "p other");
        assert_eq!(tab("xyz").line, "xyz");
        assert_eq!(tab("refresh now").line, "refresh now");
        // Only the gateway's commands: a gateway without customers has no `customers`.
        assert_eq!(complete("cu", &NO_CUSTOMERS.caps, &profiles).line, "cu");
        assert_eq!(common_prefix("é1", "é2"), "é");
        assert_eq!(common_prefix("ab", "a"), "a");
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(parse("charges"), Ok(Command::Charges));
        assert_eq!(parse("customers"), Ok(Command::Customers));
        assert_eq!(parse("refunds"), Ok(Command::Refunds));
        assert_eq!(parse("verify se_abc"), Ok(Command::Verify("se_abc".into())));
        assert!(parse("verify").is_err());
        assert_eq!(parse(" q "), Ok(Command::Quit));
        assert_eq!(parse("profile live"), Ok(Command::Profile("live".into())));
        assert!(parse("profile").is_err());
        assert!(parse("refresh now").unwrap_err().contains("no arguments"));
        assert!(
            parse("frobnicate")
                .unwrap_err()
                .contains("no command :frobnicate")
        );
    }

    #[test]
    fn parses_the_reconciliation_commands() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(parse("recon"), Ok(Command::Recon(None)));
        assert_eq!(
            parse("recon nov"),
            Ok(Command::Recon(Some(("nov".into(), None))))
        );
        assert_eq!(
            parse("recon nov 2026-11-01..2026-11-30"),
            Ok(Command::Recon(Some((
                "nov".into(),
                Some((day(1), day(30)))
            ))))
        );
        assert!(
            parse("recon nov 2026-11-30..2026-11-01")
                .unwrap_err()
                .contains("ends")
        );
        assert!(
            parse("recon nov november")
                .unwrap_err()
                .contains("not a period")
        );
        assert_eq!(
            parse("import /tmp/nov.csv westpac"),
            Ok(Command::Import("/tmp/nov.csv westpac".into()))
        );
        assert!(parse("import").is_err());
        assert_eq!(parse("signoff"), Ok(Command::Signoff));
        assert_eq!(
            parse("export /tmp/out xlsx"),
            Ok(Command::Export {
                dir: "/tmp/out".into(),
                format: ExportFormat::Xlsx
            })
        );
        assert_eq!(
            parse("export /tmp/my books"),
            Ok(Command::Export {
                dir: "/tmp/my books".into(),
                format: ExportFormat::Csv
            })
        );
        assert!(parse("export").unwrap_err().contains("usage: :export DIR"));
        assert_eq!(
            parse("reopen bank corrected a line"),
            Ok(Command::Reopen("bank corrected a line".into()))
        );
        assert!(parse("reopen").unwrap_err().contains("needs a reason"));
    }
}
