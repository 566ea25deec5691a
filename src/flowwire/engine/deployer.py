"""Deployment: read BPMN resources, validate them all, then store new process versions.

All-or-nothing: every resource is parsed and validated before the store is touched, and the
new versions are written in one transaction. A process whose XML is identical to its latest
version (same checksum) keeps that version instead of getting a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flowwire import bpmn
from flowwire.bpmn import Definitions, Process
from flowwire.bpmn.support import SupportKey
from flowwire.engine.clock import from_millis
from flowwire.engine.errors import DeploymentRejected, InvalidArgument
from flowwire.engine.results import ProcessDefinition
from flowwire.store.base import StoreTransaction
from flowwire.store.records import DefinitionRecord, DeploymentRecord

Source = str | bytes | Path


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ParsedResource:
    resource: Resource
    definitions: Definitions


def read_sources(source: Source | Sequence[Source], resource_name: str | None) -> list[Resource]:
    """Turn the deploy() argument into named byte strings. A str is XML when it starts with
    "<", else a file path."""
    items: Sequence[Source]
    items = list(source) if isinstance(source, (list, tuple)) else [source]  # type: ignore[list-item]
    if not items:
        raise InvalidArgument("nothing to deploy: pass a .bpmn path, BPMN XML, or a list of them")
    resources = []
    for index, item in enumerate(items):
        if isinstance(item, bytes):
            name = resource_name or f"resource-{index + 1}.bpmn"
            resources.append(Resource(name, item))
        elif isinstance(item, str) and item.lstrip("\ufeff \t\r\n").startswith("<"):
            name = resource_name or f"resource-{index + 1}.bpmn"
            resources.append(Resource(name, item.encode("utf-8")))
        elif isinstance(item, (str, Path)):
            path = Path(item)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InvalidArgument(f"cannot read the BPMN file {path}: {exc.strerror}") from None
            name = resource_name if resource_name and len(items) == 1 else path.name
            resources.append(Resource(name, data))
        else:
            raise InvalidArgument(
                f"cannot deploy a {type(item).__name__}: pass a path, XML text or bytes"
            )
    return resources


def parse_all(
    resources: Sequence[Resource], supported: frozenset[SupportKey]
) -> list[ParsedResource]:
    """Parse and validate every resource; raise DeploymentRejected listing all problems."""
    problems: list[str] = []
    causes: list[Exception] = []
    parsed: list[ParsedResource] = []
    owners: dict[str, str] = {}
    for resource in resources:
        try:
            definitions = bpmn.parse(
                resource.data, resource_name=resource.name, supported=supported
            )
        except bpmn.BpmnValidationError as err:
            causes.append(err)
            problems.extend(f"{resource.name}: {problem}" for problem in err.problems)
            continue
        except bpmn.BpmnError as err:
            causes.append(err)
            problems.append(f"{resource.name}: {err}")
            continue
        for process in definitions.processes:
            owner = owners.setdefault(process.id, resource.name)
            if owner != resource.name:
                problems.append(
                    f"{resource.name}: the process id '{process.id}' is also in {owner}; "
                    "a deployment may hold each process id once"
                )
        parsed.append(ParsedResource(resource, definitions))
    if problems:
        raise DeploymentRejected(problems, causes)
    return parsed


def store_versions(
    tx: StoreTransaction, parsed: Sequence[ParsedResource], now: int
) -> tuple[int, list[tuple[DefinitionRecord, Process | None]]]:
    """Write the deployment; returns its key and every process's definition, paired with the
    parsed process when it is a new version (None when an identical version already existed)."""
    deployment_key = tx.next_key()
    tx.insert_deployment(DeploymentRecord(deployment_key, now))
    result: list[tuple[DefinitionRecord, Process | None]] = []
    new: list[DefinitionRecord] = []
    for item in parsed:
        checksum = item.definitions.xml_checksum
        for process in item.definitions.processes:
            latest = tx.latest_definition(process.id)
            if latest is not None and latest.checksum == checksum:
                result.append((latest, None))
                continue
            record = DefinitionRecord(
                key=tx.next_key(),
                process_id=process.id,
                version=tx.highest_version(process.id) + 1,  # deleted ones count too
                name=process.name,
                resource_name=item.resource.name,
                checksum=checksum,
                xml=item.resource.data,
                deployment_key=deployment_key,
                deployed_at=now,
            )
            new.append(record)
            result.append((record, process))
    if new:
        tx.insert_definitions(new)
    return deployment_key, result


def definition_info(record: DefinitionRecord) -> ProcessDefinition:
    return ProcessDefinition(
        key=record.key,
        process_id=record.process_id,
        version=record.version,
        resource_name=record.resource_name,
        name=record.name,
        checksum=record.checksum,
        deployed_at=from_millis(record.deployed_at),
    )
