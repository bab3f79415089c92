//! A full sync of 10,000 charges through the Stripe adapter: every page of
//! `GET /v1/charges?limit=100` from the simulator's Stripe dialect over loopback, decoded
//! into the domain model.

use criterion::{Criterion, criterion_group, criterion_main};
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::Charges;
use paydeck::gateway::http::HttpConfig;
use paydeck::gateway::stripe::StripeGateway;
use paydeck::secret::Secret;
use paydeck::sim::{self, SimConfig};

const CHARGES: usize = 10_000;

async fn sync(gateway: &StripeGateway) -> usize {
    let mut page = PageRequest::first(100);
    let mut count = 0;
    loop {
        let got = gateway
            .list_charges(&page, &ChargeFilter::default())
            .await
            .expect("a page");
        count += got.items.len();
        match got.next {
            Some(next) => page = PageRequest::at(next, 100),
            None => return count,
        }
    }
}

fn full_sync(c: &mut Criterion) {
    paydeck::gateway::http::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (running, gateway) = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let config = SimConfig {
            charges: CHARGES,
            ..SimConfig::default()
        };
        let running = sim::start(listener, config).await.expect("sim");
        let stripe = running.dialect("STRIPE").expect("stripe dialect");
        let gateway = StripeGateway::new(
            &stripe.url,
            Secret::new(stripe.key.clone()),
            HttpConfig::default(),
        )
        .expect("adapter");
        (running, gateway)
    });
    assert_eq!(runtime.block_on(sync(&gateway)), CHARGES);
    let mut group = c.benchmark_group("stripe");
    group.sample_size(10);
    group.bench_function("full sync of 10,000 charges", |b| {
        b.iter(|| runtime.block_on(sync(&gateway)))
    });
    group.finish();
    runtime.block_on(running.shutdown());
}

criterion_group!(benches, full_sync);
criterion_main!(benches);
