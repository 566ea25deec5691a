"""Running processes with connector tasks: an engine on a test clock plus the runtime."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from flowwire.connectors import ConnectorRuntime, JobReport, discover
from flowwire.connectors.secrets import MappingSecretProvider, SecretResolver
from flowwire.engine import Engine, ManualClock
from flowwire.engine.group_commit import GroupCommitter
from flowwire.store import open_store

from .conftest import START


def new_engine() -> tuple[Engine, ManualClock]:
    clock = ManualClock(START)
    return Engine(open_store(":memory:"), clock=clock), clock


class Harness:
    """One engine and one runtime configuration; `drive()` runs connector jobs until idle."""

    def __init__(
        self,
        connectors: Iterable[Any] | None = None,
        secrets: Mapping[str, str] | None = None,
        *,
        group_commit: bool = False,
    ) -> None:
        """With `group_commit`, job results go through a `GroupCommitter` as in serve."""
        self.engine, self.clock = new_engine()
        self.commands = GroupCommitter(self.engine) if group_commit else None
        self.registry = discover(builtins=True, installed=False)
        for connector in connectors or ():
            self.registry.add(connector)
        self.resolver = SecretResolver([MappingSecretProvider(dict(secrets or {}))])
        self.reports: list[JobReport] = []

    def start(self, xml: str, variables: Mapping[str, Any] | None = None) -> int:
        deployment = self.engine.deploy(xml)
        process_id = deployment.processes[0].process_id
        return self.engine.create_instance(process_id, dict(variables or {})).key

    def drive(self) -> int:
        async def main() -> int:
            async with ConnectorRuntime(
                self.engine,
                self.registry,
                secrets=self.resolver,
                on_report=self.reports.append,
                commands=self.commands,
            ) as runtime:
                return await runtime.run_until_idle()

        return asyncio.run(main())

    def state(self, instance_key: int) -> str:
        return self.engine.get_instance(instance_key).state

    def variables(self, instance_key: int) -> dict[str, Any]:
        return self.engine.variables(instance_key)

    def incident(self, instance_key: int) -> Any:
        incidents = self.engine.incidents(instance_key=instance_key)
        assert len(incidents) == 1, f"expected one incident, got {incidents}"
        return incidents[0]

    def task_variables(self, instance_key: int, element_id: str = "task") -> dict[str, Any]:
        elements = [
            e for e in self.engine.element_instances(instance_key) if e.element_id == element_id
        ]
        assert elements, f"no element instance of {element_id}"
        return self.engine.variables(instance_key, scope_key=elements[-1].key)
