//! The engine on its own: parse once, render with a session over a context, under a budget.

use novu_framework_liquid::{ErrorKind, Limits, Session, parse, tokenize};
use serde_json::json;

#[test]
fn sessions_keep_state_between_renders() {
    let template = parse("{% increment n %}{{ payload.name | upcase }}").unwrap();
    let ctx = json!({"payload": {"name": "ann"}});
    let mut session = Session::new(&ctx, Limits::default());
    assert_eq!(session.render(&template).unwrap(), "0ANN");
    assert_eq!(session.render(&template).unwrap(), "1ANN");
}

#[test]
fn errors_carry_liquidjs_class_names() {
    assert_eq!(parse("{{ x").unwrap_err().kind, ErrorKind::Tokenization);
    assert_eq!(parse("{% if true %}").unwrap_err().kind, ErrorKind::Parse);
    assert_eq!(parse("{% nosuchtag %}").unwrap_err().kind.class_name(), "ParseError");
    // Tokenizing alone accepts unknown tags; parsing them fails.
    assert_eq!(tokenize("{% nosuchtag %}").unwrap().parse().unwrap_err().kind, ErrorKind::Parse);
}

#[test]
fn missing_variables_render_empty_and_filters_chain() {
    let template = parse("[{{ missing.deep }}]{{ list | join: '-' | append: '!' }}").unwrap();
    let ctx = json!({"list": [1, "a", true]});
    assert_eq!(Session::new(&ctx, Limits::default()).render(&template).unwrap(), "[]1-a-true!");
}

#[test]
fn the_budget_stops_loops_and_is_reported() {
    let template = parse("{% for i in (1..1000) %}{{ i }}{% endfor %}").unwrap();
    let ctx = json!({});
    let tight = Limits { max_iterations: 100, ..Limits::default() };
    let err = Session::new(&ctx, tight).render(&template).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);

    let mut session = Session::new(&ctx, Limits::default());
    let out = session.render(&template).unwrap();
    assert!(out.starts_with("123") && out.ends_with("9991000"));
    assert!(session.usage().iterations >= 1000);
    assert!(session.usage().output >= out.len());
}

#[test]
fn a_session_resumes_with_what_was_spent() {
    let template = parse("{% for i in (1..60) %}x{% endfor %}").unwrap();
    let ctx = json!({});
    let limits = Limits { max_iterations: 100, ..Limits::default() };
    let mut first = Session::new(&ctx, limits);
    first.render(&template).unwrap();
    let err = Session::resume(&ctx, limits, first.usage()).render(&template).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
}
