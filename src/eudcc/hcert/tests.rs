//! Unit tests: one positive and one negative case (at least) per schema rule.

use serde_json::{json, Value};

use super::*;

// Personal values, each distinct from every other string in the fixtures.
const SURNAME: &str = "d'Červenková Panklová";
const SURNAME_STD: &str = "DCERVENKOVA<PANKLOVA";
const FORENAME: &str = "Jiřina-Maria Alena";
const FORENAME_STD: &str = "JIRINA<MARIA<ALENA";
const DOB: &str = "1964-08-12";
const CI: &str = "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B";

fn cert(ver: &str, group: &str, entry: Value) -> Value {
    json!({
        "ver": ver,
        "nam": { "fn": SURNAME, "fnt": SURNAME_STD, "gn": FORENAME, "gnt": FORENAME_STD },
        "dob": DOB,
        group: [entry],
    })
}

fn vaccination(ver: &str) -> Value {
    cert(
        ver,
        "v",
        json!({
            "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
            "dn": 2, "sd": 2, "dt": "2021-02-18", "co": "AT",
            "is": "Ministry of Health, Austria", "ci": CI,
        }),
    )
}

fn test(ver: &str) -> Value {
    cert(
        ver,
        "t",
        json!({
            "tg": "840539006", "tt": "LP6464-4", "nm": "Roche LightCycler qPCR",
            "ma": "1232", "sc": "2021-02-20T12:34:56Z", "tr": "260415000",
            "tc": "Testing center Vienna 1", "co": "AT",
            "is": "Ministry of Health, Austria", "ci": CI,
        }),
    )
}

fn recovery(ver: &str) -> Value {
    cert(
        ver,
        "r",
        json!({
            "tg": "840539006", "fr": "2021-02-20", "co": "AT",
            "is": "Ministry of Health, Austria", "df": "2021-04-04", "du": "2021-10-04", "ci": CI,
        }),
    )
}

/// `value` with the field at `path` (`/`-separated, e.g. `v/0/dn`) set, or removed if `None`.
fn edit(value: &Value, path: &str, new: Option<Value>) -> Value {
    let mut value = value.clone();
    let (parent, key) = path.rsplit_once('/').unwrap_or(("", path));
    let pointer = if parent.is_empty() {
        String::new()
    } else {
        format!("/{parent}")
    };
    let object = value
        .pointer_mut(&pointer)
        .unwrap()
        .as_object_mut()
        .unwrap();
    match new {
        Some(new) => object.insert(key.to_owned(), new),
        None => object.remove(key),
    };
    value
}

fn set(value: &Value, path: &str, new: Value) -> Value {
    edit(value, path, Some(new))
}

fn ok(value: &Value) -> (Hcert, Vec<Warning>) {
    match Hcert::from_json(value) {
        Ok(parsed) => parsed,
        Err(e) => panic!("rejected: {e}"),
    }
}

fn accepts(value: &Value) {
    let (_, warnings) = ok(value);
    assert_eq!(warnings, [], "unexpected warnings");
}

/// The path and detail of the schema error `value` is rejected with.
fn rejected(value: &Value) -> (String, &'static str) {
    match Hcert::from_json(value) {
        Err(DecodeError::Schema { path, detail }) => (path, detail),
        Err(other) => panic!("not a schema error: {other}"),
        Ok(_) => panic!("accepted"),
    }
}

fn rejects_at(value: &Value, expected_path: &str) {
    assert_eq!(rejected(value).0, expected_path);
}

#[test]
fn reads_a_vaccination() {
    let (hcert, warnings) = ok(&vaccination("1.3.0"));
    assert_eq!(warnings, []);
    assert_eq!(hcert.ver(), "1.3.0");
    assert_eq!(hcert.entry_type(), EntryType::Vaccination);
    assert_eq!(hcert.name().surname(), Some(SURNAME));
    assert_eq!(hcert.name().surname_std(), Some(SURNAME_STD));
    assert_eq!(hcert.name().forename(), Some(FORENAME));
    assert_eq!(hcert.name().forename_std(), Some(FORENAME_STD));
    assert_eq!(hcert.dob().as_str(), DOB);
    assert_eq!(hcert.dob().date(), Date::new(1964, 8, 12));
    let Entry::Vaccination(v) = hcert.entry() else {
        panic!("not a vaccination")
    };
    assert_eq!(
        (v.disease(), v.vaccine(), v.product(), v.manufacturer()),
        ("840539006", "1119349007", "EU/1/20/1528", "ORG-100030215")
    );
    assert_eq!((v.dose_number(), v.total_doses()), (2, 2));
    assert_eq!(v.date().to_string(), "2021-02-18");
    assert_eq!(
        (v.country(), v.issuer(), v.certificate_id()),
        ("AT", "Ministry of Health, Austria", CI)
    );
    assert_eq!(hcert.entry().country(), "AT");
    assert_eq!(hcert.entry().issuer(), "Ministry of Health, Austria");
    assert_eq!(hcert.entry().certificate_id(), CI);
}

