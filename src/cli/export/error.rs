//! How `paydeck export` ends badly, its exit code, and its message as a script reads
//! it (JSON on stderr with the JSON formats).

/// The exit codes, as `paydeck export --help` lists them.
pub const EXIT_CODES: &str = "Exit codes: 0 every row was written; 1 setup (the config, the \
profile, the filter, a gateway that does not list the kind: nothing was written); 2 usage (a \
wrong argument); 3 the gateway failed after its retries (stdout may hold the rows read before; \
--output FILE is left as it was); 4 the local store could not be read; 5 the output could not be \
written (or an XLSX export was too large); 6 some records could not be read and were left out \
(the rest were written). With --format json or ndjson the error is one JSON object on stderr: \
{\"error\": MESSAGE, \"exit_code\": CODE}.";

#[derive(Debug, thiserror::Error)]
pub enum ExportFailure {
    #[error("{0}")]
    Setup(String),
    #[error("{0}")]
    Gateway(String),
    #[error("{0}")]
    Store(String),
    #[error("{0}")]
    Output(String),
    #[error(
        "{skipped} {kind} could not be read and were left out (the first: {first}); the other {written} were written"
    )]
    Unreadable {
        kind: &'static str,
        skipped: u64,
        written: u64,
        first: String,
    },
}

impl ExportFailure {
    pub fn exit_code(&self) -> i32 {
        match self {
            ExportFailure::Setup(_) => 1,
            ExportFailure::Gateway(_) => 3,
            ExportFailure::Store(_) => 4,
            ExportFailure::Output(_) => 5,
            ExportFailure::Unreadable { .. } => 6,
        }
    }

    /// The message as one line of JSON: `{"error": ..., "exit_code": ...}`.
    pub fn to_json(&self) -> String {
        serde_json::json!({ "error": self.to_string(), "exit_code": self.exit_code() }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_form_says_the_message_and_the_code() {
        let failure = ExportFailure::Gateway("Pin Payments: \"boom\"".into());
        let json: serde_json::Value = serde_json::from_str(&failure.to_json()).unwrap();
        assert_eq!(json["error"], "Pin Payments: \"boom\"");
        assert_eq!(json["exit_code"], 3);
    }
}
