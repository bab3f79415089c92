//! Path normalisation for every dialect, applied before routing: runs of `/` are
//! one `/` and a trailing `/` is dropped, as the web servers in front of the real
//! APIs treat them (clients build `//1/charges` or `/1/charges/` from base URLs
//! with a trailing slash). The request is rewritten, not redirected, so a write
//! is applied once whatever its path looked like.

use axum::extract::Request;
use axum::http::Uri;
use axum::http::uri::PathAndQuery;

/// `path` with repeated and trailing slashes removed, or `None` if it is clean.
pub fn clean_path(path: &str) -> Option<String> {
    let needs = path.contains("//") || (path.len() > 1 && path.ends_with('/'));
    if !needs {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The middleware: rewrites the request's URI to its clean path, query kept.
pub async fn normalise(mut req: Request) -> Request {
    if let Some(uri) = clean_uri(req.uri()) {
        *req.uri_mut() = uri;
    }
    req
}

fn clean_uri(uri: &Uri) -> Option<Uri> {
    let path = clean_path(uri.path())?;
    let pq = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(pq).ok()?);
    Uri::from_parts(parts).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashes_collapse_and_trailing_goes() {
        assert_eq!(clean_path("/pin/1/charges"), None);
        assert_eq!(clean_path("/"), None);
        assert_eq!(clean_path("//1/charges").as_deref(), Some("/1/charges"));
        assert_eq!(clean_path("/1/charges/").as_deref(), Some("/1/charges"));
        assert_eq!(
            clean_path("/1//charges///ch_x/").as_deref(),
            Some("/1/charges/ch_x")
        );
        assert_eq!(clean_path("//").as_deref(), Some("/"));
        assert_eq!(clean_path("/a%2F%2Fb/").as_deref(), Some("/a%2F%2Fb"));
    }

    #[test]
    fn query_is_kept() {
        let uri: Uri = "http://h//pin/1/charges/?page=2&q=a//b".parse().unwrap();
        let clean = clean_uri(&uri).unwrap();
        assert_eq!(clean.to_string(), "http://h/pin/1/charges?page=2&q=a//b");
        let uri: Uri = "/pin/1/charges?page=2".parse().unwrap();
        assert!(clean_uri(&uri).is_none());
    }
}
