//! The two ways a turn talks back to Novu (agents-protocol.md §5): reply mode, one POST per operation to
//! `replyUrl`, and event mode, batches of sequenced event envelopes to `eventsUrl`, retried.

use std::thread::sleep;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::content::Message;
use super::error::AgentError;
use crate::ids;
use crate::json;
use crate::novu_api::{ApiError, post_json};

/// A message the API addressed: its platform id and thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    pub message_id: String,
    pub platform_thread_id: String,
}

/// Side effects queued by a turn, sent with the next reply or flushed on their own.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Effects {
    pub approval: Option<Value>,
    pub signals: Vec<Value>,
    pub tool_results: Vec<Value>,
    pub reactions: Vec<Value>,
    pub deletes: Vec<Value>,
    pub resolve: Option<Value>,
}

impl Effects {
    pub fn is_empty(&self) -> bool {
        self.approval.is_none()
            && self.signals.is_empty()
            && self.tool_results.is_empty()
            && self.reactions.is_empty()
            && self.deletes.is_empty()
            && self.resolve.is_none()
    }

    /// Reply mode: the non-empty ones as body keys, in upstream's order.
    fn attach(self, body: &mut Map<String, Value>) {
        if let Some(approval) = self.approval {
            body.insert("toolApprovalRequest".into(), approval);
        }
        for (key, list) in [
            ("signals", self.signals),
            ("toolResults", self.tool_results),
            ("addReactions", self.reactions),
            ("deleteMessages", self.deletes),
        ] {
            if !list.is_empty() {
                body.insert(key.into(), Value::Array(list));
            }
        }
        if let Some(resolve) = self.resolve {
            body.insert("resolve".into(), resolve);
        }
    }

    /// Event mode: one event per effect, in upstream's order.
    fn events(self, deliver_card: bool) -> Vec<Value> {
        let mut out = Vec::new();
        if let Some(approval) = self.approval {
            let mut e = Map::new();
            e.insert("type".into(), "tool-approval-request".into());
            for (to, from) in
                [("approvalId", "approvalId"), ("toolUseId", "toolCallId"), ("toolName", "name"), ("input", "input")]
            {
                if let Some(v) = approval.get(from) {
                    e.insert(to.into(), v.clone());
                }
            }
            if deliver_card {
                e.insert("deliverCard".into(), true.into());
            }
            out.push(Value::Object(e));
        }
        for result in self.tool_results {
            let preview = match result.get("preview") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => json::stringify(other),
            };
            let mut value = Map::new();
            value.insert("type".into(), "json".into());
            if let Some(output) = result.get("output") {
                value.insert("value".into(), output.clone());
            }
            let mut e = Map::new();
            e.insert("type".into(), "tool-use-result".into());
            if let Some(id) = result.get("toolCallId") {
                e.insert("toolUseId".into(), id.clone());
            }
            e.insert("content".into(), json!([{"type": "text", "text": preview}, Value::Object(value)]));
            out.push(Value::Object(e));
        }
        out.extend(self.signals.into_iter().map(|signal| json!({"type": "signal", "signal": signal})));
        for r in self.reactions {
            out.push(
                json!({"type": "channel.reaction", "messageId": r["messageId"], "emoji": r["emojiName"], "op": "add"}),
            );
        }
        for d in self.deletes {
            out.push(json!({"type": "channel.delete", "messageId": d["messageId"]}));
        }
        if let Some(resolve) = self.resolve {
            let mut e = Map::new();
            e.insert("type".into(), "resolve".into());
            if let Some(summary) = resolve.get("summary") {
                e.insert("summary".into(), summary.clone());
            }
            out.push(Value::Object(e));
        }
        out
    }
}

/// What the typing indicator should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typing {
    /// Show it, with this status text or the platform's default.
    On(Option<String>),
    Stop,
}

/// How outbound calls are made: the secret key and the time each POST may take.
#[derive(Clone)]
pub(crate) struct Poster {
    pub secret: String,
    pub timeout: Duration,
}

impl Poster {
    fn post(&self, url: &str, body: &Value) -> Result<(u16, String), ApiError> {
        let answer = post_json(url, &self.secret, &json::stringify(body), self.timeout)?;
        Ok((answer.status, String::from_utf8_lossy(&answer.body).into_owned()))
    }
}

