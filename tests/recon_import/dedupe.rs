//! Importing the same file twice adds nothing; identical lines in one file
//! stay two lines; an overlapping period adds only its new lines.

use std::collections::HashSet;

use paydeck::recon::import::{self, CsvMapping, Format, LineIdentity, identities, sort_new};

use crate::fixture;

fn csv_mapping() -> CsvMapping {
    CsvMapping::from_toml(
        "date = 1\ndate_format = \"%Y-%m-%d\"\namount = 2\ntext = [3]\ncurrency = \"AUD\"\n",
    )
    .unwrap()
}

fn held(ids: &[LineIdentity]) -> HashSet<LineIdentity> {
    ids.iter().cloned().collect()
}

#[test]
fn the_same_file_twice_adds_nothing_and_the_session_can_say_so() {
    for (name, format) in [
        ("ofx1_sgml.ofx", Format::Ofx),
        ("camt053_batch.xml", Format::Camt053),
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let statement = import::parse(name, &bytes, &format).unwrap();
        let first = sort_new(&statement, &HashSet::new());
        assert_eq!(first.new.len(), statement.lines.len());
        let ids: Vec<LineIdentity> = first.new.iter().map(|(_, id)| id.clone()).collect();
        assert!(
            ids.iter().all(|id| id.as_str().starts_with("bank:")),
            "{ids:?}"
        );
        let again = sort_new(&import::parse(name, &bytes, &format).unwrap(), &held(&ids));
        assert_eq!(again.new, []);
        assert_eq!(
            again.to_string(),
            format!("0 new lines, {} already imported", ids.len())
        );
    }
}

#[test]
fn two_identical_coffees_are_two_lines_but_not_on_a_second_import() {
    let bytes = std::fs::read(fixture("debit_credit_comma.csv")).unwrap();
    let mapping = CsvMapping::from_toml(
        &std::fs::read_to_string(fixture("debit_credit_comma.toml")).unwrap(),
    )
    .unwrap();
    let statement = import::parse("u.csv", &bytes, &Format::Csv(mapping)).unwrap();
    assert_eq!(statement.lines[1], {
        let mut l = statement.lines[2].clone();
        l.at_line = 6;
        l
    });
    let ids = identities(&statement);
    assert_eq!(held(&ids).len(), 4, "the two coffees differ: {ids:?}");
    assert!(ids.iter().all(|id| id.as_str().starts_with("sha256:")));
    let again = sort_new(&statement, &held(&ids));
    assert_eq!((again.new.len(), again.already), (0, 4));
}

#[test]
fn an_overlapping_period_adds_only_its_new_lines() {
    let october = "Date,Amount,Text\n2026-10-30,-4.50,Coffee\n2026-10-31,-4.50,Coffee\n2026-10-31,-4.50,Coffee\n";
    let overlap = "Date,Amount,Text\n2026-10-31,-4.50,  COFFEE \n2026-10-31,-4.50,coffee\n2026-11-01,100.00,Refund\n2026-11-01,-4.50,Coffee\n";
    let parse =
        |text: &str| import::parse("s.csv", text.as_bytes(), &Format::Csv(csv_mapping())).unwrap();
    let held = held(&identities(&parse(october)));
    let sorted = sort_new(&parse(overlap), &held);
    let new: Vec<usize> = sorted.new.iter().map(|(i, _)| *i).collect();
    assert_eq!(new, [2, 3], "only November's lines are new");
    assert_eq!(sorted.to_string(), "2 new lines, 2 already imported");

    // A third coffee on the 31st is a new line, not a repeat.
    let three = "Date,Amount,Text\n2026-10-31,-4.50,Coffee\n2026-10-31,-4.50,Coffee\n2026-10-31,-4.50,Coffee\n";
    let sorted = sort_new(&parse(three), &held);
    assert_eq!((sorted.new.len(), sorted.already), (1, 2));
    assert_eq!(sorted.to_string(), "1 new line, 2 already imported");
}

#[test]
fn a_bank_id_repeated_in_one_file_loses_no_line() {
    let text = "Date,Amount,Text,Id\n2026-10-31,-4.50,Coffee,X1\n2026-10-31,-9.00,Lunch,X1\n";
    let mut mapping = csv_mapping();
    mapping.bank_id = Some(4);
    let statement = import::parse("s.csv", text.as_bytes(), &Format::Csv(mapping)).unwrap();
    let ids = identities(&statement);
    assert_eq!(ids[0].as_str(), "bank::X1");
    assert_eq!(ids[1].as_str(), "bank::X1#2");
}
