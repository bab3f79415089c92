//! The `:` command line.

/// A command the operator typed after `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Charges,
    Customers,
    Refunds,
    Disputes,
    Verify(String),
    Refresh,
    Profile(String),
    Quit,
    Help,
}

pub const NAMES: &str =
    ":charges  :customers  :refunds  :disputes  :verify TOKEN  :refresh  :profile NAME  :help  :q";

pub fn parse(line: &str) -> Result<Command, String> {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let command = match name {
        "charges" | "ch" => Command::Charges,
        "customers" | "cu" => Command::Customers,
        "refunds" | "rf" => Command::Refunds,
        "disputes" | "dp" => Command::Disputes,
        "verify" => match rest.as_slice() {
            [token] => return Ok(Command::Verify((*token).to_string())),
            _ => return Err("usage: :verify SESSION_TOKEN".into()),
        },
        "refresh" | "r" => Command::Refresh,
        "profile" | "p" => match rest.as_slice() {
            [name] => return Ok(Command::Profile((*name).to_string())),
            _ => return Err("usage: :profile NAME".into()),
        },
        "q" | "quit" | "q!" => Command::Quit,
        "help" | "h" => Command::Help,
        "" => return Err(format!("type a command: {NAMES}")),
        other => return Err(format!("no command :{other}; try {NAMES}")),
    };
    if rest.is_empty() {
        Ok(command)
    } else {
        Err(format!(":{name} takes no arguments"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