/// Reply mode or event mode, chosen by the request.
pub(crate) enum Transport {
    Reply(Replies),
    Events(Outbox),
}

/// Identifiers the request gave, copied into every outbound body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    pub conversation_id: Option<Value>,
    pub integration_identifier: Option<Value>,
    pub agent_id: Option<Value>,
    pub turn_id: Option<Value>,
}

pub(crate) struct Replies {
    url: String,
    ids: Ids,
}

impl Transport {
    pub fn reply(url: String, ids: Ids) -> Transport {
        Transport::Reply(Replies { url, ids })
    }

    pub fn events(url: String, ids: Ids) -> Transport {
        Transport::Events(Outbox {
            url,
            run_id: format!("run_{}", ids::uuid_v4()),
            ids,
            sequence: 0,
            buffer: Vec::new(),
        })
    }

    pub fn queue_run_start(&mut self) {
        if let Transport::Events(o) = self {
            o.enqueue(json!({"type": "run-start"}));
        }
    }

    pub fn send_reply(
        &mut self,
        poster: &Poster,
        message: &Message,
        effects: Effects,
    ) -> Result<Option<Handle>, AgentError> {
        match self {
            Transport::Reply(r) => {
                let mut body = r.base();
                body.insert("reply".into(), message.reply_json());
                effects.attach(&mut body);
                r.post(poster, body)
            }
            Transport::Events(o) => {
                let message_id = format!("msg_{}", ids::uuid_v4());
                let mut events = effects.events(false);
                let mut e = Map::new();
                e.insert("type".into(), "message".into());
                e.insert("role".into(), "assistant".into());
                e.insert("messageId".into(), message_id.clone().into());
                e.insert("content".into(), message.content_json());
                if let Some(files) = message.event_files() {
                    e.insert("files".into(), files);
                }
                events.push(Value::Object(e));
                o.emit_all(poster, events)?;
                Ok(Some(Handle { message_id, platform_thread_id: String::new() }))
            }
        }
    }

    /// `Ok(None)` in event mode, where the card has no address (its handle does nothing).
    pub fn send_approval_card(
        &mut self,
        poster: &Poster,
        card: Value,
        effects: Effects,
    ) -> Result<Option<Handle>, AgentError> {
        match self {
            Transport::Reply(r) => {
                let mut body = r.base();
                body.insert("reply".into(), json!({"toolApprovalCard": card}));
                effects.attach(&mut body);
                match r.post(poster, body)? {
                    Some(handle) => Ok(Some(handle)),
                    None => Err(AgentError::new("Agent approval card reply did not return a message handle")),
                }
            }
            Transport::Events(o) => {
                o.emit_all(poster, effects.events(true))?;
                Ok(None)
            }
        }
    }

    pub fn edit(&mut self, poster: &Poster, message_id: &str, message: &Message) -> Result<Option<Handle>, AgentError> {
        match self {
            Transport::Reply(r) => {
                let mut body = r.base();
                body.insert("edit".into(), json!({"messageId": message_id, "content": message.reply_json()}));
                r.post(poster, body)
            }
            Transport::Events(o) => {
                let mut e = Map::new();
                e.insert("type".into(), "channel.edit".into());
                e.insert("messageId".into(), message_id.into());
                e.insert("content".into(), message.content_json());
                if let Some(files) = message.event_files() {
                    e.insert("files".into(), files);
                }
                o.emit_all(poster, vec![Value::Object(e)])?;
                Ok(Some(Handle { message_id: message_id.into(), platform_thread_id: String::new() }))
            }
        }
    }

    pub fn delete(&mut self, poster: &Poster, message_id: &str) -> Result<(), AgentError> {
        match self {
            Transport::Reply(r) => {
                let mut body = r.base();
                body.insert("deleteMessages".into(), json!([{"messageId": message_id}]));
                r.post(poster, body).map(drop)
            }
            Transport::Events(o) => {
                o.emit_all(poster, vec![json!({"type": "channel.delete", "messageId": message_id})])
            }
        }
    }

