//! Reading the `Authorization` header: what a client presented, whatever the
//! dialect then accepts.

use axum::http::{HeaderMap, header};
use base64::Engine;

/// The credential in an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Presented {
    /// HTTP Basic: the username and, when a `:` was sent, the password.
    Basic {
        user: String,
        password: Option<String>,
    },
    /// A Bearer token (trimmed; may be empty).
    Bearer(String),
}

impl Presented {
    /// The credential in `headers`, if the header is Basic (decodable to UTF-8)
    /// or Bearer.
    pub fn from_headers(headers: &HeaderMap) -> Option<Presented> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, cred) = value.split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            Some(Presented::Bearer(cred.trim().to_string()))
        } else if scheme.eq_ignore_ascii_case("basic") {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(cred.trim())
                .ok()?;
            let text = String::from_utf8(bytes).ok()?;
            Some(match text.split_once(':') {
                Some((user, password)) => Presented::Basic {
                    user: user.to_string(),
                    password: Some(password.to_string()),
                },
                None => Presented::Basic {
                    user: text,
                    password: None,
                },
            })
        } else {
            None
        }
    }

    /// The key presented: the Basic username or the Bearer token.
    pub fn key(&self) -> &str {
        match self {
            Presented::Basic { user, .. } => user,
            Presented::Bearer(token) => token,
        }
    }
}

/// True if `headers` carry `key` as Basic username (any password) or, when
/// `bearer_ok`, as a Bearer token.
pub(crate) fn authorised(headers: &HeaderMap, key: &str, bearer_ok: bool) -> bool {
    match Presented::from_headers(headers) {
        Some(p @ Presented::Basic { .. }) => p.key() == key,
        Some(Presented::Bearer(token)) => bearer_ok && token == key,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    fn basic(user_pass: &str) -> HeaderMap {
        let b64 = base64::engine::general_purpose::STANDARD.encode(user_pass);
        headers(&format!("Basic {b64}"))
    }

    #[test]
    fn basic_user_is_the_key_whatever_the_password() {
        assert!(authorised(&basic("k1:"), "k1", false));
        assert!(authorised(&basic("k1:secret"), "k1", false));
        assert!(authorised(&basic("k1"), "k1", false));
        assert!(!authorised(&basic("k2:"), "k1", true));
        assert_eq!(
            Presented::from_headers(&basic("k1")),
            Some(Presented::Basic {
                user: "k1".into(),
                password: None
            })
        );
    }

    #[test]
    fn bearer_only_when_allowed() {
        assert!(authorised(&headers("Bearer k1"), "k1", true));
        assert!(authorised(&headers("bearer  k1 "), "k1", true));
        assert!(!authorised(&headers("Bearer k1"), "k1", false));
        assert!(!authorised(&headers("Token k1"), "k1", true));
        assert!(!authorised(&HeaderMap::new(), "k1", true));
        assert!(!authorised(&headers("Basic !!!"), "k1", true));
    }
}
