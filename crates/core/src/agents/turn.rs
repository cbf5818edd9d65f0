//! One turn of a conversation: the request it answers, the side effects its handler queues, the working
//! copy of the conversation's metadata, and the outbound calls it makes (agents-protocol.md §6–§8).
//!
//! A binding drives the lifecycle: [`Turn::begin`], then the handler [`Turn::call`] names, then
//! [`Turn::deliver`], [`Turn::flush`] and [`Turn::run_finish`]; on failure the error handler and
//! [`Turn::report_error`]; always [`Turn::close`] at the end. The methods that post block on HTTP; they
//! may be called from several threads (a turn's posts still go out one at a time, in order).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::AgentLimits;
use super::approval::{parse_approval_action_id, tool_call_for};
use super::content::{Content, FileSpec, Message};
use super::error::AgentError;
use super::registry::AgentDefinition;
use super::request::{Target, TurnRequest};
use super::signals::{self, HumanKind, HumanOptions};
use super::transport::{Effects, Ids, Poster, Transport};

pub use super::transport::{Handle, Typing};

/// A place among the turns a bridge runs at once; given back when the turn is dropped.
#[derive(Debug)]
pub struct TurnSlot(Arc<AtomicUsize>);

impl TurnSlot {
    /// A slot when fewer than `max` turns hold one.
    pub fn acquire(counter: &Arc<AtomicUsize>, max: usize) -> Option<TurnSlot> {
        counter
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1))
            .ok()
            .map(|_| TurnSlot(counter.clone()))
    }
}

impl Drop for TurnSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A tool call awaiting approval: `{id, name, input?}`.
pub type ToolCall = Map<String, Value>;

/// Which handler a turn runs, chosen by the query's `event` (agents-protocol.md §4.2, §6.3).
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Message,
    Action,
    Reaction,
    Resolve,
    /// An approval click, for an agent with an approval handler.
    ToolApproval {
        tool_call: ToolCall,
        approved: bool,
        /// The approval card's platform message id (`""` when the click did not say).
        approval_message_id: String,
        /// Show typing and delete the card before calling the handler (a framework-owned approval).
        clean_up_card: bool,
    },
    /// The event's optional handler is not registered: nothing runs.
    Skip,
    /// Not one of the four events: the turn fails with this error.
    Unknown(AgentError),
}

/// What an error handler's result asks for (agents-protocol.md §7.2 item 3).
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorReply {
    /// `{"suppress": true}`: handled, nothing sent.
    Suppress,
    /// Looks like content: reply with it (the reply may still refuse it).
    Reply(Value),
    /// Anything else: the error is reported.
    Unhandled,
}

impl ErrorReply {
    pub fn of(value: &Value) -> ErrorReply {
        match value {
            Value::Object(map) if map.get("suppress") == Some(&Value::Bool(true)) => ErrorReply::Suppress,
            Value::String(_) => ErrorReply::Reply(value.clone()),
            Value::Object(map)
                if map.get("type").and_then(Value::as_str) == Some("card")
                    || ["markdown", "card", "files"].iter().any(|k| map.contains_key(*k)) =>
            {
                ErrorReply::Reply(value.clone())
            }
            _ => ErrorReply::Unhandled,
        }
    }
}

/// Settings of a turn's outbound calls.
#[derive(Clone)]
pub struct TurnConfig {
    pub secret_key: String,
    /// Time one POST may take.
    pub timeout: Duration,
    pub limits: AgentLimits,
}

#[derive(Default)]
struct State {
    effects: Effects,
    metadata: Map<String, Value>,
}

/// A running turn.
pub struct Turn {
    agent: AgentDefinition,
    event: String,
    body: Map<String, Value>,
    limits: AgentLimits,
    poster: Poster,
    state: Mutex<State>,
    transport: Mutex<Transport>,
    slot: Mutex<Option<TurnSlot>>,
}

