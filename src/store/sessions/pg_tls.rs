//! TLS under the PostgreSQL client, for a store that is not on this machine: rustls
//! (ring, as the gateways' HTTP client) through tokio-rustls, verifying the server's
//! certificate against the platform's roots, or against the URL's `sslrootcert` file
//! for a private CA. A store on this machine (a Unix socket, localhost, 127.0.0.0/8,
//! ::1) is connected as before, without TLS.

use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use postgres::config::{Host, SslMode};
use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use postgres::{Client, Config, NoTls};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, InvalidDnsNameError, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::pg_url::StoreUrl;
use super::{Result, SessionError};

/// The longest a root certificate file may be: a few certificates, not a file read
/// by mistake.
const MAX_ROOT_FILE: u64 = 1024 * 1024;

/// Whether every host `config` names is this machine.
pub(crate) fn is_local(config: &Config) -> bool {
    config.get_hosts().iter().all(|host| match host {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            let name = name.trim_start_matches('[').trim_end_matches(']');
            name.eq_ignore_ascii_case("localhost")
                || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
    })
}

/// Connects with `config`: over TLS, required and verified, unless the store is on
/// this machine.
pub(crate) fn connect(url: &StoreUrl, mut config: Config) -> Result<Client> {
    if is_local(&config) {
        return config.connect(NoTls).map_err(|e| url.unreachable(&e));
    }
    let tls = RustlsConnect::new(url.root_cert())?;
    config.ssl_mode(SslMode::Require);
    config.connect(tls).map_err(|e| tls_failure(url, &e))
}

/// A failed connection over TLS, saying what to do about the TLS part when it was that.
fn tls_failure(url: &StoreUrl, e: &postgres::Error) -> SessionError {
    let said = super::error::describe(e);
    let instead = if said.contains("server does not support TLS") {
        "the server does not offer TLS, and paydeck reaches a store on another machine over \
         TLS only: turn it on in the server's postgresql.conf (ssl = on, ssl_cert_file, \
         ssl_key_file)"
            .to_string()
    } else if said.contains("certificate") {
        match url.root_cert() {
            None => "the server's certificate is not trusted for this host name: if a private \
                     CA signed it, name that CA's certificate in the URL as \
                     sslrootcert=/path/to/ca.pem"
                .to_string(),
            Some(root) => format!(
                "the server's certificate is not trusted for this host name by the CA in \
                 sslrootcert {}: name the CA that signed it",
                root.display()
            ),
        }
    } else {
        return url.unreachable(e);
    };
    SessionError::StoreTls {
        target: url.target(),
        message: format!("{}; {instead}", url.hide(said)),
    }
}

/// Makes a TLS session for each connection; the same settings for all.
#[derive(Clone)]
pub(crate) struct RustlsConnect {
    config: Arc<rustls::ClientConfig>,
}

impl RustlsConnect {
    /// Trusting the certificates in `root_cert` (PEM), else the platform's roots.
    pub(crate) fn new(root_cert: Option<&Path>) -> Result<RustlsConnect> {
        crate::gateway::http::install_crypto_provider();
        let builder = rustls::ClientConfig::builder();
        let config = match root_cert {
            Some(path) => builder
                .with_root_certificates(roots_from(path)?)
                .with_no_client_auth(),
            None => {
                use rustls_platform_verifier::BuilderVerifierExt;
                builder
                    .with_platform_verifier()
                    .map_err(|e| {
                        SessionError::BadStoreUrl(format!(
                            "the platform's root certificates cannot be read ({e}); name a CA \
                             certificate in the store URL as sslrootcert=/path/to/ca.pem"
                        ))
                    })?
                    .with_no_client_auth()
            }
        };
        Ok(RustlsConnect {
            config: Arc::new(config),
        })
    }
}

/// The certificates of a PEM file, as roots to trust.
fn roots_from(path: &Path) -> Result<rustls::RootCertStore> {
    let bad = |why: String| {
        SessionError::BadStoreUrl(format!(
            "sslrootcert {}: {why}; name a PEM file holding the CA certificate that signed the \
             server's",
            path.display()
        ))
    };
    let size = std::fs::metadata(path)
        .map_err(|e| bad(e.to_string()))?
        .len();
    if size > MAX_ROOT_FILE {
        return Err(bad(format!("{size} bytes is more than a certificate file")));
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(e.to_string()))? {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("it holds no certificate".into()));
    }
    Ok(roots)
}

