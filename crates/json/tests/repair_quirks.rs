//! What the fuzzer found jsonrepair 3.15.0 doing that a repair might be expected not to: rewrite valid JSON,
//! and return text that is not JSON. Outputs taken from the npm package; kept as upstream gives them, since
//! controls must compile as @novu/framework compiles them.

use novu_framework_json::{jsonrepair, parse};

#[test]
fn repairs_match_jsonrepair_3_15_0_where_it_is_surprising() {
    let cases: [(&str, &str, bool); 5] = [
        // Valid JSON is rewritten: a `[` inside a string followed by `"]` is read as a missing end quote.
        (r#"["a[b"]"#, r#"["a",["b"]]"#, true),
        (r#"{"k":[1 ,"s","m:sv[eb"]}"#, r#"{"k":[1 ,"s","m:sv",["eb"]]}"#, true),
        // Repairs that are not JSON: nothing at all, a stray comma after a JSONP callback, a raw control
        // character inside a string.
        ("z(", "", false),
        ("callback(,\"a\")", "[\n,\"a\",\")\"\n]", false),
        ("']\\\u{19} 'ppb'}", "\"]\u{19} \\\"ppb\"", false),
    ];
    for (input, expected, is_json) in cases {
        let repaired = jsonrepair(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
        assert_eq!(repaired, expected, "{input:?}");
        assert_eq!(parse(repaired.as_bytes()).is_ok(), is_json, "{repaired:?}");
    }
}
