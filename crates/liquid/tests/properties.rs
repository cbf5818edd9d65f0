//! Properties: rendering any string never panics, and a render that succeeds stays within every limit of
//! its budget; templates built to explode (nested loops, strings doubling) end with a budget error.

use novu_framework_liquid::{ErrorKind, Limits, Session, parse};
use proptest::prelude::*;
use serde_json::{Value, json};

const LIMITS: Limits =
    Limits { max_iterations: 2_000, max_string_bytes: 4 << 10, max_output_bytes: 8 << 10, max_work_bytes: 64 << 10 };

fn context() -> Value {
    json!({
        "payload": {"name": "Ada", "items": ["a", "b", "c"], "n": 3, "nested": {"k": [1, {"x": "y"}]}, "s": "a,b,c"},
        "subscriber": {"firstName": "Ada", "locale": "en_US"},
        "steps": {"digest": {"events": [{"payload": {"x": 1}}]}},
    })
}

const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{{-",
    "-}}",
    "{%-",
    "-%}",
    " ",
    "x",
    "a",
    "payload.name",
    "payload.items",
    "payload.nested.k[1].x",
    "| append: x",
    "| upcase",
    "| split: ','",
    "| join: '-'",
    "| size",
    "| times: 2",
    "| date: '%Y-%m'",
    "| default: 'd'",
    "| slice: 1, 3",
    "| replace: 'a', 'aa'",
    "| json",
    "| pluralize: 'a', 'b'",
    "for i in (1..1000)",
    "for j in payload.items",
    "endfor",
    "if x",
    "elsif x == 'a'",
    "else",
    "endif",
    "assign x = x | append: x",
    "capture x",
    "endcapture",
    "increment c",
    "decrement c",
    "cycle 'a','b'",
    "tablerow i in (1..50) cols:3",
    "endtablerow",
    "break",
    "continue",
    "raw",
    "endraw",
    "comment",
    "endcomment",
    "case x",
    "when 1, 'a'",
    "endcase",
    "'str'",
    "\"dq\"",
    "1.5",
    "-2",
    "(1..3)",
    "[0]",
    ".first",
    "contains",
    "==",
    "and",
    "or",
    "unless",
    "endunless",
    "liquid echo x",
    "echo x",
    "render 'a'",
    "{{ x }}",
    "{{ t.key }}",
    "\\",
    "'",
    "\"",
    "\n",
    "é😀",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(FRAGMENTS).prop_map(String::from), 1 => ".{0,6}"],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// Nested loops and strings that double on every iteration.
fn bomb() -> impl Strategy<Value = String> {
    (1usize..5, 1u32..5000, any::<bool>(), 0usize..3).prop_map(|(depth, n, double, filler)| {
        let open: String = (0..depth).map(|d| format!("{{% for i{d} in (1..{n}) %}}")).collect();
        let close = "{% endfor %}".repeat(depth);
        let body = if double { "{% assign s = s | append: s %}" } else { "{{ s }}{{ i0 | times: 3 }}" };
        format!("{{% assign s = 'ab' %}}{open}{body}{}{close}{{{{ s | size }}}}", "x".repeat(filler))
    })
}

fn check(src: &str) -> Result<(), TestCaseError> {
    let Ok(template) = parse(src) else { return Ok(()) };
    let env = context();
    let mut session = Session::new(&env, LIMITS);
    for _ in 0..2 {
        match session.render(&template) {
            Ok(out) => {
                let used = session.usage();
                prop_assert!(out.len() <= LIMITS.max_output_bytes, "{} bytes from {:?}", out.len(), src);
                prop_assert!(used.output <= LIMITS.max_output_bytes, "{:?} for {:?}", used, src);
                prop_assert!(used.iterations <= LIMITS.max_iterations, "{:?} for {:?}", used, src);
                prop_assert!(used.work <= LIMITS.max_work_bytes, "{:?} for {:?}", used, src);
            }
            Err(e) => {
                prop_assert!(matches!(e.kind, ErrorKind::Render | ErrorKind::Limit), "{:?} for {:?}", e, src);
                break;
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_string_renders_within_budget(src in any::<String>()) {
        check(&src)?;
    }

    #[test]
    fn liquid_like_strings_render_within_budget(src in fragments()) {
        check(&src)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn explosive_templates_stop_at_the_budget(src in bomb()) {
        check(&src)?;
        let env = context();
        let template = parse(&src).expect("bomb templates parse");
        let result = Session::new(&env, LIMITS).render(&template);
        if let Err(e) = result {
            prop_assert_eq!(e.kind, ErrorKind::Limit, "{:?} for {:?}", e, src);
        }
    }
}