impl<S> MakeTlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnector;
    type Error = InvalidDnsNameError;

    fn make_tls_connect(
        &mut self,
        domain: &str,
    ) -> std::result::Result<RustlsConnector, Self::Error> {
        Ok(RustlsConnector {
            name: ServerName::try_from(domain.to_string())?,
            connector: tokio_rustls::TlsConnector::from(Arc::clone(&self.config)),
        })
    }
}

/// One connection's handshake, for the host name it verifies.
pub(crate) struct RustlsConnector {
    name: ServerName<'static>,
    connector: tokio_rustls::TlsConnector,
}

type Handshake<S> = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

impl<S> TlsConnect<S> for RustlsConnector
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Handshake<S>;

    fn connect(self, stream: S) -> Handshake<S> {
        Box::pin(async move {
            let tls = self.connector.connect(self.name, stream).await?;
            Ok(RustlsStream(Box::new(tls)))
        })
    }
}

/// A connection over TLS.
pub(crate) struct RustlsStream<S>(Box<tokio_rustls::client::TlsStream<S>>);

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    /// None: SCRAM then authenticates without binding to the TLS session.
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::store::sessions::{PgSessions, pg_cluster};

    fn local(url: &str) -> bool {
        is_local(&StoreUrl::parse(url).unwrap().config().unwrap())
    }

    #[test]
    fn only_this_machine_is_local() {
        for url in [
            "postgres://a@localhost/p",
            "postgres://a@127.0.0.1:5433/p",
            "postgres://a@127.8.9.10/p",
            "postgres://a@[::1]:5432/p",
            "postgres://a@%2Fvar%2Frun%2Fpostgresql/p",
        ] {
            assert!(local(url), "{url}");
        }
        for url in [
            "postgres://a@db.example/p",
            "postgres://a@10.0.0.5/p",
            "postgres://a@db.test/p?hostaddr=127.0.0.1",
            "postgres://a@localhost,db.example/p",
            "postgres://a@[2001:db8::1]/p",
        ] {
            assert!(!local(url), "{url}");
        }
    }

    /// The URL of `database` on `port` of 127.0.0.1, named as the host `db.test`.
    fn as_db_test(url: &str, root: Option<&Path>) -> StoreUrl {
        let mut url = url.replace("@127.0.0.1:", "@db.test:") + "&hostaddr=127.0.0.1";
        if let Some(root) = root {
            url = format!("{url}&sslrootcert={}", root.display());
        }
        StoreUrl::parse(&url).unwrap()
    }

    #[test]
    fn a_store_on_another_host_is_reached_over_tls_that_is_verified() {
        let Some((cluster, ca)) = pg_cluster::own_tls_cluster("db.test") else {
            return;
        };
        let database = cluster.new_database();
        let mut store = PgSessions::connect(&as_db_test(&database, Some(&ca)))
            .unwrap_or_else(|e| panic!("{e}"));
        let over_tls: bool = store
            .client()
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0);
        assert!(over_tls);

        // A root that did not sign the server's certificate; and the platform's roots,
        // which do not hold the test CA.
        let other = std::env::temp_dir().join(format!("paydeck-ca-{}", uuid::Uuid::new_v4()));
        let wrong = pg_cluster::certificates(&other, "db.test").unwrap();
        for root in [Some(wrong.as_path()), None] {
            let err = PgSessions::connect(&as_db_test(&database, root)).unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, SessionError::StoreTls { .. }), "{text}");
            assert!(
                text.contains("db.test") && text.contains("certificate is not trusted"),
                "{text}"
            );
            let named = root.map_or("sslrootcert=/path/to/ca.pem".into(), |r| {
                format!("by the CA in sslrootcert {}", r.display())
            });
            assert!(text.contains(&named), "{text}");
        }
        let _ = std::fs::remove_dir_all(&other);

        // A server that offers no TLS: the shared test cluster.
        let Some(plain) = pg_cluster::fresh_url() else {
            return;
        };
        let err = PgSessions::connect(&as_db_test(&plain, Some(&ca))).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("does not offer TLS") && text.contains("over TLS only"),
            "{text}"
        );
    }

    #[test]
    fn a_root_file_that_holds_no_certificate_is_named() {
        let missing = Path::new("/nonexistent/paydeck-ca.pem");
        let err = RustlsConnect::new(Some(missing)).err().unwrap().to_string();
        assert!(
            err.contains("sslrootcert /nonexistent/paydeck-ca.pem"),
            "{err}"
        );
        let empty =
            std::env::temp_dir().join(format!("paydeck-empty-{}.pem", uuid::Uuid::new_v4()));
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = RustlsConnect::new(Some(&empty)).err().unwrap().to_string();
        let _ = std::fs::remove_file(&empty);
        assert!(err.contains("holds no certificate"), "{err}");
    }
}
