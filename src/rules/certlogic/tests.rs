use serde_json::json;

use super::*;

fn eval(expr: Json, data: Json) -> Result<Json, Error> {
    evaluate_json(&expr, &data)
}

fn plus(date: &str, amount: i64, unit: &str) -> String {
    let logic = json!({"plusTime": [date, amount, unit]});
    eval(logic, Json::Null)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn plus_time_follows_javascript_date_arithmetic() {
    // The specification's leap-day table.
    assert_eq!(plus("2020-02-29", 1, "day"), "2020-03-01T00:00:00.000Z");
    assert_eq!(plus("2020-02-29", 1, "month"), "2020-03-29T00:00:00.000Z");
    assert_eq!(plus("2020-02-29", 1, "year"), "2021-03-01T00:00:00.000Z");
    // Overflowing days carry on, as MakeDay does.
    assert_eq!(plus("2020-01-31", 1, "month"), "2020-03-02T00:00:00.000Z");
    assert_eq!(
        plus("2021-01-31T10:00:00Z", -2, "month"),
        "2020-12-01T10:00:00.000Z"
    );
    assert_eq!(
        plus("2021-06-01T00:00:00+02:00", 40, "hour"),
        "2021-06-02T14:00:00.000Z"
    );
    assert_eq!(
        plus("2021-06-01T23:30:00-1", 0, "day"),
        "2021-06-02T00:30:00.000Z"
    );
    assert_eq!(
        plus("2021-06-01T00:00:00.123456+0130", 0, "day"),
        "2021-05-31T22:30:00.123Z"
    );
    assert_eq!(plus("1990", 0, "day"), "1990-12-31T00:00:00.000Z");
    assert_eq!(plus("2020-02", 0, "day"), "2020-02-29T00:00:00.000Z");
}

#[test]
fn invalid_dates_and_ranges_are_errors_not_values() {
    for text in [
        "2021-09-99",
        "2022-13",
        "2021-02-29",
        "2021-06-01T24:00:00Z",
        "21-06-01",
        "",
    ] {
        let result = eval(json!({"plusTime": [text, 0, "day"]}), Json::Null);
        assert!(
            matches!(result, Err(Error::Eval(EvalError::DateTime(_)))),
            "{text}: {result:?}"
        );
    }
    let far = eval(
        json!({"plusTime": ["2021-01-01", 300_000, "year"]}),
        Json::Null,
    );
    assert_eq!(
        far,
        Err(Error::Eval(EvalError::DateTime(DateTimeError::Range)))
    );
}

#[test]
fn date_of_birth_is_the_last_consistent_date() {
    let dob = |text: &str| eval(json!({"dccDateOfBirth": [text]}), Json::Null).unwrap();
    assert_eq!(dob("2004"), json!("2004-12-31T00:00:00.000Z"));
    assert_eq!(dob("2004-02"), json!("2004-02-29T00:00:00.000Z"));
    assert_eq!(dob("2004-02-03"), json!("2004-02-03T00:00:00.000Z"));
    assert!(eval(
        json!({"dccDateOfBirth": ["2004-02-03T10:00:00Z"]}),
        Json::Null
    )
    .is_err());
    assert!(eval(json!({"dccDateOfBirth": [{"var": "x"}]}), json!({})).is_err());
}

#[test]
fn truthiness_is_certlogic_s_not_javascript_s() {
    let not = |data: Json| eval(json!({"!": [{"var": ""}]}), data);
    assert_eq!(not(json!({})).unwrap(), json!(true));
    assert_eq!(not(json!({"a": 1})).unwrap(), json!(false));
    assert_eq!(not(json!([])).unwrap(), json!(true));
    assert_eq!(not(json!("")).unwrap(), json!(true));
    assert_eq!(not(json!(0)).unwrap(), json!(true));
    // A date-time is neither truthy nor falsy.
    let date = eval(
        json!({"!": [{"plusTime": ["2021-01-01", 0, "day"]}]}),
        Json::Null,
    );
    assert!(matches!(date, Err(Error::Eval(EvalError::Type { .. }))));
    let guard = eval(
        json!({"if": [{"plusTime": ["2021-01-01", 0, "day"]}, 1, 2]}),
        Json::Null,
    );
    assert!(guard.is_err());
}

#[test]
fn and_stops_at_the_first_falsy_operand() {
    // The second operand would fail (`in` on a non-array) if it were evaluated.
    let logic = json!({"and": [false, {"in": ["a", "b"]}]});
    assert_eq!(eval(logic, Json::Null).unwrap(), json!(false));
    let logic = json!({"and": [true, {"in": ["a", "b"]}]});
    assert!(eval(logic, Json::Null).is_err());
}

#[test]
fn strict_equality_compares_containers_by_identity() {
    let data = json!({"x": [1], "y": [1]});
    assert_eq!(
        eval(json!({"===": [{"var": "x"}, {"var": "x"}]}), data.clone()).unwrap(),
        json!(true)
    );
    assert_eq!(
        eval(json!({"===": [{"var": "x"}, {"var": "y"}]}), data).unwrap(),
        json!(false)
    );
    assert_eq!(
        eval(json!({"===": [1, 1]}), Json::Null).unwrap(),
        json!(true)
    );
    assert_eq!(
        eval(json!({"===": [1, "1"]}), Json::Null).unwrap(),
        json!(false)
    );
    assert_eq!(
        eval(json!({"===": [{"var": "f"}, 2]}), json!({"f": 2.0})).unwrap(),
        json!(true)
    );
}

#[test]
fn comparisons_need_integers_and_chain_in_ternary_form() {
    assert_eq!(
        eval(json!({"<": [1, 2, 3]}), Json::Null).unwrap(),
        json!(true)
    );
    assert_eq!(
        eval(json!({"<": [1, 3, 3]}), Json::Null).unwrap(),
        json!(false)
    );
    assert_eq!(
        eval(json!({"<=": [1, 3, 3]}), Json::Null).unwrap(),
        json!(true)
    );
    assert!(eval(json!({"<": [1, {"var": "x"}]}), json!({"x": 1.5})).is_err());
    assert!(eval(json!({"<": [1, {"var": "x"}]}), json!({})).is_err());
    assert!(eval(json!({"+": [i64::MAX, 1]}), Json::Null).is_err());
}

#[test]
fn reduce_and_extract_from_uvci() {
    let sum =
        json!({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0]});
    assert_eq!(
        eval(sum.clone(), json!({"xs": [1, 2, 3]})).unwrap(),
        json!(6)
    );
    assert_eq!(eval(sum.clone(), json!({})).unwrap(), json!(0));
    assert!(eval(sum, json!({"xs": "abc"})).is_err());
    let part = |uci: Json, i: i64| {
        eval(
            json!({"extractFromUVCI": [{"var": "u"}, i]}),
            json!({"u": uci}),
        )
    };
    assert_eq!(
        part(
            json!("URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"),
            1
        )
        .unwrap(),
        json!("AT")
    );
    assert_eq!(part(json!("a::c/#/f"), 5).unwrap(), json!("f"));
    assert_eq!(part(json!("a::c/#/f"), 6).unwrap(), Json::Null);
    assert_eq!(part(json!("abc"), -1).unwrap(), Json::Null);
    assert_eq!(part(Json::Null, 0).unwrap(), Json::Null);
    assert!(part(json!(1), 0).is_err());
}