#[test]
fn reads_a_test() {
    let (hcert, warnings) = ok(&test("1.3.0"));
    assert_eq!(warnings, []);
    let Entry::Test(t) = hcert.entry() else {
        panic!("not a test")
    };
    assert_eq!(
        (t.disease(), t.test_type(), t.result()),
        ("840539006", "LP6464-4", "260415000")
    );
    assert_eq!(t.test_name(), Some("Roche LightCycler qPCR"));
    assert_eq!(t.test_device(), Some("1232"));
    assert_eq!(
        t.sample_collected(),
        UnixTime::parse_rfc3339("2021-02-20T12:34:56Z").unwrap()
    );
    assert_eq!(t.result_at(), None);
    assert_eq!(t.testing_centre(), Some("Testing center Vienna 1"));
    assert_eq!(
        (t.country(), t.issuer(), t.certificate_id()),
        ("AT", "Ministry of Health, Austria", CI)
    );
}

#[test]
fn reads_a_recovery() {
    let (hcert, warnings) = ok(&recovery("1.3.0"));
    assert_eq!(warnings, []);
    let Entry::Recovery(r) = hcert.entry() else {
        panic!("not a recovery")
    };
    assert_eq!(r.disease(), "840539006");
    assert_eq!(r.first_positive(), Date::new(2021, 2, 20).unwrap());
    assert_eq!(r.valid_from(), Date::new(2021, 4, 4).unwrap());
    assert_eq!(r.valid_until(), Date::new(2021, 10, 4).unwrap());
    assert_eq!(
        (r.country(), r.issuer(), r.certificate_id()),
        ("AT", "Ministry of Health, Austria", CI)
    );
}

#[test]
fn entry_type_needs_exactly_one_non_empty_group() {
    let entry = json!({ "tg": "840539006" });
    let entry_type = |dcc: &Value| entry_type(&Node::from_json(dcc));
    assert_eq!(
        entry_type(&json!({ "v": [entry] })),
        Some(EntryType::Vaccination)
    );
    assert_eq!(
        entry_type(&json!({ "t": [entry, entry] })),
        Some(EntryType::Test)
    );
    assert_eq!(entry_type(&recovery("1.3.0")), Some(EntryType::Recovery));
    assert_eq!(entry_type(&json!({ "ver": "1.3.0" })), None);
    assert_eq!(entry_type(&json!({ "v": [entry], "t": [entry] })), None);
    assert_eq!(entry_type(&json!({ "v": [entry], "r": [] })), None);
    assert_eq!(entry_type(&json!({ "v": [] })), None);
    assert_eq!(entry_type(&json!({ "v": entry })), None);
    assert_eq!(entry_type(&json!([{ "v": [entry] }])), None);
}

#[test]
fn payload_must_be_an_object_with_exactly_one_entry() {
    rejects_at(&json!([]), "$");
    rejects_at(&json!("1.3.0"), "$");
    let v = vaccination("1.3.0");
    let entry = v["v"][0].clone();
    rejects_at(&edit(&v, "v", None), "$");
    rejects_at(&set(&v, "t", test("1.3.0")["t"].clone()), "$");
    rejects_at(&set(&v, "r", json!([])), "$");
    assert_eq!(
        rejected(&set(&v, "v", json!([]))),
        ("v".to_owned(), "empty")
    );
    for ver in ["1.0.0", "1.2.1", "1.3.0"] {
        let two = set(&vaccination(ver), "v", json!([entry, entry]));
        assert_eq!(
            rejected(&two),
            ("v".to_owned(), "more than one entry"),
            "{ver}"
        );
    }
    assert_eq!(
        rejected(&set(&v, "v", entry)),
        ("v".to_owned(), "not an array")
    );
    assert_eq!(
        rejected(&set(&v, "v", json!(["x"]))),
        ("v[0]".to_owned(), "not an object")
    );
}

