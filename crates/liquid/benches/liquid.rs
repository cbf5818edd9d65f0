//! Parsing and rendering templates like the reference workflows' controls, straight through the engine.
//!
//!     cargo bench -p novu-framework-liquid --bench liquid

use divan::{Bencher, black_box};
use novu_framework_liquid::{Limits, Session, parse};
use serde_json::json;

fn main() {
    divan::main();
}

const GREETING: &str = "Hi {{ payload.name | upcase }}, welcome to {{ payload.plan | default: 'free' }}";
const LOOP: &str = "{% for item in payload.items %}{{ forloop.index }}. {{ item.name | capitalize }} x{{ item.qty }}{% unless forloop.last %}, {% endunless %}{% endfor %}";

#[divan::bench]
fn parse_greeting(bencher: Bencher) {
    bencher.bench_local(|| black_box(parse(black_box(GREETING))));
}

#[divan::bench]
fn render_greeting(bencher: Bencher) {
    let template = parse(GREETING).expect("template");
    let env = json!({"payload": {"name": "Ada", "plan": "pro"}});
    bencher.bench_local(|| black_box(Session::new(&env, Limits::default()).render(black_box(&template))));
}

#[divan::bench]
fn render_loop_of_20(bencher: Bencher) {
    let template = parse(LOOP).expect("template");
    let items: Vec<_> = (0..20).map(|i| json!({"name": format!("item {i}"), "qty": i})).collect();
    let env = json!({"payload": {"items": items}});
    bencher.bench_local(|| black_box(Session::new(&env, Limits::default()).render(black_box(&template))));
}
