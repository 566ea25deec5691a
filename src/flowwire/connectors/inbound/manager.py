"""The inbound manager: activates webhooks when processes are deployed, keeps them active
across restarts, and carries a matched request into the engine.

Deploying goes through `InboundManager.deploy`: it checks every webhook element (property
values, FEEL syntax, id conflicts) before the engine stores anything, deploys, then swaps in
the new activations. On start-up `restore()` re-activates the latest version of every stored
process, and the message webhooks of older versions whose instances still wait there, so a
restart keeps its webhooks. Older versions' message webhooks retire once no instance waits at
them (`retirement.py`). Deleting a version (`delete_definition`) stops its start webhooks at
once and, when it was the latest, starts the previous version's again; its message webhooks
drain like an older version's.

Engine commands go through a `GroupCommitter` (shared with the REST API in `flowwire serve`):
the commands of requests that arrive together run on the event loop in one transaction. When
more than `max_pending` commands already wait for the engine, a request is turned away with
429 instead of queueing without bound; a busy store answers 503.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from flowwire import bpmn
from flowwire.bpmn import Element, ElementKind, EventType, Process
from flowwire.bpmn.support import support_key
from flowwire.connectors.inbound.config import (
    TYPE_PROPERTY,
    InboundConfigError,
    WebhookConfig,
    is_inbound,
    is_webhook,
    parse_webhook,
)
from flowwire.connectors.inbound.expressions import FeelFailure, evaluate
from flowwire.connectors.inbound.jwks import JwkCache
from flowwire.connectors.inbound.polling import (
    POLLING_TYPE,
    is_polling,
    parse_polling,
    polling_element_problem,
)
from flowwire.connectors.inbound.registry import Activation, Endpoint, Registry
from flowwire.connectors.inbound.retirement import Retirement
from flowwire.connectors.inbound.security import Rejected
from flowwire.connectors.secrets.masking import remember_secret
from flowwire.connectors.secrets.placeholders import replace_secrets
from flowwire.connectors.secrets.providers import SecretResolver, default_resolver
from flowwire.engine import Deployment, DeploymentRejected, Engine
from flowwire.engine.deletion import DefinitionDeletion
from flowwire.engine.deployer import Source, read_sources
from flowwire.engine.errors import EngineError, InvalidArgument, InvalidState, NotFound
from flowwire.engine.group_commit import GroupCommitter, Overloaded
from flowwire.store.base import StoreError

log = logging.getLogger("flowwire.inbound")

T = TypeVar("T")

#: parse models whatever they contain: the engine decides what it runs, we only read properties
_ANY_ELEMENT = frozenset(support_key(kind, ev) for kind in ElementKind for ev in EventType)

#: element kinds whose message a webhook may publish (with a message event definition)
_MESSAGE_KINDS = {
    ElementKind.START_EVENT,
    ElementKind.INTERMEDIATE_CATCH_EVENT,
    ElementKind.BOUNDARY_EVENT,
    ElementKind.RECEIVE_TASK,
}


@dataclass(frozen=True, slots=True)
class PlannedWebhook:
    """A webhook element found in a model, before its definition key is known."""

    process_id: str
    element_id: str
    element_kind: str
    starts_instance: bool
    message_name: str | None
    properties: dict[str, str]
    config: WebhookConfig


def _starts_instance(element: Element) -> bool | None:
    """True for a none start event, False for a message element, None where a webhook
    cannot be."""
    event_type = element.event.type if element.event is not None else EventType.NONE
    if element.kind is ElementKind.START_EVENT and event_type is EventType.NONE:
        return True
    if element.kind in _MESSAGE_KINDS and (
        element.kind is ElementKind.RECEIVE_TASK or event_type is EventType.MESSAGE
    ):
        return False
    return None


def plan_process(process: Process) -> tuple[list[PlannedWebhook], list[str]]:
    """The webhook elements of a process and the problems that forbid deploying it."""
    planned: list[PlannedWebhook] = []
    problems: list[str] = []
    for element in process.elements.values():
        properties = dict(element.properties)
        if not is_inbound(properties):
            continue
        where = f"process '{process.id}', element '{element.id}'"
        if is_polling(properties):
            problems.extend(_polling_problems(process.id, element, properties))
            continue
        if not is_webhook(properties):
            problems.append(
                f"{where}, property '{TYPE_PROPERTY}': the inbound connector type "
                f"'{properties[TYPE_PROPERTY]}' is not supported; use io.camunda:webhook:1 or "
                f"{POLLING_TYPE}"
            )
            continue
        starts = _starts_instance(element)
        if starts is None or (starts and element.scope_id != process.id):
            problems.append(
                f"{where}: a webhook can be on a process's start event, a message start, "
                "intermediate catch or boundary event, or a receive task, not on a "
                f"{element.kind}"
            )
            continue
        try:
            config = parse_webhook(element.id, properties)
        except InboundConfigError as err:
            problems.extend(f"process '{process.id}', {p}" for p in err.problems)
            continue
        message = element.event.message_name if element.event is not None else None
        planned.append(
            PlannedWebhook(
                process.id, element.id, str(element.kind), starts, message, properties, config
            )
        )
    return planned, problems


def _polling_problems(process_id: str, element: Element, properties: dict[str, str]) -> list[str]:
    """What forbids deploying an HTTP polling element (the poller itself finds its waits)."""
    wrong = polling_element_problem(element)
    if wrong:
        return [f"process '{process_id}', element '{element.id}': {wrong}"]
    try:
        parse_polling(element.id, properties)
    except InboundConfigError as err:
        return [f"process '{process_id}', {p}" for p in err.problems]
    return []


class InboundManager:
    """Owns the active webhooks of one engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        secrets: SecretResolver | None = None,
        http_client: httpx.AsyncClient | None = None,
        commands: GroupCommitter | None = None,
        recheck_seconds: float = 1.0,
    ) -> None:
        """`commands` runs the engine commands; pass the REST API's so both batch together.
        `recheck_seconds`: how long a request trusts that an older version's message webhook
        still has waiting instances (see `retirement.py`)."""
        self.engine = engine
        self.secrets = secrets if secrets is not None else default_resolver()
        self._registry = Registry()
        self._deploy_lock = threading.Lock()
        #: process id -> the definition key whose webhooks are active
        self._seen: dict[str, int] = {}
        self._http = http_client
        self._owns_http = http_client is None
        self._jwks: JwkCache | None = None
        self.commands = commands or GroupCommitter(engine)
        self._retirement = Retirement(engine, recheck_seconds=recheck_seconds)

    # -- activation ---------------------------------------------------------------------
    @property
    def registry(self) -> Registry:
        return self._registry

    def endpoint(self, webhook_id: str) -> Endpoint | None:
        """The endpoint serving `webhook_id`, without the older versions' elements at which no
        instance waits any more (None when nothing is left)."""
        endpoint = self._registry.get(webhook_id)
        if endpoint is None:
            return None
        draining = self._retirement.draining(endpoint.activations, self._seen)
        if draining:
            try:
                retired = self._retire(self._retirement.idle(draining, force=False))
            except Exception:  # a failed check keeps the webhook; the sweep tries again
                log.exception("webhook '%s': checking for waiting instances failed", webhook_id)
                retired = 0
            if retired:
                endpoint = self._registry.get(webhook_id)
        return endpoint

    def retire_idle(self) -> int:
        """Retire the older versions' message webhooks at which no instance waits any more;
        returns how many elements were retired. `sync()` calls it on every round."""
        draining = self._retirement.draining(self._registry.activations(), self._seen)
        if not draining:
            return 0
        return self._retire(self._retirement.idle(draining, force=True))

    def _retire(self, idle: list[Activation]) -> int:
        if not idle:
            return 0
        with self._deploy_lock:
            self._registry = self._registry.without(a.element_key for a in idle)
        self._retirement.forget(idle)
        for activation in idle:
            log.info(
                "webhook '%s' of %s retired: no instance of that version waits there any more",
                activation.config.webhook_id,
                activation.describe(),
            )
        return len(idle)

    def _activation(self, planned: PlannedWebhook, key: int, version: int) -> Activation:
        missing: list[str] = []

        def lookup(name: str) -> str:
            value = self.secrets.get(name)
            if value is None:
                missing.append(name)
                return f"{{{{secrets.{name}}}}}"
            remember_secret(value)
            return value

        problem: str | None = None
        config = planned.config
        resolved = replace_secrets(planned.properties, lookup)
        if missing:
            problem = (
                f"the secret(s) {', '.join(sorted(set(missing)))} are not set; set them "
                "(environment variable or `flowwire secrets set`) and restart"
            )
        elif resolved is not planned.properties:
            try:
                config = parse_webhook(planned.element_id, resolved)
            except InboundConfigError as err:
                problem = f"with its secrets filled in: {err}"
        if (
            problem is None
            and not planned.starts_instance
            and not hasattr(self.engine, "publish_message")
        ):
            problem = "this engine cannot correlate messages yet (BPMN message events)"
        return Activation(
            planned.process_id,
            key,
            version,
            planned.element_id,
            planned.element_kind,
            planned.starts_instance,
            planned.message_name,
            config,
            problem,
        )

    def _plan_sources(
        self, source: Source | Sequence[Source], resource_name: str | None
    ) -> list[PlannedWebhook]:
        """Check the webhook elements of everything about to be deployed."""
        planned: list[PlannedWebhook] = []
        problems: list[str] = []
        for resource in read_sources(source, resource_name):
            try:
                definitions = bpmn.parse(
                    resource.data, resource_name=resource.name, supported=_ANY_ELEMENT
                )
            except bpmn.BpmnError:
                continue  # the engine's deployment reports what is wrong with the model
            for process in definitions.processes:
                found, wrong = plan_process(process)
                planned.extend(found)
                problems.extend(f"{resource.name}: {p}" for p in wrong)
        if problems:
            raise DeploymentRejected(problems)
        return planned

    def deploy(
        self, source: Source | Sequence[Source], resource_name: str | None = None
    ) -> Deployment:
        """Deploy through the engine and activate the new versions' webhooks (all or nothing:
        a webhook problem rejects the deployment before anything is stored)."""
        with self._deploy_lock:
            planned = self._plan_sources(source, resource_name)
            processes = {p.process_id for p in planned}
            trial = [self._activation(p, -1, 0) for p in planned]
            _, conflicts = self._registry.apply(processes, trial)
            if conflicts:
                raise DeploymentRejected(conflicts)
            deployment = self.engine.deploy(source, resource_name)
            self._install(deployment, planned)
            return deployment

    def _install(self, deployment: Deployment, planned: list[PlannedWebhook]) -> None:
        versions = {d.process_id: d for d in deployment.processes}
        deployed = set(versions)
        additions = [
            self._activation(p, versions[p.process_id].key, versions[p.process_id].version)
            for p in planned
            if p.process_id in versions
        ]
        registry, conflicts = self._registry.apply(deployed, additions)
        for conflict in conflicts:
            log.error("a webhook was not activated: %s", conflict)
        self._registry = registry
        self._seen.update({d.process_id: d.key for d in deployment.processes})
        for activation in additions:
            self._log_activation(activation)

    def delete_definition(self, key: int) -> DefinitionDeletion:
        """Delete a process version through the engine, then stop its start webhooks at once
        and, when it was the latest, activate the previous version's webhooks again."""
        with self._deploy_lock:
            deletion = self.engine.delete_definition(key)
            self._registry = self._after_deletion(self._registry, deletion)
            return deletion

    def _after_deletion(self, registry: Registry, deletion: DefinitionDeletion) -> Registry:
        deleted = deletion.deleted
        starts = [
            a
            for a in registry.activations()
            if a.definition_key == deleted.key and a.on_start_event
        ]
        registry = registry.without(a.element_key for a in starts)
        for activation in starts:
            log.info(
                "webhook '%s' of %s deactivated: the version was deleted",
                activation.config.webhook_id,
                activation.describe(),
            )
        if not deletion.was_latest:
            return registry
        self._seen.pop(deleted.process_id, None)
        if deletion.latest is None:
            return registry
        with self.engine.store.read() as tx:
            previous = tx.definition(deletion.latest.key)
        if previous is None:
            return registry
        return self._activate_records(registry, [previous])

    def _log_activation(self, activation: Activation) -> None:
        if activation.problem:
            log.warning(
                "webhook '%s' of %s is not ready: %s",
                activation.config.webhook_id,
                activation.describe(),
                activation.problem,
            )
        else:
            log.info(
                "webhook '%s' active for %s", activation.config.webhook_id, activation.describe()
            )

    def _latest_records(self) -> dict[str, Any]:
        latest: dict[str, Any] = {}
        with self.engine.store.read() as tx:
            for record in tx.definitions():
                known = latest.get(record.process_id)
                if known is None or record.version > known.version:
                    latest[record.process_id] = record
        return latest

    def _activate_records(self, base: Registry, records: Sequence[Any]) -> Registry:
        """`base` with the webhooks of the stored definitions `records` (each replacing its
        process's earlier start webhooks); problems are logged, not raised: these versions
        are deployed already. A deleted version (kept for its running instances) gets only its
        message webhooks back, never its start webhooks."""
        registry = base
        for record in records:
            deleted = record.deleted_at is not None
            if not deleted:
                self._seen[record.process_id] = record.key
            try:
                definitions = bpmn.parse(
                    record.xml, resource_name=record.resource_name, supported=_ANY_ELEMENT
                )
            except bpmn.BpmnError as err:
                log.error("stored process '%s' cannot be read again: %s", record.process_id, err)
                continue
            for process in definitions.processes:
                if process.id != record.process_id:
                    continue
                planned, problems = plan_process(process)
                for problem in problems:
                    log.error("stored process '%s': %s", record.process_id, problem)
                additions = [self._activation(p, record.key, record.version) for p in planned]
                if deleted:
                    additions = [a for a in additions if not a.on_start_event]
                replaced = [] if deleted else [record.process_id]
                registry, conflicts = registry.apply(replaced, additions)
                for conflict in conflicts:
                    log.error("a webhook was not activated: %s", conflict)
                for activation in additions:
                    self._log_activation(activation)
        return registry

    def _older_records_in_use(self, latest: dict[str, Any]) -> list[Any]:
        """The stored definitions, other than the latest ones, that have active instances
        (deleted versions included: their instances may wait at a message webhook)."""
        latest_keys = {record.key for record in latest.values()}
        with self.engine.store.read() as tx:
            in_use = {i.definition_key for i in tx.instances("ACTIVE", None, limit=1_000_000_000)}
            return [
                record
                for key in sorted(in_use - latest_keys)
                if (record := tx.definition(key)) is not None
            ]

    def restore(self) -> int:
        """Activate the webhooks of the latest version of every stored process, and those of
        older versions with active instances, replayed oldest first as they were deployed
        (the latest last: a deleted version may have a higher number); then retire the older
        ones at which nothing waits (start-up)."""
        with self._deploy_lock:
            self._seen.clear()
            latest = self._latest_records()
            latest_keys = {record.key for record in latest.values()}
            records = self._older_records_in_use(latest) + list(latest.values())
            records.sort(key=lambda r: (r.process_id, r.key in latest_keys, r.version))
            self._registry = self._activate_records(Registry(), records)
        self.retire_idle()
        return len(self._registry.activations())

    def sync(self) -> int:
        """Activate the webhooks of versions deployed without this manager (the REST API,
        `flowwire deploy` on the same store); returns how many new versions it found. The
        server calls it every few seconds; it also retires idle older message webhooks."""
        latest = self._latest_records()
        fresh = [r for pid, r in latest.items() if self._seen.get(pid) != r.key]
        gone = [pid for pid in self._seen if pid not in latest]  # every version deleted
        if fresh or gone:
            with self._deploy_lock:
                registry = self._registry
                for process_id in gone:
                    key = self._seen.pop(process_id)
                    registry = registry.without(
                        a.element_key
                        for a in registry.activations()
                        if a.definition_key == key and a.on_start_event
                    )
                self._registry = self._activate_records(registry, fresh)
        self.retire_idle()
        return len(fresh)

    def describe(self) -> list[dict[str, Any]]:
        """The active webhooks and their health, for `GET /inbound` (idle older message
        webhooks are retired first, so the list is current)."""
        self.retire_idle()
        latest = self._seen
        result = []
        for webhook_id, endpoint in sorted(self._registry.endpoints.items()):
            config = endpoint.primary.config
            result.append(
                {
                    "type": "io.camunda:webhook:1",
                    "webhookId": webhook_id,
                    "path": f"/inbound/{webhook_id}",
                    "method": config.method.upper(),
                    "auth": str(config.auth.type),
                    "hmac": config.hmac is not None,
                    "health": {
                        "status": "DOWN" if endpoint.problem else "UP",
                        **({"reason": endpoint.problem} if endpoint.problem else {}),
                    },
                    "elements": [
                        {
                            "processId": a.process_id,
                            "version": a.version,
                            "processDefinitionKey": a.definition_key,
                            "elementId": a.element_id,
                            "elementType": a.element_kind,
                            "latestVersion": latest.get(a.process_id) == a.definition_key,
                        }
                        for a in endpoint.activations
                    ],
                }
            )
        return result

    # -- serving ------------------------------------------------------------------------
    def _http_client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=10.0, follow_redirects=False)
        return self._http

    @property
    def jwks(self) -> JwkCache:
        if self._jwks is None:
            self._jwks = JwkCache(self._http_client)
        return self._jwks

    @property
    def max_pending(self) -> int:
        return self.commands.max_pending

    @max_pending.setter
    def max_pending(self, value: int) -> None:
        self.commands.max_pending = value

    async def run_engine(self, fn: Callable[..., T], *args: Any) -> T:
        """Run one engine command in the next group commit; `Overloaded` when too many wait."""
        return await self.commands.run(fn, *args)

    async def correlate(
        self, activation: Activation, variables: dict[str, Any], context: dict[str, Any]
    ) -> dict[str, Any]:
        """Start an instance or publish the element's message; the `correlation` context."""
        try:
            if activation.starts_instance:
                return await self._start(activation, variables)
            return await self._publish(activation, variables, context)
        except Overloaded:
            raise Rejected(429, "the engine is busy; retry later", {"Retry-After": "1"}) from None
        except (StoreError, sqlite3.OperationalError) as err:
            log.error(
                "webhook '%s': the store refused the command: %s", activation.config.webhook_id, err
            )
            raise Rejected(503, "the store is busy; retry later", {"Retry-After": "1"}) from None
        except NotFound as err:
            raise Rejected(404, f"the process is no longer deployed: {err}") from None
        except InvalidArgument as err:
            raise Rejected(422, f"the engine refused the variables: {err}") from None
        except InvalidState as err:
            if "already published" in str(err):
                log.info(
                    "webhook '%s': duplicate message id, already correlated",
                    activation.config.webhook_id,
                )
                return {"type": "DUPLICATE", "reason": str(err)}
            raise Rejected(409, str(err)) from None
        except EngineError as err:
            raise Rejected(422, str(err)) from None

    async def _start(self, activation: Activation, variables: dict[str, Any]) -> dict[str, Any]:
        def command() -> Any:
            return self.engine.create_instance(
                variables=variables, definition_key=activation.definition_key
            )

        result = await self.run_engine(command)
        return {
            "type": "PROCESS_INSTANCE_CREATED",
            "processInstanceKey": result.key,
            "processDefinitionKey": result.definition_key,
            "bpmnProcessId": result.process_id,
            "version": result.version,
        }

    async def _publish(
        self, activation: Activation, variables: dict[str, Any], context: dict[str, Any]
    ) -> dict[str, Any]:
        config = activation.config
        scope = {"request": context}
        name = activation.message_name or ""
        if name.startswith("="):
            name = str(evaluate("message name", name, scope))
        key = (
            evaluate("correlationKeyExpression", config.correlation_key_expression, scope)
            if config.correlation_key_expression
            else None
        )
        message_id = (
            evaluate("messageIdExpression", config.message_id_expression, scope)
            if config.message_id_expression
            else None
        )
        ttl = _duration(config.message_ttl) or timedelta(0)
        publish = self.engine.publish_message

        def command() -> int:
            return publish(
                name,
                correlation_key="" if key is None else str(key),
                variables=variables,
                time_to_live=ttl,
                message_id=None if message_id is None else str(message_id),
            )

        message_key = await self.run_engine(command)
        return {
            "type": "MESSAGE_PUBLISHED",
            "messageName": name,
            "correlationKey": key,
            "messageKey": message_key,
        }

    async def aclose(self) -> None:
        if self._http is not None and self._owns_http:
            await self._http.aclose()
        self._http = None
        self._jwks = None


def _duration(text: str | None) -> timedelta | None:
    if not text:
        return None
    from flowwire import feel

    try:
        value = feel.evaluate(text if text.startswith("=") else f'duration("{text}")')
    except feel.FeelError as err:
        raise FeelFailure(f"messageTtl: {err}") from None
    if not isinstance(value, timedelta):
        raise FeelFailure(f"messageTtl must be a duration such as PT1H, got {text!r}")
    return value


def deploy_paths(manager: InboundManager, paths: Sequence[Path]) -> Deployment:
    """Deploy files (directories are expanded to their .bpmn files) in one deployment."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.bpmn")))
        else:
            files.append(path)
    if not files:
        raise InvalidArgument(f"no .bpmn files in {', '.join(map(str, paths))}")
    return manager.deploy([str(f) for f in files])