#[test]
fn unknown_fields_are_ignored() {
    // No schema version sets `additionalProperties`.
    let v = set(&vaccination("1.3.0"), "extra", json!({ "any": 1 }));
    let v = set(&v, "nam/middle", json!(7));
    accepts(&set(&v, "v/0/xx", json!(null)));
}

#[test]
fn ver_is_required_and_n_dot_n_dot_n() {
    let v = vaccination("1.3.0");
    rejects_at(&edit(&v, "ver", None), "ver");
    rejects_at(&set(&v, "ver", json!(1.3)), "ver");
    for bad in [
        "", "1.3", "1.3.0.0", "1-3-0", "1.3.x", "v1.3.0", "1..0", " 1.3.0", "1.3.0\n",
    ] {
        rejects_at(&set(&v, "ver", json!(bad)), "ver");
    }
    for good in ["1.3.0", "10.20.30", "1.4.0", "2.0.0", "01.3.0"] {
        accepts(&set(&v, "ver", json!(good)));
    }
}

#[test]
fn unknown_versions_get_the_1_3_0_rules() {
    for ver in ["1.3.0", "1.3.3", "1.4.0", "9.9.9"] {
        accepts(&set(&vaccination(ver), "dob", json!("")));
    }
    for ver in ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1"] {
        rejects_at(&set(&vaccination(ver), "dob", json!("")), "dob");
    }
}

#[test]
fn nam_needs_fnt_until_1_3_1_and_fnt_or_gnt_after() {
    for ver in ["1.0.0", "1.2.1", "1.3.0", "1.3.1", "1.3.2", "1.3.3"] {
        let v = vaccination(ver);
        rejects_at(&edit(&v, "nam", None), "nam");
        rejects_at(&set(&v, "nam", json!("JONES")), "nam");
        rejects_at(&set(&v, "nam", json!({ "fn": "Jones" })), "nam.fnt");
        accepts(&set(&v, "nam", json!({ "fnt": "JONES" })));
        accepts(&set(&v, "nam", json!({ "fnt": "" })));
        let gnt_only = set(&v, "nam", json!({ "gnt": "ANNA" }));
        if ver == "1.3.2" || ver == "1.3.3" {
            accepts(&gnt_only);
        } else {
            rejects_at(&gnt_only, "nam.fnt");
        }
    }
}

#[test]
fn standardised_names_are_capitals_and_chevrons() {
    let v = vaccination("1.3.0");
    for field in ["fnt", "gnt"] {
        let path = format!("nam.{field}");
        for bad in [
            "Jones",
            "JONES-SMITH",
            "JONES SMITH",
            "JÖNES",
            "JONES\n",
            "1",
        ] {
            rejects_at(&set(&v, &format!("nam/{field}"), json!(bad)), &path);
        }
        rejects_at(&set(&v, &format!("nam/{field}"), json!(null)), &path);
        accepts(&set(&v, &format!("nam/{field}"), json!("A<<B")));
    }
    accepts(&edit(&v, "nam/gnt", None));
    rejects_at(&set(&v, "nam/fn", json!(12)), "nam.fn");
    rejects_at(&set(&v, "nam/gn", json!(["x"])), "nam.gn");
}

#[test]
fn names_are_bounded_by_version() {
    for (ver, max) in [("1.0.0", 50), ("1.2.1", 50), ("1.3.0", 80)] {
        let v = vaccination(ver);
        for field in ["fn", "fnt", "gn", "gnt"] {
            let pointer = format!("nam/{field}");
            accepts(&set(&v, &pointer, json!("A".repeat(max))));
            let (path, detail) = rejected(&set(&v, &pointer, json!("A".repeat(max + 1))));
            assert_eq!(
                (path.as_str(), detail),
                (
                    format!("nam.{field}").as_str(),
                    "longer than the schema's maxLength"
                )
            );
        }
        // maxLength counts characters, not bytes.
        accepts(&set(&v, "nam/fn", json!("Č".repeat(max))));
    }
}

