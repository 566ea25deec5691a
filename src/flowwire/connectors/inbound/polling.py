"""HTTP polling, `io.camunda:http-polling:1`: intermediate message catch and message boundary
events that ask a URL, per waiting instance, until the answer says "go on".

Nothing is registered at deployment (the manager only checks the properties): the poller
reads polling elements from the stored definitions and finds the instances waiting at them
through their open message subscriptions, so older versions keep polling while instances wait
and a restart loses nothing. Each wait is polled at once and then every `httpRequestInterval`
by the engine's clock; `poll_due(now)` is the whole cycle, called by `flowwire serve` a few
times per second and directly by tests with a manual clock.

A poll evaluates the REST request properties (`url`, `method`, `headers`, `queryParameters`,
`authentication.*`, `body`, timeouts) with FEEL over the variables visible at the waiting
element (its own scope, enclosing subprocesses, the root; for a boundary event the activity's
scope), as Camunda evaluates them at the element instance. It sends the request with the REST
connector's request preparation and authentication and, when `activationCondition` holds on
the response, correlates the element's message: with the key `correlationKeyExpression` gives
on the response (as Camunda's correlation handler does), or else with the waiting
subscription's own key. Like Camunda, a failed poll is logged (secrets masked) and retried at
the next interval; the last outcome per element is kept for `GET /inbound`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from flowwire import bpmn, feel
from flowwire.bpmn import Element, ElementKind, EventType
from flowwire.bpmn.support import support_key
from flowwire.connectors.binding import bind_input
from flowwire.connectors.errors import ConnectorInputError
from flowwire.connectors.inbound.config import ConfigProblem, InboundConfigError
from flowwire.connectors.inbound.expressions import FeelFailure, evaluate, evaluate_lenient
from flowwire.connectors.rest.auth import TokenCache, apply_authentication
from flowwire.connectors.rest.model import HttpJsonRequest
from flowwire.connectors.rest.request import prepare
from flowwire.connectors.rest.response import as_result, transport_error
from flowwire.connectors.secrets.masking import mask_text, remember_secret
from flowwire.connectors.secrets.placeholders import replace_secrets
from flowwire.connectors.secrets.providers import SecretResolver, default_resolver
from flowwire.connectors.values import to_plain
from flowwire.engine import queries
from flowwire.engine.errors import EngineError, NotFound

log = logging.getLogger("flowwire.inbound.polling")

POLLING_TYPE = "io.camunda:http-polling:1"
DEFAULT_INTERVAL = timedelta(seconds=50)

#: the element properties that make up the HTTP request (dotted names nest: authentication.type)
_REQUEST_ROOTS = frozenset(
    {
        "url",
        "method",
        "headers",
        "queryParameters",
        "authentication",
        "body",
        "connectionTimeoutInSeconds",
        "readTimeoutInSeconds",
        "followRedirects",
        "skipEncoding",
        "ignoreNullValues",
    }
)
#: request properties that are FEEL even without a leading "=" (maps)
_ALWAYS_FEEL = frozenset({"headers", "queryParameters"})
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_AUTH_TYPES = (
    "noAuth",
    "basic",
    "bearer",
    "apiKey",
    "oauth-client-credentials-flow",
    "oauth-refresh-token",
)
_CONDITION_PROPERTIES = ("activationCondition", "resultExpression", "correlationKeyExpression")

_ANY_ELEMENT = frozenset(support_key(kind, ev) for kind in ElementKind for ev in EventType)


@dataclass(frozen=True, slots=True)
class PollingConfig:
    """A polling element's properties, as written (secret references not yet replaced)."""

    element_id: str
    request: dict[str, str]
    interval: str | None
    activation_condition: str | None
    result_variable: str | None
    result_expression: str | None
    correlation_key_expression: str | None = None


def is_polling(properties: Mapping[str, str]) -> bool:
    return properties.get("inbound.type", "").strip() == POLLING_TYPE


def _value(properties: Mapping[str, str], name: str) -> str | None:
    value = properties.get(name)
    return value.strip() if value is not None and value.strip() else None


def _feel_problem(text: str) -> str | None:
    try:
        feel.compile(text)
    except feel.FeelSyntaxError as err:
        return f"invalid FEEL at line {err.line}, column {err.column}: {err.message}"
    except feel.FeelError as err:
        return f"invalid FEEL: {err}"
    return None


