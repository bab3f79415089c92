//! Statistics over the local store's charges (`:stats`): the period and its buckets,
//! and the figures added up for them.

pub mod figures;
pub mod period;

pub use figures::{
    ChargeFacts, ChargeStats, DeclineCount, ExpiryBand, Rate, StatsBuilder, Tally, TimeLeft,
};
pub use period::{Period, Zoom};
