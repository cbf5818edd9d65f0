//! The examples of bridge-protocol.md §10.5.2, §10.5.3 and the checklist items 69–83, as named tests.

use novu_framework_core::controls::{CompileError, compile_controls};
use novu_framework_core::liquid::Limits;
use serde_json::{Value, json};

fn context() -> Value {
    json!({
        "workflow": {"workflowId": "wf", "name": "Welcome flow", "tags": ["t1", "t2"], "severity": "none"},
        "payload": {
            "name": "Bob", "obj": {"a": 1, "b": "two \"q\""}, "arr": [1, "a"], "num": 1.5, "bool": true, "nul": null,
            "letters": ["A", "B", "C", "D"], "xyzw": ["x", "y", "z", "w"], "ab": ["A", "B"], "one": ["A"], "none": [],
            "users": [{"profile": {"name": "X"}}, {"profile": {"name": "Y"}}, {"profile": {"name": "Z"}}, {"profile": {"name": "W"}}],
            "keys": {"a": 1, "b": 2}, "plain": {"a": 1}
        },
        "subscriber": {"subscriberId": "s", "firstName": "Ann", "lastName": "O'Neil"},
        "actor": {"firstName": "Act"},
        "context": {"tenant": {"id": "t-9"}},
        "steps": {"custom-1": {"n": 5}},
        "env": {"name": "staging"}
    })
}

fn compile(controls: Value) -> Result<Value, CompileError> {
    compile_controls(&controls, &context(), &Limits::default())
}

fn render(template: &str) -> String {
    let out = compile(json!({ "subject": template })).unwrap_or_else(|e| panic!("{template}: {e}"));
    out["subject"].as_str().unwrap().to_string()
}

#[test]
fn output_escaping_examples_10_5_2() {
    assert_eq!(render("{{payload.name}}"), "Bob");
    assert_eq!(render("{{payload.arr}}"), "[1,'a']");
    assert_eq!(render("{{payload.num}}"), "1.5");
    assert_eq!(render("{{payload.bool}}"), "true");
    assert_eq!(render("{{payload.nul}}"), "");
    assert_eq!(render("{{payload.missing}}"), "");
    assert_eq!(render("{{subscriber}}"), "{'subscriberId':'s','firstName':'Ann','lastName':'O'Neil'}");
    assert_eq!(render("{{workflow.tags}}"), "['t1','t2']");
    assert_eq!(render("{{payload.obj}}"), "{'a':1,'b':'two 'q''}");
}

#[test]
fn json_filter_examples_10_5_3() {
    assert_eq!(render("{{payload.arr | json}}"), "[1,'a']");
    assert_eq!(render("{{'str' | json}}"), "str");
    assert_eq!(render("{{payload.obj | json: 2}}"), "{\\n  'a': 1,\\n  'b': 'two \\'q\\''\\n}");
}

#[test]
fn digest_examples_10_5_3() {
    assert_eq!(render("{{ payload.letters | slice: 0, 3 | digest }}"), "A, B and 1 other");
    assert_eq!(render("{{ payload.letters | digest }}"), "A, B and 2 others");
    assert_eq!(render("{{ payload.letters | digest: 3 }}"), "A, B, C and 1 other");
    assert_eq!(render("{{ payload.letters | digest: 4 }}"), "A, B, C and D");
    assert_eq!(render("{{ payload.ab | digest: 1 }}"), "A and B");
}

#[test]
fn to_sentence_examples_10_5_3() {
    assert_eq!(render("{{ payload.xyzw | toSentence }}"), "x, y, and 2 others");
    assert_eq!(render("{{ payload.letters | toSentence: '', 1 }}"), "A and 3 others");
    assert_eq!(render("{{ payload.xyzw | toSentence: '', 2, 'person' }}"), "x, y, and 2 people");
    assert_eq!(
        render("{{ payload.letters | slice: 0, 3 | toSentence: '', 3, 'other', '; ', ' & ', ', & ' }}"),
        "A; B, & C"
    );
}

