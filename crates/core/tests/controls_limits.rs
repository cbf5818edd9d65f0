//! Hostile templates fail fast with a `LimitError` naming the limit (decisions.md: Liquid budget), and
//! pathological nesting is a parse error rather than a stack overflow.

use novu_framework_core::controls::compile_controls;
use novu_framework_core::liquid::Limits;
use serde_json::{Value, json};

fn context() -> Value {
    json!({"payload": {"big": "x".repeat(1 << 20), "list": (0..1000).collect::<Vec<_>>()}})
}

fn limit_error(template: &str) -> String {
    let err = compile_controls(&json!({ "subject": template }), &context(), &Limits::default()).expect_err(template);
    assert_eq!(err.data["name"], "LimitError", "{template}: {}", err.message);
    err.data["message"].as_str().unwrap().to_string()
}

#[test]
fn huge_loops_hit_the_iteration_limit() {
    for template in [
        "{% for i in (1..100000000) %}x{% endfor %}",
        "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}",
        "{% for i in (1..1000000000) reversed %}{% endfor %}",
        "{{ (1..1000000000) | join }}",
        "{% assign r = (1..1000000000) %}",
        "{{ (1..1000000000) }}",
        "{% assign a = (1..10) %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}",
        "{% for i in (1..100000) %}{% assign s = payload.big | split: '' %}{% endfor %}",
        "{% for i in (1..100000) %}{{ payload.list | sort | size }}{% endfor %}",
        "{% for i in (1..100000) %}{% if payload.list contains -1 %}{% endif %}{% endfor %}",
        "{{ payload.big | split: '' | join: payload.big }}",
    ] {
        assert!(limit_error(template).contains("max_iterations = 1000000"), "{template}");
    }
}

#[test]
fn huge_strings_hit_the_string_limit() {
    for template in [
        "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}",
        "{% capture c %}{% for i in (1..300000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}{% endcapture %}",
        "{{ payload.big | replace: '', payload.big }}",
        "{{ 0 | date: '%999999999Y' }}",
        "{% assign s = payload.big | append: payload.big | append: payload.big | append: payload.big | append: payload.big %}",
    ] {
        assert!(limit_error(template).contains("max_string_bytes"), "{template}");
    }
}

#[test]
fn huge_output_hits_the_output_limit() {
    for template in
        ["{% for i in (1..100) %}{{ payload.big }}{% endfor %}", "{% tablerow i in (1..100000000) %}{% endtablerow %}"]
    {
        assert!(limit_error(template).contains("max_output_bytes"), "{template}");
    }
}

#[test]
fn repeated_string_work_hits_the_work_limit() {
    for template in [
        "{% for i in (1..100000) %}{% if payload.big contains 'zzz' %}{% endif %}{% endfor %}",
        "{% for i in (1..100000) %}{% assign n = payload.big | size %}{% endfor %}",
        "{% for i in (1..100000) %}{% assign u = payload.big | upcase %}{% endfor %}",
        "{% for i in (1..100000) %}{% assign n = payload.big.size %}{% endfor %}",
        "{% for i in (1..100000) %}{% assign n = payload.big | first %}{% endfor %}",
        "{% for i in (1..100000) %}{% assign n = payload.big | to_integer %}{% endfor %}",
    ] {
        assert!(limit_error(template).contains("max_work_bytes"), "{template}");
    }
}

#[test]
fn the_budget_is_shared_by_all_controls() {
    let limits = Limits { max_iterations: 10, ..Limits::default() };
    let controls = json!({"a": "{% for i in (1..6) %}{% endfor %}", "b": "{% for i in (1..6) %}{% endfor %}"});
    let err = compile_controls(&controls, &json!({}), &limits).unwrap_err();
    assert_eq!(
        err.data,
        json!({"name": "LimitError", "message": "loop iteration limit exceeded (max_iterations = 10)"})
    );
    let ok = json!({"a": "{% for i in (1..5) %}{% endfor %}", "b": "{% for i in (1..5) %}{% endfor %}"});
    assert!(compile_controls(&ok, &json!({}), &limits).is_ok());
}