#[test]
fn validation_names_every_issue_with_its_path() {
    let issues = validate(&json!({"and": [{"var": "a..b"}, {"if": [true, 1]}, {"foo": []}]}));
    let paths: Vec<_> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["/and/0/var", "/and/1/if", "/and/2/foo"]);
    assert!(validate(&json!({"plusTime": [{"var": "d"}, 1.5, "week"]})).len() == 2);
    assert!(validate(&json!({"var": 1})).len() == 1);
    assert!(validate(&json!(null)).len() == 1);
    assert!(validate(&json!({"if": [true, true, true]})).is_empty());
}

#[test]
fn bounds_are_load_errors_and_work_is_capped() {
    let mut deep = json!(true);
    for _ in 0..crate::limits::MAX_LOGIC_DEPTH {
        deep = json!({"!": [deep]});
    }
    let error = Logic::compile(&deep).unwrap_err();
    assert!(error.to_string().contains("nested deeper"), "{error}");
    let wide = Json::Array(vec![json!(1); crate::limits::MAX_LOGIC_ARRAY_ITEMS + 1]);
    assert!(Logic::compile(&wide).is_err());
    // A reduce over a long array of nested reduces runs out of steps, not of time.
    let inner = json!({"reduce": [{"var": "current"}, {"var": "accumulator"}, 0]});
    let outer = json!({"reduce": [{"var": "xs"}, inner, 0]});
    let xs: Vec<Json> = (0..200)
        .map(|_| Json::Array(vec![json!(1); 1000]))
        .collect();
    let result = eval(outer, json!({ "xs": xs }));
    assert_eq!(result, Err(Error::Eval(EvalError::TooMuchWork)));
}
