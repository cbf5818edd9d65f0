//! Conversational agents (`POST ?action=agent-event`, agents-protocol.md): the registry and discover's
//! `agents` list, the checks a request passes before it is acknowledged, the turn (its side-effect queue,
//! metadata and handler selection) and the two ways a turn talks back to Novu (reply mode and event mode).
//!
//! The core runs no user code: a binding asks the [`Turn`] which handler to call, calls it, and hands the
//! outcome back. Every outbound call is blocking HTTP, made by the core (bindings release their runtime
//! lock around it).

mod approval;
mod content;
mod error;
mod registry;
mod request;
mod signals;
mod transport;
mod turn;

pub use approval::{ApprovalAction, approval_action_id, parse_approval_action_id};
pub use content::{Content, FileData, FileSpec, INVALID_CONTENT, MAX_INLINE_FILE_BYTES};
pub use error::{AgentError, Delivery};
pub use registry::{AgentDefinition, Handlers, Registry};
pub use request::{Target, TurnRequest, untrusted_target, validate};
pub use signals::{HumanKind, HumanOptions};
pub use turn::{Call, ErrorReply, Handle, ToolCall, Turn, TurnConfig, TurnSlot, Typing};

/// Limits on what an agent turn accepts and sends (each configurable; answered with an error naming it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentLimits {
    /// Most `history` entries a request may carry (413 `PayloadTooLargeError` past it).
    pub max_history: usize,
    /// Largest reply or edit content (the markdown text, or the card as JSON), in bytes; files have their own
    /// 5 MB limit. Past it the reply fails the turn with an `AgentError` naming the limit.
    pub max_reply_bytes: usize,
    /// Most turns running at once per bridge; past it a request is answered 503 instead of being dropped.
    pub max_turns_in_flight: usize,
}

impl Default for AgentLimits {
    fn default() -> Self {
        AgentLimits { max_history: 1000, max_reply_bytes: 256 << 10, max_turns_in_flight: 64 }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::dispatch::{AgentDispatch, Bridge, BridgeConfig, Dispatch, Request};
    use crate::hmac::Signer;

    const NOW: f64 = 1_700_000_000_000.0;

    fn bridge(strict: bool, max_turns: usize) -> Bridge {
        let config = BridgeConfig {
            secret_key: "sk".into(),
            strict_authentication: strict,
            api_url: "http://127.0.0.1:4199".into(),
            agents: AgentLimits { max_turns_in_flight: max_turns, ..AgentLimits::default() },
            ..BridgeConfig::default()
        };
        let bot = AgentDefinition { id: "bot".into(), handlers: Handlers::default() };
        Bridge::with_agents(Vec::new(), vec![bot], config).unwrap()
    }

    fn send(bridge: &Bridge, query: &str, body: &Value, signed: bool) -> Dispatch {
        let text = body.to_string();
        let header = Signer::new("sk").header(NOW as i64, text.as_bytes());
        let request = Request {
            method: "POST",
            query,
            signature: if signed { header.as_deref() } else { None },
            legacy_signature: None,
            body: text.as_bytes(),
        };
        bridge.dispatch_at(&request, NOW)
    }

    fn answer(d: &Dispatch) -> (u16, Value) {
        let r = match d {
            Dispatch::Respond(r) => r,
            Dispatch::Agent(AgentDispatch { response, .. }) => response,
            other => panic!("unexpected {other:?}"),
        };
        (r.status, serde_json::from_slice(r.body.as_bytes()).unwrap())
    }

    fn event(reply_url: &str) -> Value {
        json!({"replyUrl": reply_url, "conversation": {}, "message": {"text": "hi"}})
    }

    const QUERY: &str = "action=agent-event&agentId=bot&event=onMessage";

    #[test]
    fn signature_first_then_the_agent_then_the_body() {
        let b = bridge(true, 64);
        let ok = event("http://127.0.0.1:4199/v1/agents/bot/reply");
        assert_eq!(answer(&send(&b, "action=agent-event&agentId=nope", &json!({}), false)).0, 401);
        let (status, body) = answer(&send(&b, "action=agent-event&agentId=nope", &ok, true));
        assert_eq!((status, body), (404, json!({"error": "Agent 'nope' not registered"})));
        assert_eq!(answer(&send(&b, QUERY, &json!({}), true)).0, 400);
        let accepted = send(&b, QUERY, &ok, true);
        assert_eq!(answer(&accepted), (200, json!({"status": "ack"})));
        let Dispatch::Agent(AgentDispatch { turn, .. }) = accepted else { panic!() };
        assert_eq!((turn.agent().id.as_str(), turn.event(), turn.call()), ("bot", "onMessage", Call::Message));
        assert_eq!(b.turns_in_flight(), 1);
        drop(turn);
        assert_eq!(b.turns_in_flight(), 0);
    }

    #[test]
    fn foreign_urls_are_refused_only_without_strict_authentication() {
        let foreign = event("http://127.0.0.1:4198/v1/agents/bot/reply");
        let lax = send(&bridge(false, 64), QUERY, &foreign, false);
        let Dispatch::Respond(ref refused) = lax else { panic!("nothing runs for a refused event: {lax:?}") };
        let (code, message) = refused.error_summary().unwrap();
        assert_eq!((refused.status, code.as_str()), (403, "UntrustedAgentUrlError"));
        assert!(message.starts_with("Refused an unsigned agent event") && !message.contains("sk"), "{message}");
        assert_eq!(answer(&send(&bridge(true, 64), QUERY, &foreign, true)).0, 200);
    }

    #[test]
    fn turns_past_the_bound_are_answered_503() {
        let b = bridge(true, 1);
        let ok = event("http://127.0.0.1:4199/v1/agents/bot/reply");
        let first = send(&b, QUERY, &ok, true);
        let (status, body) = answer(&send(&b, QUERY, &ok, true));
        assert_eq!((status, &body["code"]), (503, &json!("TooManyAgentTurnsError")));
        drop(first);
        assert_eq!(answer(&send(&b, QUERY, &ok, true)).0, 200);
    }
}