#[test]
fn pluralize_examples_10_5_3() {
    assert_eq!(render("{{ 3 | pluralize: 'apple' }}"), "3 apples");
    assert_eq!(render("{{ 1 | pluralize: 'apple' }}"), "1 apple");
    assert_eq!(render("{{ 0 | pluralize: 'apple' }}"), "");
    assert_eq!(render("{{ '2' | pluralize: 'apple' }}"), "2 apples");
    assert_eq!(render("{{ payload.keys | pluralize: 'key' }}"), "2 keys");
    assert_eq!(render("{{ 2 | pluralize: 'child', 'kids' }}"), "2 kids");
    assert_eq!(render("{{ 5 | pluralize: 'box', '', 'false' }}"), "boxes");
    assert_eq!(render("{{ 'abc' | pluralize: 'apple' }}"), "");
    assert_eq!(render("{{ 2.5 | pluralize: 'box' }}"), "2.5 boxes");
    assert_eq!(render("{{ 2 | pluralize: 'person' }}"), "2 people");
}

#[test]
fn lookup_examples_10_5_3() {
    let users = "{{ payload.users | digest: 4, 'profile.name' }}";
    assert_eq!(render(users), "X, Y, Z and W");
    assert_eq!(render("{{ payload.users | digest: 2, 'profile' }}"), "{\"name\":\"X\"}, {\"name\":\"Y\"} and 2 others");
    assert_eq!(render("{{ payload.users | digest: 2, 'profile.missing' }}"), ",  and 2 others");
}

#[test]
fn translation_marker_examples_10_5_3() {
    assert_eq!(render("{{ t.welcome }}"), "{{t.welcome}}");
    assert_eq!(render("{{ 3 | pluralize: 't.apple', 't.apples' }}"), "3 {{t.apples}}");
}

#[test]
fn item_69_defaults_render() {
    assert_eq!(render("Hello {{payload.name}}"), "Hello Bob");
}

#[test]
fn item_70_context_paths() {
    assert_eq!(render("{{subscriber.firstName}}"), "Ann");
    assert_eq!(render("{{steps.custom-1.n}}"), "5");
    assert_eq!(render("{{steps['custom-1'].n}}"), "5");
    assert_eq!(render("{{workflow.workflowId}}"), "wf");
    assert_eq!(render("{{workflow.name}}"), "Welcome flow");
    assert_eq!(render("{{env.name}}"), "staging");
    assert_eq!(render("{{context.tenant.id}}"), "t-9");
    assert_eq!(render("{{actor.firstName}}"), "Act");
}

#[test]
fn item_71_top_level_payload_keys_are_not_exposed() {
    assert_eq!(render("{{name}}"), "");
}

#[test]
fn item_72_missing_values_and_unknown_filters() {
    assert_eq!(render("{{payload.missing}}"), "");
    assert_eq!(render("{{payload.nul}}"), "");
    assert_eq!(render("{{ payload.name | nosuchfilter }}"), "Bob");
}

#[test]
fn item_73_value_types() {
    assert_eq!(render("{{payload.arr}}"), "[1,'a']");
    assert_eq!(render("{{payload.num}}"), "1.5");
    assert_eq!(render("{{payload.bool}}"), "true");
}

#[test]
fn item_74_special_characters_round_trip() {
    let tricky = "say \"hi\" \\ back\nslash\ttab\r";
    let ctx = json!({"payload": {"s": tricky}});
    let out = compile_controls(&json!({"subject": "{{payload.s}}"}), &ctx, &Limits::default()).unwrap();
    assert_eq!(out["subject"], tricky);
}

#[test]
fn item_75_json_filter() {
    assert_eq!(render("{{payload.plain | json}}"), "{'a':1}");
    assert_eq!(render("{{'str' | json}}"), "str");
}

#[test]
fn item_76_digest() {
    assert_eq!(render("{{ payload.letters | digest }}"), "A, B and 2 others");
    assert_eq!(render("{{ payload.letters | digest: 3 }}"), "A, B, C and 1 other");
    assert_eq!(render("{{ payload.letters | digest: 4 }}"), "A, B, C and D");
    assert_eq!(render("{{ payload.one | digest }}"), "A");
    assert_eq!(render("{{ payload.none | digest }}"), "");
    assert_eq!(render("{{ payload.users | digest: 2, 'profile.name' }}"), "X, Y and 2 others");
}