#[test]
fn dob_partial_or_empty_from_1_3_0() {
    let v = vaccination("1.3.0");
    for (dob, parts) in [
        ("1964-08-12", (Some(1964), Some(8), Some(12))),
        ("1964-08", (Some(1964), Some(8), None)),
        ("1964", (Some(1964), None, None)),
        ("1900-01-01", (Some(1900), Some(1), Some(1))),
        ("2099-12-31", (Some(2099), Some(12), Some(31))),
        ("", (None, None, None)),
    ] {
        let (hcert, warnings) = ok(&set(&v, "dob", json!(dob)));
        assert_eq!(warnings, [], "{dob}");
        let d = hcert.dob();
        assert_eq!(d.as_str(), dob);
        assert_eq!((d.year(), d.month(), d.day()), parts, "{dob}");
        assert_eq!(d.date().is_some(), dob.len() == 10, "{dob}");
    }
    for bad in [
        "1809-02-28",
        "2100-01-01",
        "64-08-12",
        "1964-8-12",
        "1964-08-1",
        "19640812",
        "1964-08-12T00:00:00",
        "1964/08/12",
        "1964-13",
        "1964-02-30",
        "1964-08-12-01",
        " 1964",
        "1964-",
        "１９６４",
    ] {
        rejects_at(&set(&v, "dob", json!(bad)), "dob");
    }
    rejects_at(&edit(&v, "dob", None), "dob");
    rejects_at(&set(&v, "dob", json!(1964)), "dob");
}

#[test]
fn dob_zero_month_or_day_is_unknown() {
    let v = vaccination("1.3.0");
    for (dob, parts) in [
        ("1964-00", (Some(1964), None, None)),
        ("1964-00-00", (Some(1964), None, None)),
        ("1964-00-15", (Some(1964), None, None)),
        ("1964-01-00", (Some(1964), Some(1), None)),
    ] {
        let (hcert, warnings) = ok(&set(&v, "dob", json!(dob)));
        assert_eq!(warnings, [Warning::DobZeroPart], "{dob}");
        let d = hcert.dob();
        assert_eq!((d.year(), d.month(), d.day()), parts, "{dob}");
        assert_eq!(d.as_str(), dob);
    }
}

#[test]
fn dob_partial_but_not_empty_in_1_1_and_1_2() {
    for ver in ["1.1.0", "1.2.0", "1.2.1"] {
        let v = vaccination(ver);
        for good in ["1964-08-12", "1964-08", "1964"] {
            accepts(&set(&v, "dob", json!(good)));
        }
        for bad in ["", "1899", "1964-08-12T00:00:00"] {
            rejects_at(&set(&v, "dob", json!(bad)), "dob");
        }
    }
}

#[test]
fn dob_full_date_in_1_0() {
    for ver in ["1.0.0", "1.0.1"] {
        let v = vaccination(ver);
        accepts(&v);
        for bad in [
            "",
            "1964",
            "1964-08",
            "1964-02-30",
            "1899-12-31",
            "2100-01-01",
            "1964-08-12T25:00:00",
            "1964-08-12x",
        ] {
            rejects_at(&set(&v, "dob", json!(bad)), "dob");
        }
        // The 1.0.x pattern is unanchored, so the runner accepts a time of day: it is dropped.
        let (hcert, warnings) = ok(&set(&v, "dob", json!("1964-08-12T00:00:00")));
        assert_eq!(
            warnings,
            [Warning::TimeOfDayDropped {
                path: "dob".to_owned()
            }]
        );
        assert_eq!(hcert.dob().date(), Date::new(1964, 8, 12));
        assert_eq!(hcert.dob().as_str(), "1964-08-12T00:00:00");
    }
}

#[test]
fn entry_dates_are_full_dates() {
    let cases = [
        (vaccination("1.3.0"), "v", "dt"),
        (recovery("1.3.0"), "r", "fr"),
        (recovery("1.3.0"), "r", "df"),
        (recovery("1.3.0"), "r", "du"),
    ];
    for (cert, group, field) in cases {
        let pointer = format!("{group}/0/{field}");
        let path = format!("{group}[0].{field}");
        accepts(&set(&cert, &pointer, json!("2020-02-29")));
        for bad in [
            "2021-02-29",
            "2021-13-01",
            "2021-6-1",
            "11.06.2021",
            "2021-06",
            "",
            "2021-06-11T",
            "2021-06-11T24:00:00Z",
        ] {
            assert_eq!(
                rejected(&set(&cert, &pointer, json!(bad))),
                (path.clone(), "not a date (YYYY-MM-DD)"),
                "{bad}"
            );
        }
        assert_eq!(
            rejected(&set(&cert, &pointer, json!(20210611))),
            (path.clone(), "not a string")
        );
        assert_eq!(
            rejected(&edit(&cert, &pointer, None)),
            (path.clone(), MISSING)
        );
        let (_, warnings) = ok(&set(&cert, &pointer, json!("2021-06-11T00:00:00Z")));
        assert_eq!(warnings, [Warning::TimeOfDayDropped { path }]);
    }
}

