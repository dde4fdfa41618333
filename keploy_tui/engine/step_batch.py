"""Checking and recording a suite's steps in batches, while its next requests are on the wire.

Checking a response and building its record takes about 10 us of Python in a tight
loop. Between two requests, httpx and asyncio run through more code and data than the
CPU caches hold. So the same work done after each response took three to four times
as long, and a batch keeps it warm. The timer finishes a batch while the
suite waits for its next response, so a step's result still shows within
FINISH_DELAY seconds however slow the API is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")

BATCH_SIZE = 64
BATCH_BYTES = 1 << 20
"""Maximum response bytes in one batch: 64 responses of 100 KiB added 46 MiB to a run's peak memory."""
FINISH_DELAY = 0.05
"""Seconds a sent step may wait to be checked. The app's badges refresh at about this rate."""


class StepBatch(Generic[Item]):
    """Items waiting for `finish`, which gets them in the order they were added.

    `finish` runs in the event loop's thread: from add() when the batch is full, from a
    timer FINISH_DELAY seconds after the first item, or from flush(). An exception it
    raises from the timer is kept, and the next add() or flush() raises it, so the
    suite's own task fails as it would have without batching.
    """

    def __init__(self, finish: Callable[[list[Item]], None], size: int = BATCH_SIZE,
                 delay: float = FINISH_DELAY, max_bytes: int = BATCH_BYTES) -> None:
        self.finish = finish
        self.size = size
        self.delay = delay
        self.max_bytes = max_bytes
        self.items: list[Item] = []
        self._bytes = 0
        self._timer: asyncio.TimerHandle | None = None
        self._error: BaseException | None = None

    def add(self, item: Item, size: int = 0) -> None:
        """Add `item`, whose response body is `size` bytes, and finish the batch when it is full."""
        self._raise_kept()
        self.items.append(item)
        self._bytes += size
        if len(self.items) >= self.size or self._bytes >= self.max_bytes:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._on_timer)

    def flush(self) -> None:
        """Finish every waiting item now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        items, self.items = self.items, []
        self._bytes = 0
        if items:
            self.finish(items)
        self._raise_kept()

    def _on_timer(self) -> None:
        self._timer = None
        try:
            self.flush()
        except Exception as error:  # noqa: BLE001
            self._error = error

    def _raise_kept(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error