def parse_interval(text: str | None, variables: Mapping[str, Any] | None = None) -> timedelta:
    """`httpRequestInterval` as a positive duration (ISO 8601 text, or FEEL with "=")."""
    if not text:
        return DEFAULT_INTERVAL
    expression = text if text.startswith("=") else f'duration("{text}")'
    try:
        value = feel.evaluate(expression, dict(variables or {}))
    except feel.FeelError as err:
        raise ValueError(f"'{text}' is not a duration: {err}") from None
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValueError(f"'{text}' is not a positive duration; write e.g. PT30S or PT5M")
    return value


def parse_polling(element_id: str, properties: Mapping[str, str]) -> PollingConfig:
    """Read and check a polling element's properties; raise InboundConfigError listing all
    problems (each names the element and the property)."""
    problems: list[ConfigProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(ConfigProblem(element_id, name, message))

    request = {
        name: value.strip()
        for name, value in properties.items()
        if name.split(".", 1)[0] in _REQUEST_ROOTS and value.strip()
    }
    if "url" not in request:
        problem("url", "the URL to poll is missing; set it to e.g. '=baseUrl + \"/status\"'")
    method = request.get("method", "GET")
    if not method.startswith("=") and method.upper() not in _METHODS:
        problem("method", f"'{method}' is not one of {', '.join(_METHODS)}")
    auth_type = request.get("authentication.type", "noAuth")
    if not auth_type.startswith("=") and auth_type not in _AUTH_TYPES:
        problem(
            "authentication.type",
            f"unknown authentication type '{auth_type}'; use {', '.join(_AUTH_TYPES)}",
        )
    for name, text in request.items():
        if text.startswith("=") or name in _ALWAYS_FEEL:
            reason = _feel_problem(text)
            if reason:
                problem(name, reason)
    interval = _value(properties, "httpRequestInterval")
    if interval is not None:
        if interval.startswith("="):
            reason = _feel_problem(interval)
            if reason:
                problem("httpRequestInterval", reason)
        else:
            try:
                parse_interval(interval)
            except ValueError as err:
                problem("httpRequestInterval", str(err))
    for name in _CONDITION_PROPERTIES:
        expression = _value(properties, name)
        if expression is not None:
            reason = _feel_problem(expression)
            if reason:
                problem(name, reason)
    result_variable = _value(properties, "resultVariable")
    if result_variable is not None and not re.fullmatch(r"[A-Za-z_]\w*", result_variable):
        problem("resultVariable", f"'{result_variable}' is not a valid variable name")
    if problems:
        raise InboundConfigError(problems)
    return PollingConfig(
        element_id,
        request,
        interval,
        _value(properties, "activationCondition"),
        result_variable,
        _value(properties, "resultExpression"),
        _value(properties, "correlationKeyExpression"),
    )


def polling_element_problem(element: Element) -> str | None:
    """Why `element` cannot poll, or None (an intermediate message catch or message
    boundary event can)."""
    event_type = element.event.type if element.event is not None else EventType.NONE
    if (
        element.kind in (ElementKind.INTERMEDIATE_CATCH_EVENT, ElementKind.BOUNDARY_EVENT)
        and event_type is EventType.MESSAGE
    ):
        return None
    return (
        "HTTP polling can be on an intermediate message catch event or a message boundary "
        f"event, not on a {element.kind}"
    )


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """`{"authentication.type": x}` -> `{"authentication": {"type": x}}`."""
    nested: dict[str, Any] = {}
    for name, value in flat.items():
        *parents, leaf = name.split(".")
        target = nested
        for part in parents:
            child = target.get(part)
            if not isinstance(child, dict):
                child = target[part] = {}
            target = child
        target[leaf] = value
    return nested


def _key_text(value: Any) -> str:
    """A correlation key as the engine compares it: text as it is, integral numbers without a
    fraction; anything else is a FeelFailure naming what came out."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        raise FeelFailure(f"correlationKeyExpression must give a string or a number, not {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if number == number.to_integral_value():
            return str(int(number))
        return str(number.normalize())
    raise FeelFailure(
        f"correlationKeyExpression must give a string or a number, not {type(value).__name__}"
    )


class PollFailed(Exception):
    """One poll could not be made or understood (logged; the next interval retries)."""


@dataclass(slots=True)
class _Wait:
    """An instance waiting at a polling element (one open message subscription)."""

    instance_key: int
    config: PollingConfig
    message_name: str
    correlation_key: str
    due: datetime
    #: the definition the waiting element belongs to
    definition_key: int = 0
    #: whose variables the request sees: the catch event, or a boundary event's activity
    scope_key: int = 0


@dataclass(slots=True)
class _Element:
    """A polling element of one stored version, and how its last poll went."""

    process_id: str
    version: int
    definition_key: int
    element_id: str
    element_kind: str
    config: PollingConfig
    last: dict[str, Any] | None = None
    failures: int = 0
    polls: int = 0

    def record(self, now: datetime, instance_key: int, outcome: str, detail: str = "") -> None:
        self.polls += 1
        self.failures += outcome == "FAILED"
        self.last = {
            "time": now.isoformat(),
            "processInstanceKey": instance_key,
            "outcome": outcome,
            **({"detail": detail} if detail else {}),
        }


class HttpPoller:
    """Polls for every instance that waits at a polling element."""

    def __init__(
        self,
        engine: Any,
        *,
        secrets: SecretResolver | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.engine = engine
        self.secrets = secrets if secrets is not None else default_resolver()
        self._http = http_client
        self._owns_http = http_client is None
        self._tokens = TokenCache()
        #: definition key -> its polling elements (element id -> config); {} = none
        self._definitions: dict[int, dict[str, PollingConfig]] = {}
        #: (definition key, element id) -> the element, its version and last outcome
        self._elements: dict[tuple[int, str], _Element] = {}
        #: process id -> (definition key, version) of its latest version
        self._latest: dict[str, tuple[int, int]] = {}
        #: subscription key -> the wait it stands for
        self._waits: dict[int, _Wait] = {}

    @property
    def waiting(self) -> int:
        """How many waits are being polled."""
        return len(self._waits)

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=20.0, follow_redirects=False)
        return self._http

    # -- finding waits ------------------------------------------------------------------
    def _polling_elements(self, record: Any) -> dict[str, PollingConfig]:
        found: dict[str, PollingConfig] = {}
        try:
            definitions = bpmn.parse(
                record.xml, resource_name=record.resource_name, supported=_ANY_ELEMENT
            )
        except bpmn.BpmnError as err:
            log.error("stored process '%s' cannot be read again: %s", record.process_id, err)
            return found
        for process in definitions.processes:
            if process.id != record.process_id:
                continue
            for element in process.elements.values():
                properties = dict(element.properties)
                if not is_polling(properties) or polling_element_problem(element):
                    continue
                try:
                    found[element.id] = config = parse_polling(element.id, properties)
                except InboundConfigError as err:
                    log.error("stored process '%s': %s", record.process_id, err)
                    continue
                self._elements[(record.key, element.id)] = _Element(
                    record.process_id,
                    record.version,
                    record.key,
                    element.id,
                    str(element.kind),
                    config,
                )
        return found

    def _refresh(self, now: datetime) -> None:
        """Learn new definitions, add new waits (due now), drop waits that ended."""
        open_keys: set[int] = set()
        with self.engine.store.read() as tx:
            polled: set[str] = set()
            for record in tx.definitions():
                if record.key not in self._definitions:
                    self._definitions[record.key] = self._polling_elements(record)
                known = self._latest.get(record.process_id)
                if known is None or record.version > known[1]:
                    self._latest[record.process_id] = (record.key, record.version)
                if self._definitions[record.key]:
                    polled.add(record.process_id)
            for process_id in sorted(polled):
                for instance in tx.instances("ACTIVE", process_id, limit=1_000_000):
                    for sub in tx.subscriptions_of(instance.key):
                        elements = self._definitions.get(sub.definition_key, {})
                        config = elements.get(sub.element_id)
                        if config is None or sub.event_type.lower() != "message":
                            continue
                        open_keys.add(sub.key)
                        if sub.key not in self._waits:
                            self._waits[sub.key] = _Wait(
                                instance.key,
                                config,
                                sub.name,
                                sub.correlation_key or "",
                                now,
                                sub.definition_key,
                                sub.element_instance_key or instance.key,
                            )
        for key in [k for k in self._waits if k not in open_keys]:
            del self._waits[key]

    # -- polling ------------------------------------------------------------------------
    async def poll_due(self, now: datetime | None = None) -> int:
        """Poll every wait that is due at `now` (default: the engine's clock); returns how
        many polls were made. Failures are logged and retried after the interval."""
        now = now if now is not None else self.engine.clock.now()
        self._refresh(now)
        due = [(key, wait) for key, wait in self._waits.items() if wait.due <= now]
        await asyncio.gather(*(self._poll(key, wait, now) for key, wait in due))
        return len(due)

    def _visible_variables(self, wait: _Wait) -> dict[str, Any] | None:
        """The variables the waiting element sees, or None once it no longer exists."""
        with self.engine.store.read() as tx:
            return queries.visible_variables(tx, wait.scope_key)

    async def _poll(self, key: int, wait: _Wait, now: datetime) -> None:
        where = f"instance {wait.instance_key}, element '{wait.config.element_id}'"
        element = self._elements.get((wait.definition_key, wait.config.element_id))

        def record(outcome: str, detail: str = "") -> None:
            if element is not None:
                element.record(now, wait.instance_key, outcome, mask_text(detail))

        variables = self._visible_variables(wait)
        if variables is None:
            self._waits.pop(key, None)
            return
        try:
            wait.due = now + parse_interval(wait.config.interval, variables)
        except ValueError as err:
            wait.due = now + DEFAULT_INTERVAL
            log.warning("HTTP polling %s: httpRequestInterval %s; using PT50S", where, err)
        try:
            response = await self._request(wait.config, variables)
            fire, result, correlation_key = self._outcome(wait.config, response)
        except (PollFailed, FeelFailure, ConnectorInputError) as err:
            log.warning("HTTP polling %s failed: %s", where, mask_text(str(err)))
            record("FAILED", str(err))
            return
        except Exception as err:  # a poll must never stop the others
            log.exception("HTTP polling %s failed unexpectedly: %s", where, mask_text(str(err)))
            record("FAILED", f"unexpected error: {err}")
            return
        if not fire:
            record("CONDITION_NOT_MET")
            return
        own = correlation_key is None or correlation_key == wait.correlation_key
        if correlation_key is None:
            correlation_key = wait.correlation_key
        try:
            self.engine.correlate_message(wait.message_name, correlation_key, result)
        except NotFound:
            if own:
                log.info("HTTP polling %s: the instance no longer waits", where)
                self._waits.pop(key, None)
                record("NOT_WAITING")
            else:
                log.info(
                    "HTTP polling %s: no instance waits for message '%s' with correlation key "
                    "'%s' (correlationKeyExpression); polling again after the interval",
                    where,
                    wait.message_name,
                    mask_text(correlation_key),
                )
                record("NO_MATCHING_INSTANCE", f"correlation key '{correlation_key}'")
            return
        except EngineError as err:
            log.warning("HTTP polling %s: correlating failed: %s", where, mask_text(str(err)))
            record("FAILED", f"correlating failed: {err}")
            return
        if own:
            self._waits.pop(key, None)
        log.info(
            "HTTP polling %s: condition met, message '%s' correlated with key '%s'",
            where,
            wait.message_name,
            mask_text(correlation_key),
        )
        record("CORRELATED", f"correlation key '{correlation_key}'")

    def _resolve_secrets(self, request: dict[str, str]) -> dict[str, str]:
        missing: list[str] = []

        def lookup(name: str) -> str:
            value = self.secrets.get(name)
            if value is None:
                missing.append(name)
                return ""
            remember_secret(value)
            return value

        resolved = replace_secrets(request, lookup)
        if missing:
            raise PollFailed(
                f"the secret(s) {', '.join(sorted(set(missing)))} are not set; set them "
                "(environment variable or `flowwire secrets set`)"
            )
        return dict(resolved)

    def _request_input(self, config: PollingConfig, variables: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, text in self._resolve_secrets(config.request).items():
            if text.startswith("=") or name in _ALWAYS_FEEL:
                values[name] = to_plain(evaluate(name, text, variables))
            else:
                values[name] = text
        return _nest(values)

    async def _request(self, config: PollingConfig, variables: dict[str, Any]) -> dict[str, Any]:
        request = bind_input(HttpJsonRequest, self._request_input(config, variables))
        prepared = prepare(request)
        client = self._client()
        await apply_authentication(
            request.authentication,
            prepared.headers,
            prepared.params,
            client=client,
            tokens=self._tokens,
            timeout=prepared.timeout,
        )
        url = prepared.url
        if prepared.params:
            url = url.copy_merge_params(httpx.QueryParams(tuple(prepared.params)))
        try:
            response = await client.request(
                prepared.method,
                url,
                headers=prepared.headers,
                content=prepared.content,
                files=prepared.files,
                timeout=prepared.timeout,
                follow_redirects=request.followRedirects,
                extensions=prepared.extensions(),
            )
        except httpx.HTTPError as exc:
            raise PollFailed(str(transport_error(exc, request.url))) from None
        if response.status_code >= 400:
            raise PollFailed(f"{request.method} {request.url} answered {response.status_code}")
        return as_result(response)

    @staticmethod
    def _outcome(
        config: PollingConfig, response: dict[str, Any]
    ) -> tuple[bool, dict[str, Any], str | None]:
        """Whether the condition holds, the variables to correlate with, and the correlation
        key `correlationKeyExpression` gives (None without one). FEEL sees the response as
        `response` and its fields `status`, `headers`, `body` directly."""
        scope = {**response, "response": response}
        condition = config.activation_condition
        if condition is not None and evaluate_lenient(condition, scope) is not True:
            return False, {}, None
        correlation_key = None
        if config.correlation_key_expression:
            correlation_key = _key_text(
                evaluate("correlationKeyExpression", config.correlation_key_expression, scope)
            )
        result: dict[str, Any] = {}
        if config.result_variable:
            result[config.result_variable] = response
        if config.result_expression:
            mapped = evaluate("resultExpression", config.result_expression, scope)
            if mapped is not None and not isinstance(mapped, dict):
                raise FeelFailure("resultExpression must give a context such as {status: body.s}")
            result.update(mapped or {})
        return True, to_plain(result), correlation_key

    # -- listing ------------------------------------------------------------------------
    def describe(self) -> list[dict[str, Any]]:
        """The polling elements for `GET /inbound`: those of every process's latest version
        and of older versions while instances wait there, with how many instances are being
        polled and how the last poll went (as of the last polling round)."""
        waiting: dict[tuple[int, str], int] = {}
        for wait in self._waits.values():
            element_key = (wait.definition_key, wait.config.element_id)
            waiting[element_key] = waiting.get(element_key, 0) + 1
        listed = []
        for element_key, element in sorted(
            self._elements.items(), key=lambda item: (item[1].process_id, item[1].version, item[0])
        ):
            latest = self._latest.get(element.process_id, (None, 0))[0] == element.definition_key
            count = waiting.get(element_key, 0)
            if not latest and count == 0:
                continue
            if element.last is None:
                health: dict[str, Any] = {"status": "UNKNOWN", "reason": "not polled yet"}
            elif element.last["outcome"] == "FAILED":
                health = {"status": "DOWN", "reason": element.last.get("detail", "")}
            else:
                health = {"status": "UP"}
            listed.append(
                {
                    "type": POLLING_TYPE,
                    "processId": element.process_id,
                    "version": element.version,
                    "processDefinitionKey": element.definition_key,
                    "latestVersion": latest,
                    "elementId": element.element_id,
                    "elementType": element.element_kind,
                    "interval": element.config.interval or "PT50S",
                    "polledInstances": count,
                    "polls": element.polls,
                    "failedPolls": element.failures,
                    "lastPoll": element.last,
                    "health": health,
                }
            )
        return listed

    # -- serving ------------------------------------------------------------------------
    async def serve(self, stop: asyncio.Event, *, interval: float = 0.25) -> None:
        """Until `stop` is set, poll what is due every `interval` seconds."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
                return
            except TimeoutError:
                pass
            try:
                await self.poll_due()
            except Exception:
                log.exception("HTTP polling round failed; retrying")

    async def aclose(self) -> None:
        if self._http is not None and self._owns_http:
            await self._http.aclose()
        self._http = None
