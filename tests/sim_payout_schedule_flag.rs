//! `paydeck sim --payout-schedule` seen from outside: a schedule the grammar does
//! not know stops the simulator before it listens, with the parser's own words.

use std::process::Command;

fn sim_with(schedule: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--payout-schedule",
            schedule,
        ])
        .output()
        .expect("paydeck runs")
}

#[test]
fn a_bad_payout_schedule_is_refused_saying_what_to_write() {
    for (bad, says) in [
        ("weekly:someday", "\"someday\" is not a day of the week"),
        ("hourly", "payout schedule \"hourly\" is not one we know"),
        (
            "daily:15",
            "settlement delay \"15\" is not a whole number of days",
        ),
    ] {
        let out = sim_with(bad);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{bad} accepted");
        assert!(err.contains(says), "{bad}: {err}");
        assert!(err.contains("e.g. weekly:mon:3"), "{bad}: {err}");
    }
}
