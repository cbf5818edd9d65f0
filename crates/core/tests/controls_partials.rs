//! Tags that would load other templates. Upstream's liquidjs looks them up in the server's working
//! directory; the bridge loads nothing, and answers as liquidjs does when the file does not exist.

use novu_framework_core::controls::{CompileError, compile_controls};
use novu_framework_core::liquid::Limits;
use serde_json::{Value, json};

fn compile(template: &str) -> Result<Value, CompileError> {
    compile_controls(&json!({ "subject": template }), &json!({"payload": {"x": 1}}), &Limits::default())
}

fn error_name(template: &str) -> String {
    let e = compile(template).expect_err(template);
    format!("{e:?}")
}

#[test]
fn partials_fail_only_when_rendered() {
    for template in ["{% render 'a' %}", "{% include 'a' %}", "{% layout 'a' %}x", "{% render 'a' with x as y %}"] {
        assert!(error_name(template).contains("RenderError"), "{template}: {}", error_name(template));
    }
    for template in ["{% render %}", "{% include %}"] {
        assert!(error_name(template).contains("TokenizationError"), "{template}: {}", error_name(template));
    }
    let unreached = compile("{% if false %}{% render 'a' %}{% endif %}ok").unwrap();
    assert_eq!(unreached["subject"], "ok");
    assert_eq!(compile("{% layout none %}x{{payload.x}}").unwrap()["subject"], "x1");
}

#[test]
fn blocks_render_their_content() {
    assert_eq!(compile("{% block a %}b{% endblock %}").unwrap()["subject"], "b");
    assert_eq!(compile("{% block %}b{% endblock %}c").unwrap()["subject"], "bc");
    assert_eq!(compile("{% block a %}{% assign q = 2 %}{% endblock %}{{q}}").unwrap()["subject"], "2");
    assert!(error_name("{% block a %}x").contains("ParseError"));
}