#[test]
fn sample_collection_is_a_date_time() {
    let t = test("1.3.0");
    let at = |text: &str| UnixTime::parse_rfc3339(text).unwrap();
    for (sc, expected) in [
        ("2021-06-11T17:30:00Z", at("2021-06-11T17:30:00Z")),
        ("2021-06-11T17:30:00+02", at("2021-06-11T15:30:00Z")),
        ("2021-06-11T17:30:00+0200", at("2021-06-11T15:30:00Z")),
        ("2021-06-11T17:30:00-02:00", at("2021-06-11T19:30:00Z")),
        ("2021-06-11T17:30:00.123Z", at("2021-06-11T17:30:00Z")),
    ] {
        let (hcert, warnings) = ok(&set(&t, "t/0/sc", json!(sc)));
        assert_eq!(warnings, [], "{sc}");
        let Entry::Test(test) = hcert.entry() else {
            panic!("not a test")
        };
        assert_eq!(test.sample_collected(), expected, "{sc}");
    }
    for bad in [
        "2021-06-11",
        "2021-06-11T",
        "2021-06-11T25:00:00Z",
        "2021-06-11T17:30:00+2",
        "11.06.2021 17:30",
        "",
    ] {
        rejects_at(&set(&t, "t/0/sc", json!(bad)), "t[0].sc");
    }
    rejects_at(&edit(&t, "t/0/sc", None), "t[0].sc");
    let (_, warnings) = ok(&set(&t, "t/0/sc", json!("2021-06-11T17:30:00")));
    assert_eq!(
        warnings,
        [Warning::UtcOffsetMissing {
            path: "t[0].sc".to_owned()
        }]
    );
}

#[test]
fn result_time_is_read_only_where_defined() {
    for ver in ["1.0.0", "1.0.1", "1.1.0"] {
        let t = set(&test(ver), "t/0/dr", json!("2021-06-11T18:00:00Z"));
        let (hcert, _) = ok(&t);
        let Entry::Test(test) = hcert.entry() else {
            panic!("not a test")
        };
        assert_eq!(
            test.result_at(),
            UnixTime::parse_rfc3339("2021-06-11T18:00:00Z")
        );
        rejects_at(&set(&t, "t/0/dr", json!("tomorrow")), "t[0].dr");
        accepts(&edit(&t, "t/0/dr", None));
    }
    for ver in ["1.2.0", "1.2.1", "1.3.0"] {
        // `dr` left the schema in 1.2.0: an unknown field, ignored.
        let (hcert, _) = ok(&set(&test(ver), "t/0/dr", json!("tomorrow")));
        let Entry::Test(test) = hcert.entry() else {
            panic!("not a test")
        };
        assert_eq!(test.result_at(), None);
    }
}

#[test]
fn testing_centre_required_up_to_1_2_1() {
    for ver in ["1.0.0", "1.1.0", "1.2.1"] {
        let t = test(ver);
        rejects_at(&edit(&t, "t/0/tc", None), "t[0].tc");
        accepts(&set(&t, "t/0/tc", json!("C".repeat(50))));
        rejects_at(&set(&t, "t/0/tc", json!("C".repeat(51))), "t[0].tc");
    }
    let t = test("1.3.0");
    let (hcert, _) = ok(&edit(&t, "t/0/tc", None));
    let Entry::Test(test) = hcert.entry() else {
        panic!("not a test")
    };
    assert_eq!(test.testing_centre(), None);
    accepts(&set(&t, "t/0/tc", json!("C".repeat(80))));
    rejects_at(&set(&t, "t/0/tc", json!("C".repeat(81))), "t[0].tc");
    rejects_at(&set(&t, "t/0/tc", json!(1)), "t[0].tc");
}