    pub fn typing(&mut self, poster: &Poster, typing: &Typing) -> Result<(), AgentError> {
        match self {
            Transport::Reply(r) => {
                let value = match typing {
                    Typing::Stop => json!("stop"),
                    Typing::On(None) => json!({}),
                    Typing::On(Some(status)) => json!({"status": status}),
                };
                let mut body = r.base();
                body.insert("typing".into(), value);
                r.post(poster, body).map(drop)
            }
            Transport::Events(o) => {
                let event = match typing {
                    Typing::Stop => json!({"type": "channel.typing", "state": "off"}),
                    Typing::On(None) => json!({"type": "channel.typing", "state": "on"}),
                    Typing::On(Some(status)) => json!({"type": "channel.typing", "state": "on", "status": status}),
                };
                o.emit_all(poster, vec![event])
            }
        }
    }

    pub fn flush_effects(&mut self, poster: &Poster, effects: Effects) -> Result<(), AgentError> {
        match self {
            Transport::Reply(r) => {
                let mut body = r.base();
                effects.attach(&mut body);
                r.post(poster, body).map(drop)
            }
            Transport::Events(o) => o.emit_all(poster, effects.events(false)),
        }
    }

    /// A custom event; nothing in reply mode.
    pub fn emit_custom(&mut self, poster: &Poster, name: &str, data: Value) -> Result<(), AgentError> {
        match self {
            Transport::Reply(_) => Ok(()),
            Transport::Events(o) => o.emit_all(poster, vec![json!({"type": "custom", "name": name, "data": data})]),
        }
    }

    pub fn run_finish(&mut self, poster: &Poster) -> Result<(), AgentError> {
        match self {
            Transport::Reply(_) => Ok(()),
            Transport::Events(o) => o.emit_all(poster, vec![json!({"type": "run-finish", "outcome": "completed"})]),
        }
    }

    /// Reply mode sends `error: true` (no text); event mode `run-error` with the message.
    pub fn report_error(&mut self, poster: &Poster, message: &str) -> Result<(), AgentError> {
        match self {
            Transport::Reply(r) => {
                let mut body = r.base();
                body.insert("error".into(), true.into());
                r.post(poster, body).map(drop)
            }
            Transport::Events(o) => {
                let message = if message.is_empty() { "agent handler failed" } else { message };
                o.emit_all(poster, vec![json!({"type": "run-error", "message": message})])
            }
        }
    }
}

impl Replies {
    fn base(&self) -> Map<String, Value> {
        let mut body = Map::new();
        if let Some(v) = &self.ids.conversation_id {
            body.insert("conversationId".into(), v.clone());
        }
        if let Some(v) = &self.ids.integration_identifier {
            body.insert("integrationIdentifier".into(), v.clone());
        }
        body
    }

    /// One POST, never retried; a 2xx answer may carry the message's handle (wrapped in `data` or bare).
    fn post(&self, poster: &Poster, body: Map<String, Value>) -> Result<Option<Handle>, AgentError> {
        let (status, text) =
            poster.post(&self.url, &Value::Object(body)).map_err(|e| AgentError::new(e.to_string()))?;
        if !(200..300).contains(&status) {
            return Err(AgentError::delivery(status, text));
        }
        Ok(handle_from(&text))
    }
}

fn handle_from(text: &str) -> Option<Handle> {
    if text.is_empty() {
        return None;
    }
    let value = json::parse(text.as_bytes()).ok()?;
    let data = match &value {
        Value::Object(map) if map.contains_key("data") => &map["data"],
        other => other,
    };
    let message_id = data.get("messageId")?.as_str()?;
    let platform_thread_id = data.get("platformThreadId")?.as_str()?;
    Some(Handle { message_id: message_id.into(), platform_thread_id: platform_thread_id.into() })
}

/// Event mode: envelopes numbered per turn, posted in order, one batch at a time.
pub(crate) struct Outbox {
    url: String,
    run_id: String,
    ids: Ids,
    sequence: u64,
    buffer: Vec<Value>,
}

/// Attempts per batch, and the wait before each retry (upstream's 250 ms, then 500 ms).
const ATTEMPTS: u32 = 3;
const RETRY_WAIT: Duration = Duration::from_millis(250);

