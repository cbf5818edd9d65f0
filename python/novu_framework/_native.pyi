"""Type stub of the private native module (the Rust core, built by maturin)."""

from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any, Literal, final, overload

__version__: str
SDK_VERSION: str

class Halt(BaseException):
    """Stops a workflow function once its target step has run."""

@final
class WorkflowHandle:
    @property
    def workflow_id(self) -> str: ...
    @property
    def is_async(self) -> bool: ...
    def discover(self) -> dict[str, Any]: ...
    def run_local(self, to: Any, payload: Any, controls: Any = None) -> dict[str, Any]: ...
    def run_local_async(self, to: Any, payload: Any, controls: Any = None) -> Awaitable[dict[str, Any]]: ...
    def trigger(
        self,
        to: Any,
        payload: Any,
        *,
        transaction_id: str | None,
        actor: Any,
        overrides: Any,
        controls: Any,
        context: Any,
        bridge_url: str | None,
        api_url: str,
        secret_key: str,
        timeout: float,
        retries: int,
        backoff: float,
    ) -> tuple[int, Any, str]: ...

class _StepCall:
    def __call__(
        self,
        step_id: str,
        resolver: Any,
        *,
        control_schema: Any = None,
        skip: Any = None,
        providers: Mapping[str, Callable[..., Any]] | None = None,
        disable_output_sanitization: bool | None = None,
        controlSchema: Any = None,
        disableOutputSanitization: bool | None = None,
    ) -> Any: ...

class _CustomStepCall:
    def __call__(
        self,
        step_id: str,
        resolver: Any,
        *,
        control_schema: Any = None,
        skip: Any = None,
        output_schema: Any = None,
        controlSchema: Any = None,
        outputSchema: Any = None,
    ) -> Any: ...

@final
class Step:
    """The `step` object a workflow function receives; each method returns the step's result, or an
    awaitable of it in an async workflow (typed for users in `novu_framework.step`)."""

    email: _StepCall
    sms: _StepCall
    push: _StepCall
    chat: _StepCall
    in_app: _StepCall
    inApp: _StepCall
    tool: _StepCall
    delay: _StepCall
    digest: _StepCall
    throttle: _StepCall
    custom: _CustomStepCall

@final
class NativeFuture:
    def __await__(self) -> Generator[Any, None, Any]: ...
    def send(self, value: Any) -> Any: ...
    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any: ...
    def close(self) -> None: ...

@final
class Job:
    """Work for a worker thread (sync user code or a blocking HTTP call); returns `(status, body)`."""

    @property
    def runs_user_code(self) -> bool: ...
    def __call__(self) -> tuple[int, bytes]: ...

@final
class Bridge:
    def __init__(
        self,
        workflows: list[WorkflowHandle],
        *,
        secret_key: str,
        strict_authentication: bool,
        api_url: str,
        server_name: str,
        max_body_bytes: int | None = None,
        api_timeout: float | None = None,
        liquid_limits: Mapping[str, int] | None = None,
        secret_key_fallback: str | None = None,
        agents: list[tuple[str, dict[str, bool], Any]] | None = None,
        agent_limits: Mapping[str, int] | None = None,
    ) -> None: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def max_body_bytes(self) -> int: ...
    @property
    def max_turns_in_flight(self) -> int: ...
    @property
    def turns_in_flight(self) -> int: ...
    @overload
    def handle(
        self,
        method: str,
        path: str,
        query: bytes | str,
        signature: str | None,
        legacy_signature: str | None,
        body: bytes,
        *,
        asynchronous: Literal[False] = False,
    ) -> tuple[int, bytes] | tuple[int, bytes, Turn]: ...
    @overload
    def handle(
        self,
        method: str,
        path: str,
        query: bytes | str,
        signature: str | None,
        legacy_signature: str | None,
        body: bytes,
        *,
        asynchronous: Literal[True],
    ) -> tuple[int, bytes] | tuple[int, bytes, Turn] | Job | Awaitable[tuple[int, bytes]]: ...

@final
class Turn:
    """An acknowledged agent turn: run by `novu_framework._turns` once the ack is sent; the handlers' contexts
    call the rest."""

    @property
    def is_async(self) -> bool: ...
    @property
    def agent_id(self) -> str: ...
    @property
    def body(self) -> dict[str, Any]: ...
    def run(self) -> None: ...
    def run_async(self) -> NativeFuture: ...
    def metadata_get(self, key: str, default: Any = None) -> Any: ...
    def metadata_set(self, key: str, value: Any) -> None: ...
    def metadata_delete(self, key: str) -> None: ...
    def metadata_clear(self) -> None: ...
    def metadata_current(self) -> dict[str, Any]: ...
    def trigger(self, workflow_id: str, options: Mapping[str, Any]) -> None: ...
    def human(
        self,
        kind: str,
        prompt: str,
        choices: list[str] | None,
        sender: str | None,
        ttl_seconds: Any,
        to: Any,
    ) -> str: ...
    def add_reaction(self, message_id: str, emoji_name: str) -> None: ...
    def delete_message(self, message_id: str) -> None: ...
    def resolve(self, summary: str | None = None) -> None: ...
    def add_tool_result(
        self, tool_call_id: str, output: Any, tool_name: str | None = None, preview: str | None = None
    ) -> None: ...
    def queue_tool_approval(
        self, approval_id: str, tool_call_id: str, name: str, input: Mapping[str, Any] | None = None
    ) -> None: ...
    def reply(self, content: Any, files: Any = None) -> tuple[str, str]: ...
    def edit(self, message_id: str, content: Any, files: Any = None) -> tuple[str, str]: ...
    def delete(self, message_id: str) -> None: ...
    def typing(self, status: str | None, stop: bool) -> None: ...
    def emit(self, name: str, data: Any = None) -> None: ...
    def request_approval(
        self, approval_id: str, tool_call_id: str, name: str, input: Mapping[str, Any] | None, rendered: Any
    ) -> None: ...

def approval_action_ids(approval_id: str) -> tuple[str, str]: ...
def turns_pending() -> int: ...
def define_workflow(
    workflow_id: str,
    func: Callable[..., Any],
    *,
    is_async: bool,
    accepts: list[str],
    payload_factory: Callable[[Any, bool], tuple[Any, list[tuple[str, str]] | None]] | None,
    options: Mapping[str, Any],
    code: str,
) -> WorkflowHandle: ...
def discover_text(workflows: list[WorkflowHandle], indent: int = 2) -> str: ...
def sign(secret_key: str, payload: bytes, timestamp_ms: int) -> str: ...
def resolve_client(
    secret_key: str | None = None,
    strict_authentication: bool | str | None = None,
    api_url: str | None = None,
    secret_key_fallback: str | None = None,
) -> tuple[str, bool, str, str]: ...
def to_json(value: Any) -> bytes: ...
def openapi_operations() -> dict[str, dict[str, dict[str, Any]]]: ...
def error_from_answer(status: int, body: bytes) -> Exception: ...
def cancel_trigger(
    transaction_id: str, *, api_url: str, secret_key: str, timeout: float, retries: int, backoff: float
) -> Any: ...
def sync_bridge(
    bridge_url: str,
    *,
    api_url: str,
    secret_key: str,
    timeout: float,
    retries: int,
    backoff: float,
    source: str = "cli",
) -> Any: ...