#[test]
fn test_name_bounded_from_1_3_0() {
    accepts(&set(&test("1.2.1"), "t/0/nm", json!("N".repeat(200))));
    accepts(&set(&test("1.3.0"), "t/0/nm", json!("N".repeat(80))));
    rejects_at(
        &set(&test("1.3.0"), "t/0/nm", json!("N".repeat(81))),
        "t[0].nm",
    );
    accepts(&edit(&test("1.3.0"), "t/0/nm", None));
    accepts(&edit(&test("1.3.0"), "t/0/ma", None));
    rejects_at(&set(&test("1.3.0"), "t/0/ma", json!(1232)), "t[0].ma");
}

#[test]
fn doses_are_positive_integers() {
    for ver in ["1.0.0", "1.2.1", "1.3.0"] {
        let v = vaccination(ver);
        for field in ["dn", "sd"] {
            let pointer = format!("v/0/{field}");
            let path = format!("v[0].{field}");
            for good in [1, 9] {
                accepts(&set(&v, &pointer, json!(good)));
            }
            for (bad, detail) in [
                (json!(0), "less than 1"),
                (json!(-1), "less than 1"),
                (json!(0.0), "less than 1"),
                (json!(1.5), "not an integer"),
                (json!("1"), "not an integer"),
                (json!(true), "not an integer"),
                (json!(null), "not an integer"),
                (json!(5_000_000_000_u64), "too large"),
                (json!(u64::MAX), "too large"),
                (json!(1e300), "too large"),
            ] {
                assert_eq!(
                    rejected(&set(&v, &pointer, bad.clone())),
                    (path.clone(), detail),
                    "{ver} {bad}"
                );
            }
            assert_eq!(rejected(&edit(&v, &pointer, None)), (path.clone(), MISSING));
            let (_, warnings) = ok(&set(&v, &pointer, json!(2.0)));
            assert_eq!(warnings, [Warning::FloatAsInteger { path: path.clone() }]);
        }
    }
}

#[test]
fn doses_at_most_9_up_to_1_2_1() {
    for ver in ["1.0.0", "1.1.0", "1.2.1"] {
        let (path, detail) = rejected(&set(&vaccination(ver), "v/0/dn", json!(10)));
        assert_eq!(
            (path.as_str(), detail),
            ("v[0].dn", "greater than the schema's maximum")
        );
    }
    let (hcert, _) = ok(&set(&vaccination("1.3.0"), "v/0/sd", json!(10)));
    let Entry::Vaccination(v) = hcert.entry() else {
        panic!("not a vaccination")
    };
    assert_eq!(v.total_doses(), 10);
}

#[test]
fn country_is_capital_letters() {
    for (cert, group) in [
        (vaccination("1.3.0"), "v"),
        (test("1.3.0"), "t"),
        (recovery("1.3.0"), "r"),
    ] {
        let pointer = format!("{group}/0/co");
        let path = format!("{group}[0].co");
        for good in ["NL", "UNHCR", "X"] {
            accepts(&set(&cert, &pointer, json!(good)));
        }
        for bad in ["", "nl", "N L", "NL ", "ABCDEFGHIJK", "NÉ"] {
            rejects_at(&set(&cert, &pointer, json!(bad)), &path);
        }
        rejects_at(&edit(&cert, &pointer, None), &path);
    }
}

#[test]
fn issuer_and_id_are_bounded_by_version() {
    for (ver, max) in [("1.0.0", 50), ("1.2.1", 50), ("1.3.0", 80)] {
        for (cert, group) in [
            (vaccination(ver), "v"),
            (test(ver), "t"),
            (recovery(ver), "r"),
        ] {
            for field in ["is", "ci"] {
                let pointer = format!("{group}/0/{field}");
                accepts(&set(&cert, &pointer, json!("I".repeat(max))));
                rejects_at(
                    &set(&cert, &pointer, json!("I".repeat(max + 1))),
                    &format!("{group}[0].{field}"),
                );
            }
        }
    }
}

#[test]
fn every_required_entry_field_is_required() {
    let cases = [
        (
            vaccination("1.3.0"),
            "v",
            &["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"][..],
        ),
        (
            test("1.3.0"),
            "t",
            &["tg", "tt", "sc", "tr", "co", "is", "ci"][..],
        ),
        (
            recovery("1.3.0"),
            "r",
            &["tg", "fr", "co", "is", "df", "du", "ci"][..],
        ),
    ];
    for (cert, group, fields) in cases {
        for field in fields {
            let missing = edit(&cert, &format!("{group}/0/{field}"), None);
            assert_eq!(rejected(&missing), (format!("{group}[0].{field}"), MISSING));
            let wrong_type = set(&cert, &format!("{group}/0/{field}"), json!({}));
            rejects_at(&wrong_type, &format!("{group}[0].{field}"));
        }
    }
}

