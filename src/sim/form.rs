//! Request parameters: a JSON body, or `application/x-www-form-urlencoded` with
//! bracket notation (`card[number]=..`, `a[]=x`), both parsed into one
//! `serde_json::Value` tree. Accessors are tolerant because real clients send
//! numbers as JSON strings (`"amount":"100"`) and booleans as `"true"`.

use serde_json::{Map, Value};

/// Why a body could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormError {
    #[error("the request body is not valid JSON: {0}")]
    Json(String),
    #[error("the request body is not valid form data: {0}")]
    Form(String),
    #[error("the request body must be a JSON object")]
    NotAnObject,
}

/// Why a single parameter is unusable.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone, Copy)]
pub enum ParamError {
    #[error("is blank")]
    Blank,
    #[error("is not a number")]
    NotANumber,
    #[error("is not true or false")]
    NotABool,
}

/// Parsed request parameters (always an object at the root).
#[derive(Debug, Clone, Default)]
pub struct Params(pub Value);

impl Params {
    pub fn empty() -> Self {
        Params(Value::Object(Map::new()))
    }

    /// Parse a body according to its content type; an empty body is an empty object.
    pub fn from_body(content_type: Option<&str>, body: &[u8]) -> Result<Self, FormError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Params::empty());
        }
        let ct = content_type.unwrap_or("").to_ascii_lowercase();
        let looks_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        if ct.contains("json") || (!ct.contains("form") && looks_json) {
            let v: Value =
                serde_json::from_slice(body).map_err(|e| FormError::Json(e.to_string()))?;
            if v.is_object() {
                Ok(Params(v))
            } else {
                Err(FormError::NotAnObject)
            }
        } else {
            Self::from_urlencoded(body)
        }
    }

    /// Parse a query string or form body with bracket notation.
    pub fn from_urlencoded(raw: &[u8]) -> Result<Self, FormError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(raw).map_err(|e| FormError::Form(e.to_string()))?;
        let mut root = Value::Object(Map::new());
        for (k, v) in pairs {
            insert_path(&mut root, &split_key(&k), v);
        }
        Ok(Params(root))
    }

    /// Lookup by dotted path, e.g. `card.number`.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.').try_fold(&self.0, |v, seg| v.get(seg))
    }

    /// True when the parameter was sent at all (even blank).
    pub fn has(&self, path: &str) -> bool {
        self.get(path).is_some_and(|v| !v.is_null())
    }

    /// A scalar as a string (numbers and booleans are stringified); `None` if absent.
    pub fn str(&self, path: &str) -> Option<String> {
        match self.get(path)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A non-blank, trimmed string; `None` when absent or blank.
    pub fn text(&self, path: &str) -> Option<String> {
        self.str(path)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// An integer that may arrive as a JSON number or string; `Ok(None)` if absent.
    pub fn int(&self, path: &str) -> Result<Option<i64>, ParamError> {
        match self.get(path) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(ParamError::NotANumber),
            Some(Value::String(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    Err(ParamError::Blank)
                } else {
                    t.parse::<i64>()
                        .map(Some)
                        .map_err(|_| ParamError::NotANumber)
                }
            }
            Some(_) => Err(ParamError::NotANumber),
        }
    }

    /// A boolean that may arrive as `true`/`false` strings or 1/0; `Ok(None)` if absent.
    pub fn bool(&self, path: &str) -> Result<Option<bool>, ParamError> {
        match self.get(path) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(0) => Ok(Some(false)),
                Some(1) => Ok(Some(true)),
                _ => Err(ParamError::NotABool),
            },
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(Some(true)),
                "false" | "0" | "no" | "off" => Ok(Some(false)),
                "" => Err(ParamError::Blank),
                _ => Err(ParamError::NotABool),
            },
            Some(_) => Err(ParamError::NotABool),
        }
    }

    /// A flat object of scalars as string pairs (for `metadata`).
    pub fn string_map(&self, path: &str) -> Vec<(String, String)> {
        let Some(Value::Object(m)) = self.get(path) else {
            return Vec::new();
        };
        m.iter()
            .filter_map(|(k, v)| {
                let s = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                Some((k.clone(), s))
            })
            .collect()
    }

    /// A sub-tree as its own `Params` (empty when absent or not an object).
    pub fn sub(&self, path: &str) -> Params {
        match self.get(path) {
            Some(v @ Value::Object(_)) => Params(v.clone()),
            _ => Params::empty(),
        }
    }
}

/// `card[number]` → `["card", "number"]`; `a[]` → `["a", ""]` (empty = append).
fn split_key(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    let mut parts = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(close) => {
                parts.push(stripped[..close].to_string());
                rest = &stripped[close + 1..];
            }
            None => {
                // Unbalanced bracket: keep the remainder as a literal segment.
                parts.push(stripped.to_string());
                rest = "";
            }
        }
    }
    parts
}

/// Insert `value` at `path`, creating objects/arrays; conflicting shapes are
/// resolved by letting the later key win, never by panicking.
fn insert_path(node: &mut Value, path: &[String], value: String) {
    let Some((head, tail)) = path.split_first() else {
        *node = Value::String(value);
        return;
    };
    if head.is_empty() {
        if !node.is_array() {
            *node = Value::Array(Vec::new());
        }
        if let Value::Array(items) = node {
            let mut child = Value::Null;
            insert_path(&mut child, tail, value);
            items.push(child);
        }
        return;
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let Value::Object(map) = node {
        let child = map.entry(head.clone()).or_insert(Value::Null);
        insert_path(child, tail, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_nest() {
        let p = Params::from_urlencoded(
            b"amount=400&card[number]=5520000000000000&metadata[OrderNumber]=123&three_d_secure[enabled]=true&perm[]=cancel&perm[]=x",
        )
        .unwrap_or_default();
        assert_eq!(p.int("amount"), Ok(Some(400)));
        assert_eq!(p.str("card.number").as_deref(), Some("5520000000000000"));
        assert_eq!(p.bool("three_d_secure.enabled"), Ok(Some(true)));
        assert_eq!(
            p.string_map("metadata"),
            vec![("OrderNumber".into(), "123".into())]
        );
        assert_eq!(
            p.get("perm").and_then(Value::as_array).map(Vec::len),
            Some(2)
        );
    }

    #[test]
    fn json_numbers_as_strings() {
        let p = Params::from_body(
            Some("application/json"),
            br#"{"amount":"100","capture":"false"}"#,
        )
        .unwrap_or_default();
        assert_eq!(p.int("amount"), Ok(Some(100)));
        assert_eq!(p.bool("capture"), Ok(Some(false)));
    }

    #[test]
    fn blank_and_bad() {
        let p = Params::from_urlencoded(b"amount=&x=abc").unwrap_or_default();
        assert_eq!(p.int("amount"), Err(ParamError::Blank));
        assert_eq!(p.int("x"), Err(ParamError::NotANumber));
        assert_eq!(p.int("missing"), Ok(None));
        assert!(Params::from_body(Some("application/json"), b"[1]").is_err());
        assert!(Params::from_body(Some("application/json"), b"{").is_err());
    }

    #[test]
    fn conflicting_shapes_do_not_panic() {
        let p = Params::from_urlencoded(b"a=1&a[b]=2&a[]=3&c[=4&d]=5").unwrap_or_default();
        assert!(p.get("a").is_some());
    }
}
