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
