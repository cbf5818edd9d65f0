"""Bridge configuration: the secret key, strict authentication and the Novu API URL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import _native

if TYPE_CHECKING:
    from .workflow import Workflow

__all__ = ["Client"]


class Client:
    """How a bridge authenticates and where it reaches Novu.

    Every argument falls back to the environment, read when the client is created:

    - ``secret_key``: ``NOVU_SECRET_KEY``, then ``NOVU_API_KEY``.
    - ``strict_authentication``: on unless turned off, here or with
      ``NOVU_STRICT_AUTHENTICATION_ENABLED=false`` (any letter case). When on, every request except the
      health check must carry a valid ``novu-signature``. ``NODE_ENV`` is not consulted.
    - ``api_url``: ``NOVU_API_URL``, then ``https://api.novu.co`` (``https://eu.api.novu.co`` for the EU).

    Example::

        from novu_framework import Client
        client = Client(secret_key="nv-...", api_url="https://eu.api.novu.co")
    """

    def __init__(
        self,
        secret_key: str | None = None,
        strict_authentication: bool | None = None,
        api_url: str | None = None,
        *,
        api_timeout: float = 10.0,
        max_body_bytes: int | None = None,
    ) -> None:
        secret, strict, url = _native.resolve_client(secret_key, strict_authentication, api_url)
        self.secret_key: str = secret
        self.strict_authentication: bool = strict
        self.api_url: str = url
        self.api_timeout: float = api_timeout
        self.max_body_bytes: int | None = max_body_bytes

    def __repr__(self) -> str:
        key = "set" if self.secret_key else "unset"
        return (
            f"Client(secret_key=<{key}>, strict_authentication={self.strict_authentication}, api_url={self.api_url!r})"
        )

    def _bridge(self, workflows: Iterable[Workflow], server_name: str) -> _native.Bridge:
        """The native bridge for these workflows; raises when strict authentication has no key."""
        handles = []
        for wf in workflows:
            handle = getattr(wf, "_handle", None)
            if handle is None:
                raise TypeError(f"serve() takes workflows made with @workflow, not {type(wf).__name__}")
            handles.append(handle)
        return _native.Bridge(
            handles,
            secret_key=self.secret_key,
            strict_authentication=self.strict_authentication,
            api_url=self.api_url,
            server_name=server_name,
            max_body_bytes=self.max_body_bytes,
            api_timeout=self.api_timeout,
        )
