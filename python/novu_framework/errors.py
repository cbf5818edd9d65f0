"""Exceptions raised by novu-framework.

Every error the bridge answers over HTTP has a code (``ExecutionStateControlInvalidError``, ...) that
Novu Cloud and the dashboard match on; the same errors surface in Python as subclasses of
[`NovuError`][novu_framework.errors.NovuError] carrying ``code``, ``status``, ``message`` and ``data``.

Example:
    ```python
    from novu_framework.errors import WorkflowPayloadInvalidError

    try:
        order_shipped.run("subscriber-1", {"order_id": 5})
    except WorkflowPayloadInvalidError as e:
        print(e.status, e.data)  # 400 [{'path': '/order_id', 'message': 'must be string'}]
    ```
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AgentDeliveryError",
    "AgentError",
    "BridgeError",
    "ExecutionEventControlInvalidError",
    "ExecutionEventPayloadInvalidError",
    "ExecutionProviderOutputInvalidError",
    "ExecutionStateControlInvalidError",
    "ExecutionStateCorruptError",
    "ExecutionStateOutputInvalidError",
    "ExecutionStateResultInvalidError",
    "InvalidActionError",
    "InvalidRequestBodyError",
    "InvalidTriggerError",
    "InvalidWorkflowError",
    "MethodNotAllowedError",
    "MissingSecretKeyError",
    "NovuApiConnectionError",
    "NovuApiError",
    "NovuApiTimeoutError",
    "NovuError",
    "PayloadTooLargeError",
    "ProviderExecutionFailedError",
    "ProviderNotFoundError",
    "SignatureExpiredError",
    "SignatureInvalidError",
    "SignatureMismatchError",
    "SignatureNotFoundError",
    "SigningKeyNotFoundError",
    "StepAlreadyExistsError",
    "StepControlCompilationFailedError",
    "StepExecutionFailedError",
    "StepNotFoundError",
    "TooManyAgentTurnsError",
    "UntrustedAgentUrlError",
    "WorkflowAlreadyExistsError",
    "WorkflowNotFoundError",
    "WorkflowPayloadInvalidError",
]


class NovuError(Exception):
    """Base class of all novu-framework errors.

    Attributes:
        code: the framework error code, e.g. ``"StepNotFoundError"``.
        status: the HTTP status the bridge answers this error with.
        message: a message that says what was wrong (as the bridge answers it).
        data: details: validation errors ``[{"path", "message"}]`` or an object, or ``None``.

    ``str(error)`` is the message followed by the first validation error, when there is one
    (``... Please provide the correct step output. At /body: must be string``).
    """

    code: ClassVar[str] = "BridgeError"
    default_status: ClassVar[int] = 500

    def __init__(self, message: str, *, data: Any = None, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(detail or message)
        self.message = message
        self.data = data
        self.status = self.default_status if status is None else status

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status})"


class InvalidWorkflowError(NovuError, ValueError):
    """A workflow definition is wrong (bad schema, unknown provider, ...); raised when it is defined."""

    code = "InvalidWorkflowError"
    default_status = 500


class InvalidTriggerError(NovuError, ValueError):
    """The arguments of ``Workflow.trigger`` do not make an event: no or malformed recipients, or a payload
    that is not an object. Nothing was sent."""

    code = "InvalidTriggerError"
    default_status = 400


class BridgeError(NovuError):
    """An unexpected failure while serving a request."""

    code = "BridgeError"
    default_status = 500


class ExecutionEventControlInvalidError(NovuError):
    """Invalid event controls."""

    code = "ExecutionEventControlInvalidError"
    default_status = 400


class ExecutionEventPayloadInvalidError(NovuError):
    """The event payload is missing or fails the workflow's payload schema."""

    code = "ExecutionEventPayloadInvalidError"
    default_status = 400


class ExecutionProviderOutputInvalidError(NovuError):
    """A provider override returned output its schema rejects."""

    code = "ExecutionProviderOutputInvalidError"
    default_status = 400


class ExecutionStateControlInvalidError(NovuError):
    """A step's controls fail its control schema."""

    code = "ExecutionStateControlInvalidError"
    default_status = 400


class ExecutionStateCorruptError(NovuError):
    """The replay state lacks an earlier step."""

    code = "ExecutionStateCorruptError"
    default_status = 400


class ExecutionStateOutputInvalidError(NovuError):
    """A resolver returned outputs the step type's schema rejects."""

    code = "ExecutionStateOutputInvalidError"
    default_status = 400


class ExecutionStateResultInvalidError(NovuError):
    """A hydrated step result fails the step type's result schema."""

    code = "ExecutionStateResultInvalidError"
    default_status = 400


class InvalidActionError(NovuError):
    """The `action` query parameter is not valid for the method."""

    code = "InvalidActionError"
    default_status = 400


class InvalidRequestBodyError(NovuError):
    """The request body is not a JSON object, not UTF-8, or nested too deeply."""

    code = "InvalidRequestBodyError"
    default_status = 400


class MethodNotAllowedError(NovuError):
    """The HTTP method is not GET, POST or OPTIONS."""

    code = "MethodNotAllowedError"
    default_status = 405


class MissingSecretKeyError(NovuError):
    """No secret key is configured where one is needed."""

    code = "MissingSecretKeyError"
    default_status = 400


class PayloadTooLargeError(NovuError):
    """The request body is over the size limit."""

    code = "PayloadTooLargeError"
    default_status = 413