impl std::fmt::Debug for Turn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Turn").field("agent", &self.agent.id).field("event", &self.event).finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep going with it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Turn {
    pub fn new(
        agent: AgentDefinition,
        event: String,
        request: TurnRequest,
        config: TurnConfig,
        slot: Option<TurnSlot>,
    ) -> Turn {
        let TurnRequest { body, target } = request;
        let ids = Ids {
            conversation_id: body.get("conversationId").cloned(),
            integration_identifier: body.get("integrationIdentifier").cloned(),
            agent_id: body.get("agentId").cloned(),
            turn_id: body.get("deliveryId").cloned(),
        };
        let transport = match target {
            Target::Reply(url) => Transport::reply(url, ids),
            Target::Events(url) => Transport::events(url, ids),
        };
        let metadata = body["conversation"].get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
        Turn {
            agent,
            event,
            body,
            limits: config.limits,
            poster: Poster { secret: config.secret_key, timeout: config.timeout },
            state: Mutex::new(State { effects: Effects::default(), metadata }),
            transport: Mutex::new(transport),
            slot: Mutex::new(slot),
        }
    }

    pub fn agent(&self) -> &AgentDefinition {
        &self.agent
    }

    /// The query's `event` (which handler runs); `ctx.event` is the body's.
    pub fn event(&self) -> &str {
        &self.event
    }

    /// The request body, as received.
    pub fn body(&self) -> &Map<String, Value> {
        &self.body
    }

    fn history(&self) -> &[Value] {
        self.body.get("history").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
    }

    /// Queues `run-start` (event mode).
    pub fn begin(&self) {
        lock(&self.transport).queue_run_start();
    }

    /// The handler to run.
    pub fn call(&self) -> Call {
        let h = &self.agent.handlers;
        match self.event.as_str() {
            "onMessage" => Call::Message,
            "onAction" => {
                let action = self.body.get("action").and_then(Value::as_object);
                let parsed =
                    action.and_then(|a| a.get("id")).and_then(Value::as_str).and_then(parse_approval_action_id);
                match parsed {
                    Some(click) if h.on_tool_approval => {
                        let source = action.and_then(|a| a.get("sourceMessageId")).and_then(Value::as_str);
                        Call::ToolApproval {
                            tool_call: tool_call_for(self.history(), &click.approval_id),
                            approved: click.approved,
                            approval_message_id: source.unwrap_or_default().to_string(),
                            clean_up_card: h.framework_owns_approval,
                        }
                    }
                    _ if h.on_action => Call::Action,
                    _ => Call::Skip,
                }
            }
            "onReaction" if h.on_reaction => Call::Reaction,
            "onResolve" if h.on_resolve => Call::Resolve,
            "onReaction" | "onResolve" => Call::Skip,
            other => Call::Unknown(AgentError::new(format!(
                "Invalid query string: `action`=`{other}`. Please use one of `onMessage`, `onAction`, `onResolve`, `onReaction`"
            ))),
        }
    }

    // Queued side effects.

    pub fn metadata_get(&self, key: &str) -> Option<Value> {
        lock(&self.state).metadata.get(key).cloned()
    }

    pub fn metadata_current(&self) -> Map<String, Value> {
        lock(&self.state).metadata.clone()
    }

    pub fn metadata_set(&self, key: &str, value: Value) {
        let mut s = lock(&self.state);
        s.metadata.insert(key.to_string(), value.clone());
        s.effects.signals.push(signals::metadata_set(key, value));
    }

    pub fn metadata_delete(&self, key: &str) {
        let mut s = lock(&self.state);
        s.metadata.shift_remove(key);
        s.effects.signals.push(signals::metadata_delete(key));
    }

    pub fn metadata_clear(&self) {
        let mut s = lock(&self.state);
        s.metadata.clear();
        s.effects.signals.push(signals::metadata_clear());
    }

    /// Queues a workflow trigger; `options` (`to`, `payload`, ...) go first, in the caller's order.
    pub fn trigger(&self, workflow_id: &str, options: Map<String, Value>) {
        lock(&self.state).effects.signals.push(signals::trigger(workflow_id, options));
    }

    /// Queues a human interaction and returns its request id.
    pub fn human(
        &self,
        kind: HumanKind,
        prompt: &str,
        choices: Option<Vec<String>>,
        options: HumanOptions,
    ) -> Result<String, AgentError> {
        let (signal, id) = signals::human(kind, prompt, choices, options)?;
        lock(&self.state).effects.signals.push(signal);
        Ok(id)
    }

    pub fn add_reaction(&self, message_id: &str, emoji_name: &str) {
        lock(&self.state).effects.reactions.push(json!({"messageId": message_id, "emojiName": emoji_name}));
    }

    pub fn delete_message(&self, message_id: &str) {
        lock(&self.state).effects.deletes.push(json!({"messageId": message_id}));
    }

    /// Marks the conversation resolved (the last call wins).
    pub fn resolve(&self, summary: Option<String>) {
        let value = match summary {
            Some(s) => json!({"summary": s}),
            None => json!({}),
        };
        lock(&self.state).effects.resolve = Some(value);
    }

    /// Queues an approval request `{approvalId, toolCallId, name, input?}`; one at a time until the next reply.
    pub fn queue_tool_approval(
        &self,
        approval_id: &str,
        tool_call_id: &str,
        name: &str,
        input: Option<Map<String, Value>>,
    ) -> Result<(), AgentError> {
        let mut s = lock(&self.state);
        if s.effects.approval.is_some() {
            return Err(AgentError::new("Only one tool approval request can be queued before the next reply"));
        }
        let mut request = Map::new();
        request.insert("approvalId".into(), approval_id.into());
        request.insert("toolCallId".into(), tool_call_id.into());
        request.insert("name".into(), name.into());
        if let Some(input) = input {
            request.insert("input".into(), Value::Object(input));
        }
        s.effects.approval = Some(Value::Object(request));
        Ok(())
    }

    /// Whether a rendered approval message is Novu's own approval card (posted with
    /// [`Turn::reply_approval_card`]) rather than content to reply with.
    pub fn is_approval_card(rendered: &Value) -> bool {
        rendered.get("type").and_then(Value::as_str) == Some("tool-approval-card")
    }

    /// Queues a tool's result `{toolCallId, toolName?, output, preview?}`.
    pub fn add_tool_result(&self, result: Map<String, Value>) {
        lock(&self.state).effects.tool_results.push(Value::Object(result));
    }

    fn take_effects(&self) -> Effects {
        std::mem::take(&mut lock(&self.state).effects)
    }

    // Outbound calls.

    /// Posts a message with the queued side effects.
    pub fn reply(&self, content: Content, files: Vec<FileSpec>) -> Result<Handle, AgentError> {
        let message = Message::new(content, files, self.limits.max_reply_bytes)?;
        let effects = self.take_effects();
        lock(&self.transport)
            .send_reply(&self.poster, &message, effects)?
            .ok_or_else(|| AgentError::new("Agent reply did not return a message handle"))
    }

    /// Posts an approval card (`{"type": "tool-approval-card", ...}`) with the queued side effects;
    /// `None` in event mode, where the card has no address.
    pub fn reply_approval_card(&self, card: Value) -> Result<Option<Handle>, AgentError> {
        let effects = self.take_effects();
        lock(&self.transport).send_approval_card(&self.poster, card, effects)
    }

    pub fn edit(&self, message_id: &str, content: Content, files: Vec<FileSpec>) -> Result<Handle, AgentError> {
        let message = Message::new(content, files, self.limits.max_reply_bytes)?;
        lock(&self.transport)
            .edit(&self.poster, message_id, &message)?
            .ok_or_else(|| AgentError::new("Agent edit did not return a message handle"))
    }

    pub fn delete(&self, message_id: &str) -> Result<(), AgentError> {
        lock(&self.transport).delete(&self.poster, message_id)
    }

    pub fn typing(&self, typing: &Typing) -> Result<(), AgentError> {
        lock(&self.transport).typing(&self.poster, typing)
    }

    /// A custom event, sent at once in event mode; nothing in reply mode.
    pub fn emit(&self, name: &str, data: Value) -> Result<(), AgentError> {
        lock(&self.transport).emit_custom(&self.poster, name, data)
    }

    /// Sends what is still queued, if anything.
    pub fn flush(&self) -> Result<(), AgentError> {
        let effects = self.take_effects();
        if effects.is_empty() {
            return Ok(());
        }
        lock(&self.transport).flush_effects(&self.poster, effects)
    }

    // Lifecycle.

    /// Delivers what a handler returned: nothing, or a reply.
    pub fn deliver(&self, returned: Option<Content>) -> Result<(), AgentError> {
        match returned {
            Some(content) => self.reply(content, Vec::new()).map(drop),
            None => Ok(()),
        }
    }

    /// `run-finish` (event mode): the turn completed or its error was handled.
    pub fn run_finish(&self) -> Result<(), AgentError> {
        lock(&self.transport).run_finish(&self.poster)
    }

    /// Reports an unhandled failure.
    pub fn report_error(&self, message: &str) -> Result<(), AgentError> {
        lock(&self.transport).report_error(&self.poster, message)
    }

    /// The end of every turn: stop typing, then send what is still queued (skipped when stopping fails).
    pub fn close(&self) -> Result<(), AgentError> {
        self.typing(&Typing::Stop)?;
        self.flush()
    }

    /// Gives the turn's place among the running turns back (also done when the turn is dropped), so that
    /// a context kept alive by user code cannot hold it.
    pub fn release(&self) {
        lock(&self.slot).take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::registry::Handlers;

    fn turn(event: &str, handlers: Handlers, body: Value) -> Turn {
        let mut body = body.as_object().unwrap().clone();
        body.entry("conversation").or_insert(json!({"metadata": {"old": "x", "step": 1}}));
        let request = TurnRequest { body, target: Target::Reply("http://127.0.0.1:9/r".into()) };
        let config =
            TurnConfig { secret_key: "k".into(), timeout: Duration::from_secs(1), limits: AgentLimits::default() };
        Turn::new(AgentDefinition { id: "a".into(), handlers }, event.into(), request, config, None)
    }

    #[test]
    fn the_query_event_chooses_the_handler() {
        let all = Handlers {
            on_action: true,
            on_reaction: true,
            on_resolve: true,
            on_tool_approval: true,
            ..Handlers::default()
        };
        let none = Handlers::default();
        assert_eq!(turn("onMessage", none, json!({})).call(), Call::Message);
        assert_eq!(turn("onReaction", all, json!({})).call(), Call::Reaction);
        assert_eq!(turn("onReaction", none, json!({})).call(), Call::Skip);
        assert_eq!(turn("onResolve", all, json!({})).call(), Call::Resolve);
        assert_eq!(turn("onAction", all, json!({"action": null})).call(), Call::Action);
        assert_eq!(turn("onAction", none, json!({"action": {"id": "x"}})).call(), Call::Skip);
        let Call::Unknown(e) = turn("onFoo", all, json!({})).call() else { panic!() };
        assert_eq!(
            e.message,
            "Invalid query string: `action`=`onFoo`. Please use one of `onMessage`, `onAction`, `onResolve`, `onReaction`"
        );
        assert!(matches!(turn("", all, json!({})).call(), Call::Unknown(_)));
    }

    #[test]
    fn approval_clicks_need_an_approval_handler() {
        let body = json!({"action": {"id": "tool-approval:deny:ap", "sourceMessageId": "m9"},
            "history": [{"type": "tool_approval_request", "toolData": {"approvalId": "ap", "toolCallId": "tc", "toolName": "refund"}}]});
        let with =
            Handlers { on_tool_approval: true, on_action: true, framework_owns_approval: true, ..Handlers::default() };
        assert_eq!(
            turn("onAction", with, body.clone()).call(),
            Call::ToolApproval {
                tool_call: json!({"id": "tc", "name": "refund"}).as_object().unwrap().clone(),
                approved: false,
                approval_message_id: "m9".into(),
                clean_up_card: true,
            }
        );
        let without = Handlers { on_action: true, ..Handlers::default() };
        assert_eq!(turn("onAction", without, body).call(), Call::Action);
    }

    #[test]
    fn metadata_is_a_working_copy_with_signals() {
        let t = turn("onMessage", Handlers::default(), json!({}));
        t.metadata_set("step", json!(2));
        t.metadata_delete("old");
        assert_eq!(Value::Object(t.metadata_current()), json!({"step": 2}));
        assert_eq!(t.metadata_get("step"), Some(json!(2)));
        t.metadata_clear();
        assert!(t.metadata_current().is_empty());
        let effects = t.take_effects();
        assert_eq!(effects.signals.len(), 3);
        assert_eq!(effects.signals[2], json!({"type": "metadata", "action": "clear"}));
        assert!(t.take_effects().is_empty());
    }

    #[test]
    fn one_approval_request_at_a_time() {
        let t = turn("onMessage", Handlers::default(), json!({}));
        t.queue_tool_approval("x", "y", "z", None).unwrap();
        assert_eq!(lock(&t.state).effects.approval, Some(json!({"approvalId": "x", "toolCallId": "y", "name": "z"})));
        assert_eq!(
            t.queue_tool_approval("x", "y", "z", None).unwrap_err().message,
            "Only one tool approval request can be queued before the next reply"
        );
    }

    #[test]
    fn error_handler_results_are_classified_like_upstream() {
        assert_eq!(ErrorReply::of(&json!({"suppress": true})), ErrorReply::Suppress);
        assert_eq!(ErrorReply::of(&json!({"suppress": 1})), ErrorReply::Unhandled);
        assert_eq!(ErrorReply::of(&json!("sorry")), ErrorReply::Reply(json!("sorry")));
        assert_eq!(ErrorReply::of(&json!({"markdown": "x"})), ErrorReply::Reply(json!({"markdown": "x"})));
        assert!(matches!(ErrorReply::of(&json!({"type": "card"})), ErrorReply::Reply(_)));
        assert_eq!(ErrorReply::of(&json!(null)), ErrorReply::Unhandled);
        assert_eq!(ErrorReply::of(&json!(3)), ErrorReply::Unhandled);
    }

    #[test]
    fn slots_are_bounded_and_given_back() {
        let counter = Arc::new(AtomicUsize::new(0));
        let a = TurnSlot::acquire(&counter, 2).unwrap();
        let _b = TurnSlot::acquire(&counter, 2).unwrap();
        assert!(TurnSlot::acquire(&counter, 2).is_none());
        drop(a);
        assert!(TurnSlot::acquire(&counter, 2).is_some());
        assert_eq!(counter.load(Ordering::SeqCst), 1);
    }
}
