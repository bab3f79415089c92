//! An id goes into a request's path as one segment, whatever it holds, in every
//! adapter: an id with a `/`, `?` or `#` names no other endpoint and no other object,
//! over real HTTP against the simulator. (The Pin, Stripe and Openpay adapters once put
//! ids in paths as they were: `ch_x/refunds` read a charge's refunds as the charge.)

mod common;

use common::{Dialect, quick_http};
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::GatewayError;
use paydeck::sim::SimConfig;

#[tokio::test]
async fn an_id_is_one_segment_of_the_path_in_every_adapter() {
    for dialect in Dialect::ALL {
        let config = SimConfig {
            seed: 7,
            charges: 5,
            customers: 3,
            ..SimConfig::default()
        };
        let sim = common::start(dialect, config).await;
        let gateway = sim.gateway(quick_http());
        let page = gateway
            .list_charges(&PageRequest::first(1), &ChargeFilter::default())
            .await
            .expect("a charge");
        let id = &page.items[0].id;
        // Each names something that exists once the id is taken as a path.
        let hostile = [
            format!("{id}/refunds"),
            format!("{id}?expand[]=refunds"),
            format!("{id}#x"),
            format!("../charges/{id}"),
            format!("{id}/../{id}"),
            "..".to_string(),
        ];
        for bad in hostile {
            match gateway.get_charge(&bad).await {
                Err(GatewayError::NotFound { .. }) => {}
                other => panic!("{dialect:?}: get_charge({bad:?}) = {other:?}"),
            }
        }
        sim.shutdown().await;
    }
}
