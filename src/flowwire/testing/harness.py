"""An in-process engine for tests: a store, a clock the test moves, Python job handlers.

`EngineHarness` runs the engine until nothing is left to do after each step a test takes
(start, complete a user task, advance the clock), so a test reads as the story of the process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flowwire.engine import Engine, ManualClock
from flowwire.store import open_store
from flowwire.testing import assertions
from flowwire.testing.assertions import InstanceRef, instance_key

#: where the test clock starts: a fixed, ordinary Monday morning, so tests are reproducible
DEFAULT_START = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)

#: job states in which a worker may still complete the job
_OPEN_JOB_STATES = ("ACTIVATABLE", "ACTIVATED")

JobHandler = Callable[[Any], Mapping[str, Any] | None]


class EngineHarness:
    """A test's handle on one engine; the assertion methods explain themselves on failure."""

    def __init__(self, engine: Engine, clock: ManualClock) -> None:
        self.engine = engine
        self.clock = clock

    # -- driving the process --------------------------------------------------------------

    def deploy(self, *sources: str | Path | bytes) -> Any:
        """Deploys BPMN files (paths) or XML text; several at once are all-or-nothing."""
        if len(sources) == 1:
            return self.engine.deploy(sources[0])
        return self.engine.deploy(list(sources))

    def register_handler(self, job_type: str, handler: JobHandler) -> None:
        """Runs ``handler(job)`` for every job of ``job_type``; its dict completes the job.

        A handler that raises fails the job (one retry less, the exception text as message).
        """
        self.engine.register_handler(job_type, handler)

    def start(
        self,
        process_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        version: int | None = None,
    ) -> Any:
        """Creates an instance and runs it until it completes or waits; returns the instance."""
        instance = self.engine.create_instance(process_id, dict(variables or {}), version=version)
        self.run()
        return instance

    def run(self) -> None:
        """Runs registered handlers and due timers until nothing is left to do."""
        self.engine.run_until_idle()

    def advance(self, delta: timedelta) -> None:
        """Moves the clock forward and runs what became due."""
        self.clock.advance(delta)
        self.run()

    def complete_user_task(
        self, instance: InstanceRef, element_id: str, variables: Mapping[str, Any] | None = None
    ) -> None:
        """Completes the waiting user task ``element_id`` of the instance, then runs on."""
        element = self.active_element(instance, element_id)
        self.engine.complete_user_task(element.key, dict(variables or {}))
        self.run()

    def complete_job(
        self, instance: InstanceRef, job_type: str, variables: Mapping[str, Any] | None = None
    ) -> Any:
        """Completes the instance's open job of ``job_type`` as a worker would, then runs on."""
        job = self.open_job(instance, job_type)
        self.engine.complete_job(job.key, dict(variables or {}))
        self.run()
        return job

    def open_job(self, instance: InstanceRef, job_type: str) -> Any:
        """The instance's job of ``job_type`` that waits for a worker (fails the test if none)."""
        key = instance_key(instance)
        for job in self.engine.jobs(instance_key=key, job_type=job_type):
            if job.state in _OPEN_JOB_STATES:
                return job
        raise AssertionError(
            f"no open job of type {job_type!r} for this instance\n"
            f"{assertions.describe_instance(self.engine, key)}"
        )

    def active_element(self, instance: InstanceRef, element_id: str) -> Any:
        """The active element instance of ``element_id`` (fails the test when there is none).

        For a multi-instance activity this is its first active inner instance, not the body
        that holds them: the inner instances are the ones a user completes.
        """
        key = instance_key(instance)
        for element in self.engine.element_instances(key):
            if (
                element.element_id == element_id
                and element.state == "ACTIVE"
                and element.element_kind != "multiInstanceBody"
            ):
                return element
        raise AssertionError(
            f"element {element_id!r} is not active\n{assertions.describe_instance(self.engine, key)}"
        )

    # -- looking at the instance ----------------------------------------------------------

    def instance(self, instance: InstanceRef) -> Any:
        return self.engine.get_instance(instance_key(instance))

    def variables(self, instance: InstanceRef, scope_key: int | None = None) -> dict[str, Any]:
        return self.engine.variables(instance_key(instance), scope_key)

    def describe(self, instance: InstanceRef) -> str:
        return assertions.describe_instance(self.engine, instance)

    # -- assertions -----------------------------------------------------------------------

    def assert_completed(self, instance: InstanceRef) -> None:
        assertions.assert_completed(self.engine, instance)

    def assert_passed(
        self, instance: InstanceRef, element_ids: Sequence[str], *, exactly: bool = False
    ) -> None:
        assertions.assert_passed(self.engine, instance, element_ids, exactly=exactly)

    def assert_variables(
        self, instance: InstanceRef, expected: Mapping[str, Any], *, scope_key: int | None = None
    ) -> None:
        assertions.assert_variables(self.engine, instance, expected, scope_key=scope_key)

    def assert_incident(
        self,
        instance: InstanceRef,
        *,
        type: str | None = None,
        element_id: str | None = None,
        message_contains: str | None = None,
    ) -> Any:
        return assertions.assert_incident(
            self.engine,
            instance,
            type=type,
            element_id=element_id,
            message_contains=message_contains,
        )


@contextmanager
def engine_harness(
    store_path: str | Path = ":memory:", *, clock: ManualClock | None = None
) -> Iterator[EngineHarness]:
    """A harness on a store file (or in memory), also usable outside pytest; closes the store.

    The clock starts at `DEFAULT_START` unless one is given.
    """
    clock = clock or ManualClock(DEFAULT_START)
    engine = Engine(open_store(str(store_path)), clock=clock)
    try:
        yield EngineHarness(engine, clock)
    finally:
        engine.close()
