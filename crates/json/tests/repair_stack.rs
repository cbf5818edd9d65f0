//! Inputs that make jsonrepair recurse without bound fail with upstream's error instead of overflowing the
//! stack (found by fuzzing: the process aborted). Upstream (jsonrepair 3.15.0) throws
//! `RangeError: Maximum call stack size exceeded` on both; it repairs up to a few thousand concatenated
//! strings, this port up to 511.

use novu_framework_json::{RepairError, jsonrepair};

/// Runs on a thread with a stack of 2 MiB: smaller than any a server thread gets, so an unbounded
/// recursion would abort the test process.
fn repair(text: String) -> Result<String, RepairError> {
    std::thread::Builder::new().stack_size(2 << 20).spawn(move || jsonrepair(&text)).unwrap().join().unwrap()
}

fn stack_exceeded() -> Result<String, RepairError> {
    Err(RepairError("Maximum call stack size exceeded".into()))
}

#[test]
fn a_string_that_restarts_forever_fails() {
    // `"b\\\\…,"` keeps finding an end quote before the comma it restarts at.
    let text = include_str!("fixtures/repair_restarts_forever.txt").to_string();
    assert_eq!(repair(text), stack_exceeded());
}

#[test]
fn long_concatenations_fail_past_the_bound() {
    let concat = |n: usize| format!("\"a\"{}", "+\"a\"".repeat(n));
    assert_eq!(repair(concat(511)), Ok(format!("\"{}\"", "a".repeat(512))));
    assert_eq!(repair(concat(512)), stack_exceeded());
    assert_eq!(repair(concat(5_000)), stack_exceeded());
    assert_eq!(repair(concat(200_000)), stack_exceeded());
}