#[test]
fn value_set_codes_are_any_strings() {
    // The schemas name value sets but do not enumerate them.
    let v = set(&vaccination("1.3.0"), "v/0/tg", json!(""));
    accepts(&set(&v, "v/0/mp", json!("not a product")));
    accepts(&set(&test("1.3.0"), "t/0/tr", json!("")));
}

#[test]
fn dates_parse_and_print() {
    let date = Date::parse("2021-06-11").unwrap();
    assert_eq!((date.year(), date.month(), date.day()), (2021, 6, 11));
    assert_eq!(date.to_string(), "2021-06-11");
    assert_eq!(
        date.midnight_utc(),
        UnixTime::parse_rfc3339("2021-06-11T00:00:00Z").unwrap()
    );
    assert!(Date::parse("0000-01-01").is_some());
    for bad in [
        "2021-06-1",
        "2021-06-111",
        "2021_06_11",
        "2021-00-11",
        "2021-06-31",
        "+021-06-11",
        "2021-06-１",
    ] {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
    assert_eq!(Date::new(2021, 2, 29), None);
}

#[test]
fn debug_never_shows_personal_data() {
    let personal = [SURNAME, SURNAME_STD, FORENAME, FORENAME_STD, DOB, CI];
    for cert in [vaccination("1.3.0"), test("1.3.0"), recovery("1.3.0")] {
        let (hcert, _) = ok(&cert);
        for debug in [
            format!("{hcert:?}"),
            format!("{hcert:#?}"),
            format!("{:?}", hcert.entry()),
        ] {
            for secret in personal {
                assert!(!debug.contains(secret), "{secret} in {debug}");
            }
            assert!(debug.contains("<redacted>"));
            assert!(
                debug.contains("Ministry of Health, Austria"),
                "non-personal fields stay visible"
            );
        }
    }
}

#[test]
fn errors_never_show_values() {
    let v = vaccination("1.3.0");
    let bad = [
        set(&v, "nam/fnt", json!("Müller-Lüdenscheidt")),
        set(&v, "dob", json!("1964-13-45")),
        set(&v, "v/0/ci", json!("C".repeat(81))),
        set(&v, "ver", json!("one.two.three")),
    ];
    for cert in bad {
        let error = Hcert::from_json(&cert).unwrap_err();
        for text in [error.to_string(), format!("{error:?}")] {
            for secret in ["Müller", "1964-13-45", "CCCCC", "one.two"] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }
}

#[test]
fn odd_values_never_panic() {
    let odd = [
        json!(null),
        json!(true),
        json!(-0.0),
        json!(1e308),
        json!(-1e308),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(""),
        json!("\u{0}"),
        json!("é"),
        json!("2021-06-11Té"),
        json!("2021-06-1é"),
        json!("1964-0é"),
        json!("ééééééééééé"),
        json!([]),
        json!([[]]),
        json!({}),
        json!({ "v": [] }),
    ];
    for base in [
        vaccination("1.0.0"),
        test("1.0.0"),
        recovery("1.0.0"),
        vaccination("1.3.0"),
        test("1.3.0"),
        recovery("1.3.0"),
    ] {
        let group = ["v", "t", "r"]
            .into_iter()
            .find(|g| base.get(*g).is_some())
            .unwrap();
        let entry_fields: Vec<String> = base[group][0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| format!("{group}/0/{k}"))
            .collect();
        let mut paths = vec![
            "ver".to_owned(),
            "nam".to_owned(),
            "dob".to_owned(),
            group.to_owned(),
            "nam/fnt".to_owned(),
            "nam/gn".to_owned(),
            format!("{group}/0"),
        ];
        paths.extend(entry_fields);
        paths.push(format!("{group}/0/dr"));
        for path in &paths {
            for value in &odd {
                if path.ends_with("/0") {
                    let mut cert = base.clone();
                    cert[group][0] = value.clone();
                    let _ = Hcert::from_json(&cert);
                } else {
                    let _ = Hcert::from_json(&set(&base, path, value.clone()));
                }
            }
        }
    }
}
