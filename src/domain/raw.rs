//! A gateway's own JSON for one object, for the detail view's raw toggle.

use std::fmt;
use std::sync::Arc;

/// Kept as the text the gateway sent (cheap to keep and clone), and parsed only when
/// somebody looks at it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawJson(Arc<str>);

impl RawJson {
    pub fn new(text: &str) -> RawJson {
        RawJson(Arc::from(text))
    }

    pub fn from_value(value: &serde_json::Value) -> RawJson {
        RawJson::new(&value.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Indented for reading; the text as it came if it is not JSON after all.
    pub fn pretty(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.0)
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_else(|_| self.0.to_string())
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_prints_json_and_passes_anything_else_through() {
        assert_eq!(RawJson::new(r#"{"a":1}"#).pretty(), "{\n  \"a\": 1\n}");
        assert_eq!(RawJson::new("<html>").pretty(), "<html>");
    }
}
