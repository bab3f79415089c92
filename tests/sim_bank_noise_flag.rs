//! `paydeck sim --bank-noise` seen from outside: a spec it cannot read stops the
//! simulator before it listens, saying what is wrong and what to write.

use std::process::Command;

fn sim_with(noise: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paydeck"))
        .args(["sim", "--listen", "127.0.0.1:0", "--bank-noise", noise])
        .output()
        .expect("paydeck runs")
}

#[test]
fn a_bad_bank_noise_is_refused_saying_what_to_write() {
    for (bad, says) in [
        (
            "bounce=0.1",
            "bank noise \"bounce=0.1\": is not a kind of noise",
        ),
        (
            "lost=2",
            "bank noise \"lost=2\": the rate is not from 0 to 1",
        ),
        ("lost", "bank noise \"lost\": is not name=rate"),
        ("fee=0.1,fee=0.2", "is written twice"),
    ] {
        let out = sim_with(bad);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{bad} accepted");
        assert!(err.contains(says), "{bad}: {err}");
        assert!(err.contains("e.g. merge=0.05,fee=0.1"), "{bad}: {err}");
        assert!(
            err.contains("or name=rate") || err.contains("write none"),
            "{bad}: {err}"
        );
    }
}
