//! A PostgreSQL store's URL, kept whole for connecting and shown with its password
//! replaced: in `Debug`, `Display` and every error.

use std::path::{Path, PathBuf};

use postgres::Config;
use postgres::config::Host;

use super::{Result, SessionError};
use crate::secret::Secret;

#[derive(Clone, PartialEq, Eq)]
pub struct StoreUrl {
    secret: String,
    shown: String,
    /// The password from elsewhere (`password_env`, `password_command`, `PGPASSWORD`)
    /// when the URL has none.
    password: Option<Secret>,
    /// The URL's `sslrootcert`: the CA certificate that signed the server's, for a
    /// private CA (the client itself takes no such parameter).
    root_cert: Option<PathBuf>,
}

impl StoreUrl {
    /// Takes a `postgres://` or `postgresql://` URL; its password, if any, never shows.
    pub fn parse(url: &str) -> Result<StoreUrl> {
        let shown = redact(url);
        let (readable, root_cert) = take_tls_params(url);
        let store = StoreUrl {
            secret: readable,
            shown,
            password: None,
            root_cert,
        };
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(SessionError::BadStoreUrl(format!(
                "{store}: a store URL starts with postgres:// (as postgres://user@host:5432/paydeck)"
            )));
        }
        store.config()?;
        Ok(store)
    }

    /// The `sslrootcert` file the URL names, if any.
    pub fn root_cert(&self) -> Option<&Path> {
        self.root_cert.as_deref()
    }

    /// Whether the URL itself holds a password (`user:password@` or `password=`).
    pub fn has_password(&self) -> bool {
        self.parsed().is_ok_and(|c| c.get_password().is_some())
    }

    /// The same URL connecting with `password`, unless the URL holds one itself.
    pub fn with_password(mut self, password: Secret) -> StoreUrl {
        if !self.has_password() {
            self.password = Some(password);
        }
        self
    }

    /// The client's settings. Its parse error is left out: it may quote the password.
    pub(crate) fn config(&self) -> Result<Config> {
        let mut config = self.parsed()?;
        if let Some(password) = &self.password {
            config.password(password.expose());
        }
        Ok(config)
    }

    fn parsed(&self) -> Result<Config> {
        self.secret.parse().map_err(|_| {
            SessionError::BadStoreUrl(format!(
                "{self} is not a PostgreSQL URL the client can read (as postgres://user@host:5432/paydeck)"
            ))
        })
    }

    /// Where the server was looked for, as `host:port`.
    pub fn target(&self) -> String {
        let Ok(config) = self.config() else {
            return self.shown.clone();
        };
        let host = match config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => "localhost".into(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        format!("{host}:{port}")
    }

    /// A failed connection, saying where and what to check.
    pub(crate) fn unreachable(&self, e: &postgres::Error) -> SessionError {
        SessionError::Unreachable {
            target: self.target(),
            url: self.shown.clone(),
            message: self.hide(super::error::describe(e)),
        }
    }
}

impl StoreUrl {
    /// `text` with the URL and the password, wherever quoted, replaced.
    pub(crate) fn hide(&self, text: String) -> String {
        let text = text.replace(&self.secret, &self.shown);
        match &self.password {
            Some(p) if !p.expose().is_empty() => text.replace(p.expose(), "***"),
            _ => text,
        }
    }
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreUrl({})", self.shown)
    }
}

/// The URL as the client reads it, and the `sslrootcert` it names: that parameter is
/// taken out, and libpq's `sslmode=verify-full` or `verify-ca` read as `require` (paydeck
/// always verifies the server's certificate when it uses TLS).
fn take_tls_params(url: &str) -> (String, Option<PathBuf>) {
    let Some((head, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut root = None;
    let mut kept = Vec::new();
    for param in query.split('&') {
        match param.split_once('=') {
            Some(("sslrootcert", path)) => root = Some(PathBuf::from(path)),
            Some(("sslmode", "verify-full" | "verify-ca")) => kept.push("sslmode=require"),
            _ => kept.push(param),
        }
    }
    let url = match kept.is_empty() {
        true => head.to_string(),
        false => format!("{head}?{}", kept.join("&")),
    };
    (url, root)
}

/// The URL with the password of `user:password@` and of `password=` replaced by `***`.
fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let (start, end) = (scheme_end + 3 + colon + 1, scheme_end + 3 + at);
            out.replace_range(start..end, "***");
        }
    }
    if let Some(query) = out.find('?') {
        let (head, params) = out.split_at(query + 1);
        let params: Vec<String> = params
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => p.to_string(),
            })
            .collect();
        out = format!("{head}{}", params.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows() {
        for url in [
            "postgres://ana:s3cret-pw@db.example:5433/paydeck",
            "postgresql://ana:s3cret-pw@db.example/paydeck?sslmode=require",
            "postgres://ana@db.example/paydeck?password=s3cret-pw&connect_timeout=3",
        ] {
            let store = StoreUrl::parse(url).unwrap();
            for shown in [store.to_string(), format!("{store:?}")] {
                assert!(!shown.contains("s3cret"), "{shown}");
                assert!(
                    shown.contains("ana") && shown.contains("db.example"),
                    "{shown}"
                );
            }
        }
        assert_eq!(
            redact("postgres://ana:pw@h:1/d"),
            "postgres://ana:***@h:1/d"
        );
        let err = StoreUrl::parse("mysql://ana:s3cret-pw@h/d").unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        let err = StoreUrl::parse("postgres://ana:s3cret-pw@h:notaport/d").unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn the_root_certificate_is_taken_out_of_the_url() {
        let url = StoreUrl::parse(
            "postgres://ana@db.example/p?sslrootcert=/etc/ca.pem&sslmode=verify-full&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(url.root_cert(), Some(Path::new("/etc/ca.pem")));
        let config = url.config().unwrap();
        assert_eq!(config.get_ssl_mode(), postgres::config::SslMode::Require);
        assert_eq!(
            config.get_connect_timeout(),
            Some(&std::time::Duration::from_secs(3))
        );
        assert!(url.to_string().contains("sslrootcert=/etc/ca.pem"), "{url}");
        let plain = StoreUrl::parse("postgres://ana@db.example/p").unwrap();
        assert_eq!(plain.root_cert(), None);
    }

    #[test]
    fn a_password_from_elsewhere_reaches_the_connection_but_not_the_url_s_own() {
        let url = StoreUrl::parse("postgres://ana@db.example/paydeck").unwrap();
        assert!(!url.has_password());
        assert_eq!(url.config().unwrap().get_password(), None);
        let with = url.with_password(Secret::new("s3cret-pw"));
        assert_eq!(
            with.config().unwrap().get_password(),
            Some(&b"s3cret-pw"[..])
        );
        for shown in [with.to_string(), format!("{with:?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
        }
        // A password written in the URL (--store) wins.
        let own = StoreUrl::parse("postgres://ana:own-pw@db.example/paydeck").unwrap();
        assert!(own.has_password());
        let own = own.with_password(Secret::new("s3cret-pw"));
        assert_eq!(own.config().unwrap().get_password(), Some(&b"own-pw"[..]));
    }

    #[test]
    fn an_unreachable_server_is_named_with_what_to_check() {
        // A port nothing listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let url = StoreUrl::parse(&format!(
            "postgres://ana:s3cret-pw@127.0.0.1:{port}/paydeck"
        ))
        .unwrap();
        let err = super::super::PgSessions::connect(&url).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
        assert!(text.contains("Check that PostgreSQL runs there"), "{text}");
        assert!(
            !text.contains("s3cret") && !format!("{err:?}").contains("s3cret"),
            "{text}"
        );
    }
}
