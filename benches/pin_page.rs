//! Parsing one 100-charge page of Pin's `GET /charges` into the domain model.
//! The page is a real response of the simulator's Pin dialect.

use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::gateway::pin::parse_charge_page;
use paydeck::sim::{self, SimConfig};

fn fetch_page() -> Vec<u8> {
    paydeck::gateway::http::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let running = sim::start(listener, SimConfig::default())
            .await
            .expect("sim");
        let pin = running.dialect("PIN").expect("pin dialect");
        let body = reqwest::Client::new()
            .get(format!("{}/charges?per_page=100", pin.url))
            .basic_auth(&pin.key, Some(""))
            .send()
            .await
            .expect("request")
            .bytes()
            .await
            .expect("body")
            .to_vec();
        running.shutdown().await;
        body
    })
}

fn parse_page(c: &mut Criterion) {
    let body = fetch_page();
    let page = parse_charge_page(&body).expect("the page parses");
    assert_eq!(page.items.len(), 100);
    c.bench_function("pin: parse a 100-charge page", |b| {
        b.iter(|| parse_charge_page(std::hint::black_box(&body)))
    });
}

criterion_group!(benches, parse_page);
criterion_main!(benches);
