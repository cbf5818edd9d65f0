"""Bridge configuration: the secret key, strict authentication and the Novu API URL."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import _native
from .errors import MissingSecretKeyError

if TYPE_CHECKING:
    from .agents import Agent
    from .workflow import Workflow

__all__ = ["Client"]


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class Client:
    """How a bridge authenticates and where it reaches Novu.

    Every argument falls back to the environment, read when the client is created:

    - ``secret_key``: ``NOVU_SECRET_KEY``, then ``NOVU_API_KEY``.
    - ``secret_key_fallback``: ``NOVU_SECRET_KEY_FALLBACK``. While keys are rotated, inbound signatures made
      with either key are accepted; calls to the Novu API always use ``secret_key``.
    - ``strict_authentication``: on unless turned off, here or with
      ``NOVU_STRICT_AUTHENTICATION_ENABLED=false`` (any letter case; a string given here is read the same
      way). When on, every request except the health check must carry a valid ``novu-signature``.
      ``NODE_ENV`` is not consulted.
    - ``api_url``: ``NOVU_API_URL``, then ``https://api.novu.co`` (``https://eu.api.novu.co`` for the EU).

    ``api_timeout`` bounds every call to the Novu API (retries included); ``retries`` is how many times a
    call is repeated after a connection failure or a 5xx/429 answer, waiting ``retry_backoff`` seconds
    before the first retry and twice as long before each next one (triggers keep their transaction id, so
    Novu cannot deliver twice). ``max_body_bytes`` caps request bodies the bridge accepts (5 MiB).
    ``liquid_limits`` bounds the rendering of controls per request: ``max_iterations`` (loop iterations,
    1,000,000), ``max_string_bytes`` and ``max_output_bytes`` (4 MiB each), ``max_work_bytes`` (64 MiB).
    ``agent_limits`` bounds agent turns: ``max_history`` (history entries a request may carry, 1,000),
    ``max_reply_bytes`` (a reply's text or card, 256 KiB) and ``max_turns_in_flight`` (turns running at once
    per bridge, 64; past it Novu gets a 503 and retries). At exit, running turns get
    ``agent_shutdown_timeout`` seconds (25) to finish.

    Example:
        ```python
        from novu_framework import Client
        client = Client(secret_key="nv-...", api_url="https://eu.api.novu.co")
        ```
    """

    def __init__(
        self,
        secret_key: str | None = None,
        strict_authentication: bool | str | None = None,
        api_url: str | None = None,
        *,
        api_timeout: float = 10.0,
        retries: int = 2,
        retry_backoff: float = 0.25,
        max_body_bytes: int | None = None,
        liquid_limits: Mapping[str, int] | None = None,
        secret_key_fallback: str | None = None,
        agent_limits: Mapping[str, int] | None = None,
        agent_shutdown_timeout: float = 25.0,
    ) -> None:
        secret, strict, url, fallback = _native.resolve_client(
            secret_key, strict_authentication, api_url, secret_key_fallback
        )
        self.secret_key: str = secret
        self.secret_key_fallback: str = fallback
        self.strict_authentication: bool = strict
        self.api_url: str = url
        if not math.isfinite(api_timeout) or api_timeout <= 0:
            raise ValueError("api_timeout must be a positive number of seconds")
        if max_body_bytes is not None and (not _positive_int(max_body_bytes)):
            raise ValueError("max_body_bytes must be a positive number of bytes")
        for what, limits in (("liquid_limits", liquid_limits), ("agent_limits", agent_limits)):
            for name, value in (limits or {}).items():
                if not _positive_int(value):
                    raise ValueError(f"{what}[{name!r}] must be a positive integer, not {value!r}")
        if not math.isfinite(agent_shutdown_timeout) or agent_shutdown_timeout < 0:
            raise ValueError("agent_shutdown_timeout must be 0 or more seconds")
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        if retry_backoff < 0:
            raise ValueError("retry_backoff must be 0 or more seconds")
        self.api_timeout: float = api_timeout
        self.retries: int = retries
        self.retry_backoff: float = retry_backoff
        self.max_body_bytes: int | None = max_body_bytes
        self.liquid_limits: dict[str, int] | None = dict(liquid_limits) if liquid_limits is not None else None
        self.agent_limits: dict[str, int] | None = dict(agent_limits) if agent_limits is not None else None
        self.agent_shutdown_timeout: float = agent_shutdown_timeout

    def __repr__(self) -> str:
        key = "set" if self.secret_key else "unset"
        fallback = ", secret_key_fallback=<set>" if self.secret_key_fallback else ""
        return (
            f"Client(secret_key=<{key}>{fallback}, strict_authentication={self.strict_authentication}, "
            f"api_url={self.api_url!r})"
        )

    def _require_secret_key(self) -> str:
        if not self.secret_key:
            raise MissingSecretKeyError(
                "Missing secret key. Set the `NOVU_SECRET_KEY` environment variable or pass `secret_key` to Client()."
            )
        return self.secret_key

    @classmethod
    def _from_settings(cls, setting: Callable[[str], Any]) -> Client:
        """A client from a framework's settings (Flask's ``app.config``, Django's ``settings``), each
        falling back to the environment: ``NOVU_SECRET_KEY``, ``NOVU_SECRET_KEY_FALLBACK``,
        ``NOVU_STRICT_AUTHENTICATION_ENABLED`` (a bool, or text read as the environment variable is) and
        ``NOVU_API_URL``."""
        return cls(
            setting("NOVU_SECRET_KEY") or None,
            setting("NOVU_STRICT_AUTHENTICATION_ENABLED"),
            setting("NOVU_API_URL") or None,
            secret_key_fallback=setting("NOVU_SECRET_KEY_FALLBACK") or None,
        )

    def _bridge(self, workflows: Iterable[Workflow], server_name: str, agents: Iterable[Agent] = ()) -> _native.Bridge:
        """The native bridge for these workflows and agents; raises when strict authentication has no key."""
        from . import _turns
        from .agents import Agent

        specs = []
        for a in agents:
            if not isinstance(a, Agent):
                raise TypeError(f"serve() takes agents made with agent(), not {type(a).__name__}")
            specs.append(a._native_spec())
        handles = []
        for wf in workflows:
            handle = getattr(wf, "_handle", None)
            if handle is None:
                raise TypeError(f"serve() takes workflows made with @workflow, not {type(wf).__name__}")
            handles.append(handle)
        bridge = _native.Bridge(
            handles,
            secret_key=self.secret_key,
            strict_authentication=self.strict_authentication,
            api_url=self.api_url,
            server_name=server_name,
            max_body_bytes=self.max_body_bytes,
            api_timeout=self.api_timeout,
            liquid_limits=self.liquid_limits,
            secret_key_fallback=self.secret_key_fallback,
            agents=specs,
            agent_limits=self.agent_limits,
        )
        if specs:
            _turns.configure(max_threads=bridge.max_turns_in_flight, shutdown_timeout=self.agent_shutdown_timeout)
        return bridge
