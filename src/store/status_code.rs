//! The numbers charge statuses are stored as: fixed here forever, whatever order the
//! enum's variants come in, since they are in every store on disk.

use crate::domain::ChargeStatus;

pub fn status_code(status: ChargeStatus) -> i64 {
    match status {
        ChargeStatus::Authorised => 1,
        ChargeStatus::Captured => 2,
        ChargeStatus::PartiallyRefunded => 3,
        ChargeStatus::Refunded => 4,
        ChargeStatus::Voided => 5,
        ChargeStatus::Expired => 6,
        ChargeStatus::Declined => 7,
        ChargeStatus::Pending3ds => 8,
        ChargeStatus::Disputed => 9,
    }
}

pub fn status_from_code(code: i64) -> Option<ChargeStatus> {
    ChargeStatus::ALL
        .into_iter()
        .find(|status| status_code(*status) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_a_distinct_code() {
        let mut codes: Vec<i64> = ChargeStatus::ALL.into_iter().map(status_code).collect();
        for status in ChargeStatus::ALL {
            assert_eq!(status_from_code(status_code(status)), Some(status));
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ChargeStatus::ALL.len());
        assert_eq!(status_from_code(0), None);
    }
}
