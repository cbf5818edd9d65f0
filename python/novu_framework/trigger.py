"""The result of ``workflow.trigger()``, and cancelling it."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from . import _native

if TYPE_CHECKING:
    from .client import Client

__all__ = ["TriggerResult"]


class TriggerResult:
    """What Novu answered to a trigger.

    Attributes:
        transaction_id: identifies this trigger in Novu (given, or generated before sending).
        data: the API's JSON answer, e.g. ``{"data": {"acknowledged": True, "status": "processed", ...}}``.
        status: the API's HTTP status.

    Example:
        ```python
        result = welcome.trigger("subscriber-1", {"name": "Ada"})
        result.cancel()  # DELETE /v1/events/trigger/<transaction_id>
        ```
    """

    def __init__(self, transaction_id: str, data: Any, status: int, client: Client) -> None:
        self.transaction_id = transaction_id
        self.data = data
        self.status = status
        self._client = client

    def cancel(self) -> Any:
        """Cancels the triggered event (its delayed and digested steps); returns the API's answer.

        Raises:
            NovuApiError: the API refused the cancel or could not be reached.
        """
        c = self._client
        return _native.cancel_trigger(
            self.transaction_id,
            api_url=c.api_url,
            secret_key=c._require_secret_key(),
            timeout=c.api_timeout,
            retries=c.retries,
            backoff=c.retry_backoff,
        )

    async def cancel_async(self) -> Any:
        """The awaitable twin of [`cancel`][novu_framework.TriggerResult.cancel] (the HTTP call runs on a worker
        thread)."""
        return await asyncio.to_thread(self.cancel)

    def __repr__(self) -> str:
        return f"TriggerResult(transaction_id={self.transaction_id!r}, status={self.status})"