class ProviderExecutionFailedError(NovuError):
    """A provider override raised."""

    code = "ProviderExecutionFailedError"
    default_status = 502


class ProviderNotFoundError(NovuError):
    """A discovered provider override has no callable."""

    code = "ProviderNotFoundError"
    default_status = 404


class SignatureExpiredError(NovuError):
    """The signature's timestamp is over 5 minutes off."""

    code = "SignatureExpiredError"
    default_status = 401


class SignatureInvalidError(NovuError):
    """The signature header is malformed."""

    code = "SignatureInvalidError"
    default_status = 401


class SignatureMismatchError(NovuError):
    """The signature does not match the request."""

    code = "SignatureMismatchError"
    default_status = 401


class SignatureNotFoundError(NovuError):
    """The request carries no signature."""

    code = "SignatureNotFoundError"
    default_status = 401


class SigningKeyNotFoundError(NovuError):
    """No secret key is configured to verify signatures."""

    code = "SigningKeyNotFoundError"
    default_status = 401


class StepAlreadyExistsError(NovuError):
    """Two steps of a workflow share an id."""

    code = "StepAlreadyExistsError"
    default_status = 409


class StepControlCompilationFailedError(NovuError):
    """A control's Liquid template does not compile or render."""

    code = "StepControlCompilationFailedError"
    default_status = 400


class StepExecutionFailedError(NovuError):
    """A step resolver raised."""

    code = "StepExecutionFailedError"
    default_status = 502


class StepNotFoundError(NovuError):
    """No step with that id was discovered."""

    code = "StepNotFoundError"
    default_status = 404


class WorkflowAlreadyExistsError(NovuError):
    """Two workflows share an id."""

    code = "WorkflowAlreadyExistsError"
    default_status = 409


class WorkflowNotFoundError(NovuError):
    """No workflow with that id is served."""

    code = "WorkflowNotFoundError"
    default_status = 404


class WorkflowPayloadInvalidError(NovuError):
    """A payload fails the workflow's payload schema."""

    code = "WorkflowPayloadInvalidError"
    default_status = 400


class UntrustedAgentUrlError(NovuError):
    """Without strict authentication, an agent event named a reply or events URL that is not on the configured
    Novu API URL: the bridge refuses it instead of sending its secret key there."""

    code = "UntrustedAgentUrlError"
    default_status = 403


class TooManyAgentTurnsError(NovuError):
    """The bridge already runs as many agent turns as ``max_turns_in_flight`` allows (Novu retries later)."""

    code = "TooManyAgentTurnsError"
    default_status = 503


class AgentError(Exception):
    """An agent turn failed: the handler raised, its content was invalid, or a call to Novu failed.

    ``on_error`` handlers receive one. When a handler raises something else, the ``AgentError`` carries it as
    ``cause`` (and as ``__cause__``).

    Attributes:
        message: what went wrong.
        cause: the exception the handler raised, if any.
    """

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cause = cause
        self.__cause__ = cause


class AgentDeliveryError(AgentError):
    """Novu answered a reply (or another call of a turn) with an error status.

    The message reads ``Delivery failed: <reason>[: <Novu's message>]``.

    Attributes:
        status_code: the HTTP status, or 0 when no answer arrived.
        response_body: the answer's text.

    Example::

        try:
            ctx.reply("Hello!")
        except AgentDeliveryError as e:
            print(e.status_code, e.message)  # 401 Delivery failed: Unauthorized: ...
    """

    def __init__(self, message: str, *, status_code: int, response_body: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response_body = response_body


class NovuApiError(Exception):
    """A call to the Novu API failed (``workflow.trigger()``, ``cancel()``, ``sync``).

    Attributes:
        status: the API's HTTP status, or ``None`` when no answer arrived.
        message: what went wrong, with the API's own message when it sent one.
        transaction_id: the trigger's transaction id (resending with it cannot deliver twice).
        response: the API's JSON answer, when there was one.
        url: the URL that was called.

    Example:
        ```python
        try:
            welcome.trigger("subscriber-1", {"name": "Ada"})
        except NovuApiError as e:
            print(e.status, e.message, e.transaction_id)
        ```
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        transaction_id: str | None = None,
        response: Any = None,
        url: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.transaction_id = transaction_id
        self.response = response
        self.url = url


class NovuApiTimeoutError(NovuApiError):
    """The Novu API did not answer within the timeout (retries included)."""


class NovuApiConnectionError(NovuApiError):
    """The Novu API could not be reached (the message names the URL)."""


def _api_error(
    kind: str, message: str, status: int | None, transaction_id: str | None, response: Any, url: str
) -> NovuApiError:
    """Builds the exception for a failed API call reported by the native core."""
    cls = {"timeout": NovuApiTimeoutError, "connection": NovuApiConnectionError}.get(kind, NovuApiError)
    return cls(message, status=status, transaction_id=transaction_id, response=response, url=url)


_BY_CODE: dict[str, type[NovuError]] = {
    cls.code: cls
    for cls in (globals()[name] for name in __all__)
    if isinstance(cls, type) and issubclass(cls, NovuError) and cls is not NovuError
}


def _from_native(code: str, message: str, status: int, data: Any, detail: str | None = None) -> NovuError:
    """Builds the exception for an error reported by the native core (``detail``: the message with the
    first validation error)."""
    cls = _BY_CODE.get(code)
    if cls is None:
        err = NovuError(message, data=data, status=status, detail=detail)
        err.code = code  # type: ignore[misc]
        return err
    return cls(message, data=data, status=status, detail=detail)