impl Outbox {
    fn enqueue(&mut self, event: Value) {
        self.sequence += 1;
        let mut envelope = Map::new();
        envelope.insert("version".into(), 1.into());
        if let Some(v) = &self.ids.conversation_id {
            envelope.insert("conversationId".into(), v.clone());
        }
        if let Some(v) = &self.ids.agent_id {
            envelope.insert("agentId".into(), v.clone());
        }
        envelope.insert("runId".into(), self.run_id.clone().into());
        if let Some(v) = &self.ids.turn_id {
            envelope.insert("turnId".into(), v.clone());
        }
        envelope.insert("sequence".into(), self.sequence.into());
        envelope.insert("timestamp".into(), ids::now_iso().into());
        envelope.insert("event".into(), event);
        self.buffer.push(Value::Object(envelope));
    }

    /// Queues the events and posts everything buffered (nothing when there is nothing).
    fn emit_all(&mut self, poster: &Poster, events: Vec<Value>) -> Result<(), AgentError> {
        for event in events {
            self.enqueue(event);
        }
        if self.buffer.is_empty() {
            return Ok(());
        }
        let batch = json!({"events": std::mem::take(&mut self.buffer)});
        // A batch is resent unchanged (same sequences), so the receiver can drop duplicates. Unlike upstream, a
        // batch that finally failed does not stop later batches of the turn from being sent.
        let mut attempt = 1;
        loop {
            let error = match poster.post(&self.url, &batch) {
                Ok((status, _)) if (200..300).contains(&status) => return Ok(()),
                Ok((status, text)) => AgentError::delivery(status, text),
                Err(e) => AgentError::delivery(0, e.to_string()),
            };
            let status = error.delivery.as_ref().map_or(0, |d| d.status_code);
            let retryable = status == 0 || status >= 500 || status == 408 || status == 429;
            if !retryable || attempt >= ATTEMPTS {
                return Err(error);
            }
            sleep(RETRY_WAIT * attempt);
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_come_wrapped_or_bare() {
        let h = Handle { message_id: "m".into(), platform_thread_id: "t".into() };
        assert_eq!(handle_from(r#"{"data":{"messageId":"m","platformThreadId":"t"}}"#), Some(h.clone()));
        assert_eq!(handle_from(r#"{"messageId":"m","platformThreadId":"t"}"#), Some(h));
        assert_eq!(handle_from(""), None);
        assert_eq!(handle_from("not json"), None);
        assert_eq!(handle_from(r#"{"data":{"messageId":"m"}}"#), None);
        assert_eq!(handle_from(r#"{"data":null,"messageId":"m","platformThreadId":"t"}"#), None);
    }

    #[test]
    fn effects_keep_upstream_order_in_both_modes() {
        let effects = || Effects {
            approval: Some(json!({"approvalId": "a", "toolCallId": "c", "name": "n"})),
            signals: vec![json!({"type": "metadata", "action": "clear"})],
            tool_results: vec![json!({"toolCallId": "c", "toolName": "n", "output": {"ok": true}, "preview": "p"})],
            reactions: vec![json!({"messageId": "m", "emojiName": "x"})],
            deletes: vec![json!({"messageId": "d"})],
            resolve: Some(json!({})),
        };
        let mut body = Map::new();
        effects().attach(&mut body);
        let keys: Vec<&str> = body.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["toolApprovalRequest", "signals", "toolResults", "addReactions", "deleteMessages", "resolve"]
        );
        let types: Vec<Value> = effects().events(true).iter().map(|e| e["type"].clone()).collect();
        assert_eq!(
            types,
            [
                json!("tool-approval-request"),
                json!("tool-use-result"),
                json!("signal"),
                json!("channel.reaction"),
                json!("channel.delete"),
                json!("resolve")
            ]
        );
        let events = effects().events(true);
        assert_eq!(
            events[0],
            json!({"type": "tool-approval-request", "approvalId": "a", "toolUseId": "c", "toolName": "n", "deliverCard": true})
        );
        assert_eq!(
            events[1],
            json!({"type": "tool-use-result", "toolUseId": "c", "content": [{"type": "text", "text": "p"}, {"type": "json", "value": {"ok": true}}]})
        );
        assert_eq!(events[5], json!({"type": "resolve"}));
        assert!(Effects::default().is_empty() && !effects().is_empty());
    }
}
