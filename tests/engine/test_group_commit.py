"""Group commit: commands of concurrent asyncio callers share one transaction, yet every caller
gets its own result or error, and the outcome is the one of running them one after another."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from flowwire.engine import Engine, InvalidState, NotFound
from flowwire.engine.group_commit import GroupCommitter, Overloaded
from flowwire.store import open_store
from flowwire.store.base import StoreError

from .diagrams import chain, definitions, end, one_task, process, start
from .events.event_diagrams import catch, message
from .support import state


def _waiting_for_payment() -> str:
    return definitions(
        message("Paid", "payment received", "=orderId"),
        process(
            "order",
            start(),
            catch("wait", "message", "Paid"),
            end(),
            chain("start", "wait", "end"),
        ),
    )


def test_concurrent_creates_share_one_transaction(engine: Engine) -> None:
    engine.deploy(one_task())
    committer = GroupCommitter(engine)

    async def main() -> list[int]:
        results = await asyncio.gather(
            *(committer.run(engine.create_instance, "order", {"n": n}) for n in range(20))
        )
        return [r.key for r in results]

    keys = asyncio.run(main())

    assert len(set(keys)) == 20
    assert committer.batched == 20 and committer.single == 0
    assert [engine.variables(k) for k in keys] == [{"n": n} for n in range(20)]
    assert all(state(engine, k) == "ACTIVE" for k in keys)
    assert len(engine.jobs()) == 20


def test_a_batch_is_cut_at_max_batch(engine: Engine) -> None:
    engine.deploy(one_task())
    committer = GroupCommitter(engine, max_batch=8)

    async def main() -> None:
        await asyncio.gather(*(committer.run(engine.create_instance, "order") for _ in range(20)))

    asyncio.run(main())
    # 8 + 8 + 4: three shared transactions, nobody ran alone
    assert committer.batched == 20 and committer.single == 0
    assert len(engine.instances()) == 20


def test_a_rejected_command_fails_alone_and_the_others_are_kept(engine: Engine) -> None:
    engine.deploy(one_task())
    committer = GroupCommitter(engine)

    async def main() -> list[object]:
        return await asyncio.gather(
            committer.run(engine.create_instance, "order", {"n": 1}),
            committer.run(engine.complete_job, 999_999),  # no such job
            committer.run(engine.create_instance, "order", {"n": 2}),
            return_exceptions=True,
        )

    first, missing, second = asyncio.run(main())

    assert isinstance(missing, NotFound)
    assert engine.variables(first.key) == {"n": 1}  # type: ignore[attr-defined]
    assert engine.variables(second.key) == {"n": 2}  # type: ignore[attr-defined]
    assert committer.batched == 0 and committer.single == 3
    assert len(engine.instances()) == 2


def test_a_message_published_after_a_create_in_the_same_batch_correlates(engine: Engine) -> None:
    """Order inside a batch is request order, and later commands see earlier ones' waits."""
    engine.deploy(_waiting_for_payment())
    committer = GroupCommitter(engine)

    async def main() -> tuple[object, object]:
        return await asyncio.gather(
            committer.run(engine.create_instance, "order", {"orderId": "A-1"}),
            committer.run(engine.publish_message, "payment received", "A-1", {"paid": True}),
        )

    created, _ = asyncio.run(main())

    assert committer.batched == 2
    assert state(engine, created.key) == "COMPLETED"  # type: ignore[attr-defined]
    assert engine.variables(created.key) == {"orderId": "A-1", "paid": True}  # type: ignore[attr-defined]


def test_a_duplicate_message_id_in_one_batch_is_rejected_for_the_second_only(
    engine: Engine,
) -> None:
    engine.deploy(_waiting_for_payment())
    committer = GroupCommitter(engine)

    async def main() -> list[object]:
        publish = engine.publish_message
        return await asyncio.gather(
            committer.run(publish, "payment received", "B-1", None, 60_000, "m-1"),
            committer.run(publish, "payment received", "B-1", None, 60_000, "m-1"),
            return_exceptions=True,
        )

    first, second = asyncio.run(main())

    assert isinstance(first, int)
    assert isinstance(second, InvalidState)
    created = engine.create_instance("order", {"orderId": "B-1"})
    assert state(engine, created.key) == "COMPLETED"  # the buffered message was kept