#[test]
fn item_77_to_sentence() {
    assert_eq!(render("{{ payload.xyzw | toSentence }}"), "x, y, and 2 others");
    assert_eq!(render("{{ payload.xyzw | toSentence: '', 1 }}"), "x and 3 others");
    assert_eq!(render("{{ payload.ab | toSentence }}"), "A and B");
    assert_eq!(render("{{ payload.xyzw | toSentence: '', 2, 'person' }}"), "x, y, and 2 people");
}

#[test]
fn item_78_pluralize() {
    assert_eq!(render("{{ 3 | pluralize: 'apple' }}"), "3 apples");
    assert_eq!(render("{{ 1 | pluralize: 'apple' }}"), "1 apple");
    assert_eq!(render("{{ 0 | pluralize: 'apple' }}"), "");
    assert_eq!(render("{{ '2' | pluralize: 'apple' }}"), "2 apples");
    assert_eq!(render("{{ payload.keys | pluralize: 'key' }}"), "2 keys");
    assert_eq!(render("{{ 2 | pluralize: 'child', 'kids' }}"), "2 kids");
    assert_eq!(render("{{ 5 | pluralize: 'box', '', 'false' }}"), "boxes");
}

#[test]
fn item_79_translation_markers() {
    assert_eq!(render("{{ t.bye_msg }}"), "{{t.bye_msg}}");
    assert_eq!(render("{{ 3 | pluralize: 't.apple', 't.apples' }}"), "3 {{t.apples}}");
}

#[test]
fn item_80_json_strings_are_lifted() {
    let out = compile(json!({"a": "  {\"k\": \"{{payload.name}}\"}  ", "b": "[]", "c": "{}", "d": "[1,2"})).unwrap();
    assert_eq!(out, json!({"a": "{\"k\":\"Bob\"}", "b": "[]", "c": "{}", "d": "[1,2"}));
}

#[test]
fn item_81_types_are_kept_and_nested_templates_render() {
    let out = compile(
        json!({"n": 3, "t": true, "z": null, "o1": {"inner": "{{payload.name}}"}, "l": [1, "{{payload.num}}"]}),
    )
    .unwrap();
    assert_eq!(out, json!({"n": 3, "t": true, "z": null, "o1": {"inner": "Bob"}, "l": [1, "1.5"]}));
}

#[test]
fn item_82_assign_is_shared_across_controls() {
    let out = compile(json!({"first": "{% assign g = 'hey' %}{{g}}", "second": "{{g}}"})).unwrap();
    assert_eq!(out, json!({"first": "hey", "second": "hey"}));
}

#[test]
fn item_83_unterminated_output_fails_with_tokenization_error() {
    let err = compile(json!({"subject": "Hello {{ payload.name "})).unwrap_err();
    assert_eq!(err.data, json!({"name": "TokenizationError"}));
    let err = compile(json!({"subject": "{% if %}"})).unwrap_err();
    assert_eq!(err.data, json!({"name": "TokenizationError"}));
}

#[test]
fn double_quoted_literals_are_accepted() {
    assert_eq!(render("{% if payload.name == \"Bob\" %}yes{% endif %}"), "yes");
    assert_eq!(render("{{ payload.name | append: \"!\" }}"), "Bob!");
    assert_eq!(render("{{ payload.name | append: \"it's\" }}"), "Bobit's");
    assert_eq!(render("{{ 'say \"hi\"' }}"), "say \"hi\"");
}

#[test]
fn cached_templates_render_the_same() {
    use novu_framework_core::controls::{TemplateCache, compile_controls_cached};
    fn shareable<T: Send + Sync>(_: &T) {}
    let defaults = json!({"subject": "Hi {{payload.name}}", "body": "{{ t.body }}", "plain": "x", "bad": "{{ oops"});
    let cache = TemplateCache::from_controls(&defaults);
    shareable(&cache);
    assert_eq!(cache.len(), 1);
    let controls = json!({"subject": "Hi {{payload.name}}", "body": "{{ t.body }}"});
    let cached =
        compile_controls_cached(&controls, &context(), &Limits::default(), &cache, &mut Default::default()).unwrap();
    assert_eq!(cached, compile(controls).unwrap());
    assert_eq!(cached, json!({"subject": "Hi Bob", "body": "{{t.body}}"}));
    let err = compile_controls_cached(&defaults, &context(), &Limits::default(), &cache, &mut Default::default())
        .unwrap_err();
    assert_eq!(err.data, json!({"name": "TokenizationError"}));
}
