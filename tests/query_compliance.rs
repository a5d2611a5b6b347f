//! The official JMESPath compliance suite (tests/fixtures/jmespath/, see
//! SOURCE.md there) through this tool's own query entry point,
//! `query::Query::compile` and `Query::apply`: every case with an expected
//! result must give it, and every case with an expected error must fail.

use serde_json::Value;
use start_delivery_stream_encryption::query::Query;

/// JSON equality as JMESPath means it: numbers by value (`1 == 1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn the_whole_compliance_suite_passes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jmespath");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 16, "the suite's 16 files");
    let (mut passed, mut failures) = (0, Vec::new());
    for file in &files {
        let suites: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for suite in suites.as_array().unwrap() {
            let given = &suite["given"];
            for case in suite["cases"].as_array().unwrap() {
                let expr = case["expression"].as_str().unwrap();
                let got = Query::compile(expr).and_then(|q| q.apply(given));
                let ok = match (case.get("result"), case.get("error")) {
                    (Some(want), _) => got.as_ref().is_ok_and(|v| same(v, want)),
                    (None, Some(_)) => got.is_err(),
                    // Benchmark-only cases state no outcome: they must not fail.
                    (None, None) => got.is_ok(),
                };
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!("{}: {expr}: {got:?}", file.display()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("JMESPath compliance: {passed}/{passed} cases passed");
    assert!(passed >= 900, "only {passed} cases found");
}