def test_too_many_waiting_commands_are_refused(engine: Engine) -> None:
    engine.deploy(one_task())
    committer = GroupCommitter(engine, max_pending=3)

    async def main() -> list[object]:
        return await asyncio.gather(
            *(committer.run(engine.create_instance, "order") for _ in range(5)),
            return_exceptions=True,
        )

    results = asyncio.run(main())

    refused = [r for r in results if isinstance(r, Overloaded)]
    assert len(refused) == 2
    assert len(engine.instances()) == 3


def test_a_caller_that_gave_up_does_not_get_its_command_run(engine: Engine) -> None:
    engine.deploy(one_task())
    committer = GroupCommitter(engine)

    async def main() -> None:
        doomed = asyncio.ensure_future(committer.run(engine.create_instance, "order", {"n": 0}))
        kept = asyncio.ensure_future(committer.run(engine.create_instance, "order", {"n": 1}))
        await asyncio.sleep(0)  # both are queued now
        doomed.cancel()
        await kept

    asyncio.run(main())
    assert [engine.variables(i.key) for i in engine.instances()] == [{"n": 1}]


def test_run_batch_is_all_or_nothing(engine: Engine) -> None:
    engine.deploy(one_task())
    with pytest.raises(NotFound):
        engine.run_batch(
            [
                lambda: engine.create_instance("order"),
                lambda: engine.complete_job(123),
            ]
        )
    assert engine.instances() == []


def test_run_batch_refuses_commands_with_their_own_transaction(engine: Engine) -> None:
    engine.deploy(one_task())
    with pytest.raises(StoreError, match="already open"):
        engine.run_batch(
            [lambda: engine.create_instance("order"), lambda: engine.deploy(one_task("other"))]
        )
    assert engine.instances() == []
    assert [d.process_id for d in engine.definitions()] == ["order"]
    with pytest.raises(InvalidState, match="nested"):
        engine.run_batch([lambda: engine.run_batch([])])


def test_group_commit_writes_once_per_batch(engine: Engine, store_path: Path) -> None:
    """The point of it: twenty instances, one commit (SQLite's data_version moves once)."""
    engine.deploy(one_task())
    committer = GroupCommitter(engine)
    observer = sqlite3.connect(store_path)
    try:
        before = observer.execute("PRAGMA data_version").fetchone()[0]

        async def main() -> None:
            await asyncio.gather(
                *(committer.run(engine.create_instance, "order") for _ in range(20))
            )

        asyncio.run(main())
        after = observer.execute("PRAGMA data_version").fetchone()[0]
    finally:
        observer.close()
    assert after == before + 1
    assert len(engine.instances()) == 20


def test_job_listeners_hear_of_new_jobs_after_the_commit(engine: Engine, store_path: Path) -> None:
    engine.deploy(one_task(job_type="ship"))
    heard: list[tuple[frozenset[str], int]] = []

    def listener(job_types: frozenset[str]) -> None:
        # called after the commit: another connection already sees the jobs
        con = sqlite3.connect(store_path)
        try:
            stored = con.execute("SELECT count(*) FROM job").fetchone()[0]
        finally:
            con.close()
        heard.append((job_types, stored))

    def broken(job_types: frozenset[str]) -> None:
        raise RuntimeError("a listener bug must not fail the command")

    engine.add_job_listener(broken)
    engine.add_job_listener(listener)
    engine.create_instance("order")
    engine.run_batch([lambda: engine.create_instance("order") for _ in range(3)])
    [job, *_] = engine.activate_jobs("ship", "w", max_jobs=1)
    engine.complete_job(job.key)  # creates no job: nobody is told
    engine.remove_job_listener(listener)
    engine.create_instance("order")

    assert heard == [(frozenset({"ship"}), 1), (frozenset({"ship"}), 4)]


def test_only_single_commands_of_its_own_engine_are_batched(engine: Engine, tmp_path: Path) -> None:
    committer = GroupCommitter(engine)
    other = Engine(open_store(str(tmp_path / "other.db")))
    try:
        assert committer.takes(engine.create_instance)
        assert committer.takes(engine.complete_job)
        assert not committer.takes(engine.deploy)  # opens transactions of its own
        assert not committer.takes(engine.fire_due_timers)
        assert not committer.takes(other.create_instance)  # another store
    finally:
        other.close()
