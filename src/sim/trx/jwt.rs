//! HS256 JSON Web Tokens: issue and verify (`alg` must be HS256).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn sign(key: &[u8], input: &str) -> Vec<u8> {
    // HMAC accepts keys of any length.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(input.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A token for `sub` issued at `iat`, expiring at `exp` (seconds since the epoch).
pub(crate) fn issue(key: &[u8], sub: &str, iat: i64, exp: i64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(json!({"sub": sub, "iat": iat, "exp": exp}).to_string());
    let input = format!("{header}.{claims}");
    let sig = URL_SAFE_NO_PAD.encode(sign(key, &input));
    format!("{input}.{sig}")
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invalid {
    Malformed,
    Signature,
    Expired,
}

/// The `sub` of a well-formed, correctly signed token not expired at `now`.
pub(crate) fn verify(key: &[u8], token: &str, now: i64) -> Result<String, Invalid> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Invalid::Malformed);
    };
    let decode = |p: &str| -> Result<Value, Invalid> {
        let bytes = URL_SAFE_NO_PAD.decode(p).map_err(|_| Invalid::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| Invalid::Malformed)
    };
    let header = decode(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(Invalid::Malformed);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| Invalid::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| Invalid::Malformed)?;
    mac.update(format!("{h}.{c}").as_bytes());
    mac.verify_slice(&sig).map_err(|_| Invalid::Signature)?;
    let claims = decode(c)?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(Invalid::Malformed)?;
    if now >= exp {
        return Err(Invalid::Expired);
    }
    claims
        .get("sub")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or(Invalid::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_expiry_and_forgery() {
        let t = issue(b"k", "cli_x", 100, 400);
        assert_eq!(verify(b"k", &t, 399), Ok("cli_x".to_string()));
        assert_eq!(verify(b"k", &t, 400), Err(Invalid::Expired));
        assert_eq!(verify(b"other", &t, 100), Err(Invalid::Signature));
        assert_eq!(verify(b"k", "a.b", 100), Err(Invalid::Malformed));
    }
}
