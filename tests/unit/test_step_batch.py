"""Finishing sent steps in batches: by size, by timer, in order, and failing the suite on an error."""

import asyncio

import pytest

from keploy_tui.engine.step_batch import StepBatch


def test_full_batch_finishes_in_order():
    finished = []

    async def scenario():
        batch = StepBatch(finished.append, size=3, delay=60)
        for item in range(7):
            batch.add(item)
        assert finished == [[0, 1, 2], [3, 4, 5]]
        batch.flush()

    asyncio.run(scenario())
    assert finished == [[0, 1, 2], [3, 4, 5], [6]]


def test_timer_finishes_while_suite_waits():
    finished = []

    async def scenario():
        batch = StepBatch(finished.append, size=100, delay=0.01)
        batch.add("a")
        # The suite is waiting for its next response, and the timer must not wait for it.
        await asyncio.sleep(0.1)
        assert finished == [["a"]]
        batch.add("b")
        batch.flush()

    asyncio.run(scenario())
    assert finished == [["a"], ["b"]]


def test_timer_error_raised_on_next_add():
    def finish(items):
        raise RuntimeError("broken record")

    async def scenario():
        batch = StepBatch(finish, size=100, delay=0.01)
        batch.add(1)
        await asyncio.sleep(0.1)
        with pytest.raises(RuntimeError, match="broken record"):
            batch.add(2)

    asyncio.run(scenario())


def test_flush_without_items_finishes_nothing():
    finished = []

    async def scenario():
        StepBatch(finished.append).flush()

    asyncio.run(scenario())
    assert finished == []


def test_large_responses_finish_early():
    finished = []

    async def scenario():
        batch = StepBatch(finished.append, size=100, delay=60, max_bytes=1000)
        batch.add("a", 600)
        batch.add("b", 600)
        batch.add("c", 10)
        batch.flush()

    asyncio.run(scenario())
    assert finished == [["a", "b"], ["c"]]
