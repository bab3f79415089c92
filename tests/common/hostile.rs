//! A hostile gateway: a tiny HTTP/1.1 server on loopback that answers every request the
//! same bad way, for the adapters' tests of what such a gateway cannot do to paydeck.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with this JSON body (and a token for the transactions gateway's token call).
    Json(String),
    /// 200, chunked, and the body never ends.
    Endless,
    /// 200 declaring this many bytes, then sending them as fast as it can.
    Declared(u64),
    /// 200 declaring a body, then one byte every `Duration`.
    Drip(Duration),
    /// 200 declaring a body, a few bytes of it, then silence.
    Stall,
    /// 429 with this `Retry-After`.
    RateLimited(&'static str),
}

#[derive(Default)]
pub struct Seen {
    /// Requests answered (token calls included).
    pub requests: AtomicU64,
    /// Body bytes written before the client stopped reading or hung up.
    pub body_bytes: AtomicU64,
}

pub struct Hostile {
    pub url: String,
    pub seen: Arc<Seen>,
}

/// Starts the server; it lives as long as the test's runtime.
/// The Stripe adapter pointed at `server`, with the default HTTP settings.
pub fn stripe(server: &Hostile) -> paydeck::gateway::stripe::StripeGateway {
    paydeck::gateway::http::install_crypto_provider();
    paydeck::gateway::stripe::StripeGateway::new(
        &server.url,
        paydeck::secret::Secret::new("sk_test_hostile"),
        paydeck::gateway::http::HttpConfig::default(),
    )
    .expect("adapter")
}

pub async fn start(answer: Answer) -> Hostile {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Seen::default());
    let counters = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let answer = answer.clone();
            let seen = counters.clone();
            tokio::spawn(async move {
                let _ = serve(stream, &answer, &seen).await;
            });
        }
    });
    Hostile {
        url: format!("http://{addr}"),
        seen,
    }
}

/// Reads one request's head and answers it; the connection closes after.
async fn serve(mut stream: TcpStream, answer: &Answer, seen: &Seen) -> std::io::Result<()> {
    let head = read_head(&mut stream).await?;
    seen.requests.fetch_add(1, Ordering::SeqCst);
    let ok = |length: &str| {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n"
        )
    };
    match answer {
        Answer::Json(body) => {
            let body = if head.contains("auth/token") {
                r#"{"access_token":"hostile","token_type":"Bearer","expires_in":3600}"#
            } else {
                body.as_str()
            };
            let length = format!("Content-Length: {}\r\n", body.len());
            stream.write_all(ok(&length).as_bytes()).await?;
            stream.write_all(body.as_bytes()).await?;
        }
        Answer::Endless => {
            stream
                .write_all(ok("Transfer-Encoding: chunked\r\n").as_bytes())
                .await?;
            let block = vec![b' '; 64 * 1024];
            let chunk = [format!("{:x}\r\n", block.len()).as_bytes(), &block, b"\r\n"].concat();
            loop {
                stream.write_all(&chunk).await?;
                seen.body_bytes
                    .fetch_add(block.len() as u64, Ordering::SeqCst);
            }
        }
        Answer::Declared(length) => {
            let head = ok(&format!("Content-Length: {length}\r\n"));
            stream.write_all(head.as_bytes()).await?;
            let block = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < *length {
                stream.write_all(&block).await?;
                sent += block.len() as u64;
                seen.body_bytes
                    .fetch_add(block.len() as u64, Ordering::SeqCst);
            }
        }
        Answer::Drip(every) => {
            stream
                .write_all(ok("Content-Length: 100000\r\n").as_bytes())
                .await?;
            loop {
                stream.write_all(b" ").await?;
                seen.body_bytes.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(*every).await;
            }
        }
        Answer::Stall => {
            stream
                .write_all(ok("Content-Length: 100000\r\n").as_bytes())
                .await?;
            stream.write_all(b"{\"response\": [").await?;
            // Hold the connection open, saying nothing, until the client gives up.
            let mut rest = [0u8; 1];
            let _ = stream.read(&mut rest).await;
        }
        Answer::RateLimited(wait) => {
            let response = format!(
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: {wait}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(response.as_bytes()).await?;
        }
    }
    stream.flush().await
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        if stream.read(&mut byte).await? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    // Read the request's body too: closing on unread bytes would reset the connection
    // before the client reads the answer.
    let text = String::from_utf8_lossy(&head).into_owned();
    let length = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(64 * 1024)];
    stream.read_exact(&mut body).await?;
    Ok(text)
}