#[test]
fn deep_nesting_is_a_parse_error() {
    for template in [
        "{% if true %}".repeat(10_000),
        format!("{{{{ {}1{} }}}}", "(".repeat(10_000), "..2)".repeat(10_000)),
        format!("{{{{ a{} }}}}", "[b".repeat(10_000)),
        "{% for i in x %}{% case y %}{% when 1 %}".repeat(5_000),
    ] {
        let err = compile_controls(&json!({ "subject": template }), &json!({}), &Limits::default()).unwrap_err();
        assert_eq!(err.data, json!({"name": "ParseError"}));
    }
}

#[test]
fn long_flat_expressions_do_not_recurse() {
    let template = format!("{{% if {}true %}}yes{{% endif %}}", "false or ".repeat(50_000));
    let out = compile_controls(&json!({ "subject": template }), &json!({}), &Limits::default()).unwrap();
    assert_eq!(out["subject"], "yes");
}

#[test]
fn the_deepest_accepted_nesting_fits_a_small_stack() {
    // 64 nested blocks (the most accepted) parse and render on a 1 MiB stack, even in debug builds.
    let unit = ["{% if payload.x != 'y' and true %}", "{% for j in (1..1) %}", "{% capture c %}", "{% unless false %}"];
    let close = ["{% endif %}", "{% endfor %}", "{% endcapture %}{{ c }}", "{% endunless %}"];
    let mut template: String = (0..64).map(|i| unit[i % 4]).collect();
    template.push_str("{{ payload.x | append: 'z' | upcase }}");
    template.extend((0..64).rev().map(|i| close[i % 4]));
    let too_deep = format!("{{% if true %}}{template}{{% endif %}}");
    let run = |t: String| {
        std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                compile_controls(&json!({ "subject": t }), &json!({"payload": {"x": "v"}}), &Limits::default())
            })
            .unwrap()
            .join()
            .unwrap()
    };
    assert_eq!(run(template).unwrap()["subject"], "VZ");
    assert_eq!(run(too_deep).unwrap_err().data, json!({"name": "ParseError"}));
}

#[test]
fn the_budget_is_shared_by_the_renders_of_one_request() {
    use novu_framework_core::controls::{TemplateCache, compile_controls_cached};
    use novu_framework_core::liquid::Usage;
    let controls = json!({ "subject": "{% for i in (1..600000) %}{% endfor %}x" });
    let (context, limits, cache) = (context(), Limits::default(), TemplateCache::default());
    let mut spent = Usage::default();
    compile_controls_cached(&controls, &context, &limits, &cache, &mut spent).expect("first render fits");
    assert!(spent.iterations >= 600_000);
    let err = compile_controls_cached(&controls, &context, &limits, &cache, &mut spent).expect_err("over budget");
    assert_eq!(err.data["name"], "LimitError");
}

/// Found by fuzzing JSON repair: `data` strings on which jsonrepair recurses without bound aborted the
/// process with a stack overflow. They now fail to repair, as upstream's throws, and stay as they are.
#[test]
fn data_strings_that_repair_cannot_finish_stay_as_they_are() {
    let concatenation = format!("[\"a\"{}]", "+\"a\"".repeat(200_000));
    let restarts = format!("{{\"a\": \"x\", \"b{},\"c\": \"z\"}}", "\\\\".repeat(40));
    for data in [concatenation, restarts] {
        let controls = json!({"subject": "s", "data": {"x": data}});
        let text = data.clone();
        let compiled = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                assert!(novu_framework_core::json::jsonrepair(&text).is_err());
                compile_controls(&controls, &json!({}), &Limits::default())
            })
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert_eq!(compiled["data"]["x"], data);
    }
}
