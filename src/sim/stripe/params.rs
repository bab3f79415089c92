//! Request parameters as Stripe reads them: extractors for the query string
//! alone ([`QueryParams`]) or merged with the body ([`RequestParams`]), the
//! check for unknown parameters, and typed values with Stripe's error texts.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::StripeError;
use crate::sim::common::params::{body_params, query_params};
use crate::sim::form::{ParamError, Params};

/// A GET's parameters: the query string.
pub(crate) struct QueryParams(pub Params);

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = StripeError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StripeError> {
        Ok(QueryParams(query_params(parts.uri.query())?))
    }
}

/// A write's parameters: query string and body merged into one bag (body
/// wins), as Stripe does.
pub(crate) struct RequestParams(pub Params);

impl<S: Send + Sync> FromRequest<S> for RequestParams {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let query = req.uri().query().map(str::to_string);
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let merged = || -> Result<Params, StripeError> {
            let mut p = query_params(query.as_deref())?;
            let b = body_params(&headers, &body)?;
            if let (Value::Object(into), Value::Object(from)) = (&mut p.0, b.0) {
                into.extend(from);
            }
            Ok(p)
        };
        merged()
            .map(RequestParams)
            .map_err(IntoResponse::into_response)
    }
}

/// 400 `parameter_unknown` for the first top-level parameter not in `known`
/// (`expand` is always allowed).
pub(crate) fn allow(p: &Params, known: &[&str]) -> Result<(), StripeError> {
    if let Value::Object(m) = &p.0
        && let Some(k) = m
            .keys()
            .find(|k| k.as_str() != "expand" && !known.contains(&k.as_str()))
    {
        return Err(
            StripeError::invalid(format!("Received unknown parameter: {k}"))
                .code("parameter_unknown")
                .param(k),
        );
    }
    Ok(())
}

fn raw(p: &Params, name: &str) -> String {
    p.str(name).unwrap_or_default()
}

/// Bracketed name for error messages: `created.gte` → `created[gte]`.
pub(crate) fn bracket(name: &str) -> String {
    let mut parts = name.split('.');
    let mut out = parts.next().unwrap_or("").to_string();
    for p in parts {
        out.push('[');
        out.push_str(p);
        out.push(']');
    }
    out
}

/// An integer parameter: `parameter_invalid_integer` / `parameter_invalid_empty`.
pub(crate) fn int(p: &Params, name: &str) -> Result<Option<i64>, StripeError> {
    p.int(name).map_err(|e| match e {
        ParamError::Blank => empty(name),
        _ => not_a(p, name, "integer").code("parameter_invalid_integer"),
    })
}

/// A boolean parameter: `Invalid boolean` / `parameter_invalid_empty`.
pub(crate) fn boolean(p: &Params, name: &str) -> Result<Option<bool>, StripeError> {
    p.bool(name).map_err(|e| match e {
        ParamError::Blank => empty(name),
        _ => not_a(p, name, "boolean"),
    })
}

/// `Invalid integer: abc` for a parameter `name` that is not a `kind`.
fn not_a(p: &Params, name: &str, kind: &str) -> StripeError {
    StripeError::invalid(format!("Invalid {kind}: {}", raw(p, name))).param(&bracket(name))
}

pub(crate) fn empty(name: &str) -> StripeError {
    let b = bracket(name);
    StripeError::invalid(format!(
        "You passed an empty string for '{b}'. We assume empty values are an attempt to unset a parameter; however '{b}' cannot be unset. You should remove '{b}' from your request or supply a non-empty value."
    ))
    .code("parameter_invalid_empty")
    .param(&b)
}

pub(crate) fn missing_param(name: &str) -> StripeError {
    StripeError::invalid(format!("Missing required param: {name}."))
        .code("parameter_missing")
        .param(name)
}

/// The new metadata after applying `metadata[...]` from the request to `current`:
/// `None` when not sent; `metadata=` clears; `metadata[k]=` removes `k`.
pub(crate) fn metadata_update(
    p: &Params,
    current: &[(String, String)],
) -> Result<Option<Vec<(String, String)>>, StripeError> {
    match p.get("metadata") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(Some(Vec::new())),
        Some(Value::Object(m)) => {
            let mut out = current.to_vec();
            for (k, v) in m {
                let v = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => {
                        return Err(StripeError::invalid(format!(
                            "Invalid value for metadata[{k}]: metadata values must be strings."
                        ))
                        .param(&format!("metadata[{k}]")));
                    }
                };
                if k.len() > 40 || k.contains(['[', ']']) || k.is_empty() {
                    return Err(StripeError::invalid(format!(
                        "Metadata keys must be 1 to 40 characters without square brackets: {k}"
                    ))
                    .param(&format!("metadata[{k}]")));
                }
                if v.chars().count() > 500 {
                    return Err(StripeError::invalid(
                        "Metadata values can have up to 500 characters.",
                    )
                    .param(&format!("metadata[{k}]")));
                }
                match out.iter().position(|(ek, _)| ek == k) {
                    Some(i) if v.is_empty() => {
                        out.remove(i);
                    }
                    Some(i) => out[i].1 = v,
                    None if v.is_empty() => {}
                    None => out.push((k.clone(), v)),
                }
            }
            if out.len() > 50 {
                return Err(
                    StripeError::invalid("You can have at most 50 metadata keys.")
                        .param("metadata"),
                );
            }
            Ok(Some(out))
        }
        Some(_) => Err(StripeError::invalid("Invalid hash").param("metadata")),
    }
}

/// The `expand[]` paths of a request (`expand[]=a`, `expand[0]=a` or `expand=a`).
pub(crate) fn expands(p: &Params) -> Vec<String> {
    strings(p, "expand").unwrap_or_default()
}

/// An array parameter (`name[]=a&name[]=b`, `name[0]=a`, or one `name=a`) as
/// its strings; `None` when it is not given.
pub(crate) fn strings(p: &Params, name: &str) -> Option<Vec<String>> {
    let texts = |vs: &mut dyn Iterator<Item = &Value>| {
        vs.filter_map(|v| v.as_str().map(str::to_string)).collect()
    };
    match p.get(name)? {
        Value::Array(a) => Some(texts(&mut a.iter())),
        Value::Object(m) => Some(texts(&mut m.values())),
        Value::String(s) => Some(vec![s.clone()]),
        _ => Some(Vec::new()),
    }
}
