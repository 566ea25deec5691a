"""The Python connector SDK: declare a connector with a decorator, find connectors to run.

::

    class WeatherInput(BaseModel):
        city: str

    @outbound_connector(type="io.example:weather:1", name="Weather")
    async def weather(input: WeatherInput, ctx: OutboundContext) -> dict: ...

The first parameter's annotation is the input model (a pydantic model; `dict` or no
annotation gets the raw variables); a second parameter, if any, receives the
`OutboundContext`. Sync functions are allowed and run in a worker thread.

Discovery, later sources overriding earlier ones for the same type: the built-in connectors,
entry points of installed packages (group `flowwire.connectors`, each naming a decorated
function or a list of them), and `module:function` references from the command line.
"""

from __future__ import annotations

import asyncio
import builtins
import importlib
import inspect
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import entry_points
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel

from flowwire.connectors.errors import ConnectorDefinitionError

ENTRY_POINT_GROUP = "flowwire.connectors"
_ATTRIBUTE = "__flowwire_connector__"

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class OutboundConnector:
    """A declared outbound connector: its job type, function and input model."""

    type: str
    name: str
    function: Callable[..., Any]
    input_model: builtins.type[BaseModel] | None
    takes_context: bool
    is_async: bool
    description: str = ""
    template_id: str | None = None
    template_version: int = 1
    groups: tuple[tuple[str, str], ...] = ()
    icon: str | None = None
    documentation_ref: str | None = None
    keywords: tuple[str, ...] = ()
    #: the lease asked for when activating its jobs; a hanging call is cancelled after it
    timeout: timedelta = timedelta(minutes=5)
    #: at most this many of its jobs run at once
    max_in_flight: int = 32
    source: str = field(default="", compare=False)

    async def call(self, input_value: Any, context: Any) -> Any:
        """Run the connector function (a sync one in a worker thread)."""
        args = (input_value, context) if self.takes_context else (input_value,)
        if self.is_async:
            return await self.function(*args)
        return await asyncio.to_thread(self.function, *args)

    def __repr__(self) -> str:
        return f"OutboundConnector({self.type!r}, {self.name!r})"


def outbound_connector(
    type: str,
    name: str | None = None,
    *,
    input_model: type[BaseModel] | None = None,
    description: str = "",
    template_id: str | None = None,
    template_version: int = 1,
    groups: Sequence[tuple[str, str]] = (),
    icon: str | None = None,
    documentation_ref: str | None = None,
    keywords: Sequence[str] = (),
    timeout: timedelta = timedelta(minutes=5),
    max_in_flight: int = 32,
) -> Callable[[F], F]:
    """Declare `fn` an outbound connector for job type `type`; returns `fn` unchanged.

    `groups` are (id, label) pairs for the element template, in display order; a field joins
    one with `connector_field(group=...)`.
    """
    if not isinstance(type, str) or not type.strip():
        raise ConnectorDefinitionError("outbound_connector needs a job type, e.g. 'io.example:x:1'")
    if max_in_flight < 1:
        raise ConnectorDefinitionError(f"max_in_flight must be 1 or more, not {max_in_flight}")
    if timeout <= timedelta(0):
        raise ConnectorDefinitionError(f"timeout must be positive, not {timeout}")

    def decorate(fn: F) -> F:
        model, takes_context = _signature(fn, input_model, type)
        connector = OutboundConnector(
            type=type,
            name=name or fn.__name__,
            function=fn,
            input_model=model,
            takes_context=takes_context,
            is_async=inspect.iscoroutinefunction(fn),
            description=description or inspect.getdoc(fn) or "",
            template_id=template_id,
            template_version=template_version,
            groups=tuple((str(g), str(label)) for g, label in groups),
            icon=icon,
            documentation_ref=documentation_ref,
            keywords=tuple(keywords),
            timeout=timeout,
            max_in_flight=max_in_flight,
            source=f"{fn.__module__}:{fn.__qualname__}",
        )
        setattr(fn, _ATTRIBUTE, connector)
        return fn

    return decorate


def _signature(
    fn: Callable[..., Any], explicit: type[BaseModel] | None, job_type: str
) -> tuple[type[BaseModel] | None, bool]:
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError) as exc:
        raise ConnectorDefinitionError(f"connector '{job_type}': {exc}") from exc
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not positional or len(positional) > 2:
        raise ConnectorDefinitionError(
            f"connector '{job_type}' ({fn.__qualname__}) must take the input and optionally "
            "the context: def fn(input: MyInput, ctx: OutboundContext)"
        )
    model = explicit
    if model is None:
        try:
            hints = get_type_hints(fn)
        except Exception:
            hints = {}
        annotation = hints.get(positional[0].name)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    if model is not None and not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise ConnectorDefinitionError(
            f"connector '{job_type}': input_model must be a pydantic BaseModel subclass"
        )
    return model, len(positional) == 2


def connector_of(obj: Any) -> OutboundConnector:
    """The `OutboundConnector` declared on a decorated function (or `obj` itself)."""
    if isinstance(obj, OutboundConnector):
        return obj
    connector = getattr(obj, _ATTRIBUTE, None)
    if isinstance(connector, OutboundConnector):
        return connector
    raise ConnectorDefinitionError(
        f"{getattr(obj, '__qualname__', repr(obj))} is not a connector: decorate it with "
        "@outbound_connector(type=...)"
    )


class ConnectorRegistry:
    """Connectors by job type; adding a type twice replaces the earlier one."""

    def __init__(self, connectors: Iterable[Any] = ()) -> None:
        self._by_type: dict[str, OutboundConnector] = {}
        for item in connectors:
            self.add(item)

    def add(self, obj: Any) -> OutboundConnector:
        connector = connector_of(obj)
        previous = self._by_type.get(connector.type)
        if previous is not None and previous.function is not connector.function:
            log.info(
                "connector type %s: %s replaces %s",
                connector.type,
                connector.source,
                previous.source,
            )
        self._by_type[connector.type] = connector
        return connector

    def get(self, job_type: str) -> OutboundConnector | None:
        return self._by_type.get(job_type)

    def types(self) -> list[str]:
        return sorted(self._by_type)

    def __iter__(self) -> Iterator[OutboundConnector]:
        return iter([self._by_type[t] for t in self.types()])

    def __len__(self) -> int:
        return len(self._by_type)

    def __contains__(self, job_type: object) -> bool:
        return job_type in self._by_type


def load_reference(reference: str) -> list[OutboundConnector]:
    """The connector(s) a `module:attribute` reference names (a function or a list of them)."""
    module_name, sep, attribute = reference.partition(":")
    if not sep or not module_name or not attribute:
        raise ConnectorDefinitionError(
            f"'{reference}' is not a connector reference; write module:function, "
            "e.g. my_package.weather:weather"
        )
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConnectorDefinitionError(
            f"cannot import module '{module_name}' of connector reference '{reference}': {exc}"
        ) from exc
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ConnectorDefinitionError(
                f"module '{module_name}' has no '{attribute}' (connector reference '{reference}')"
            ) from None
    return _connectors_in(target, reference)


def _connectors_in(target: Any, origin: str) -> list[OutboundConnector]:
    if isinstance(target, list | tuple):
        return [connector_of(item) for item in target]
    try:
        return [connector_of(target)]
    except ConnectorDefinitionError as exc:
        raise ConnectorDefinitionError(f"{origin}: {exc}") from None


def builtin_connectors() -> list[OutboundConnector]:
    """The connectors that ship with flowwire."""
    from flowwire.connectors.rest.connector import http_json

    return [connector_of(http_json)]


def installed_connectors(group: str = ENTRY_POINT_GROUP) -> list[OutboundConnector]:
    """Connectors that installed packages declare as entry points."""
    found: list[OutboundConnector] = []
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            target = entry.load()
        except Exception as exc:
            raise ConnectorDefinitionError(
                f"the connector entry point '{entry.name}' ({entry.value}) failed to load: {exc}; "
                "fix or uninstall the package that declares it"
            ) from exc
        found.extend(_connectors_in(target, f"entry point '{entry.name}' ({entry.value})"))
    return found


def discover(
    references: Iterable[str] = (), *, builtins: bool = True, installed: bool = True
) -> ConnectorRegistry:
    """Every connector available to run: built-ins, installed packages, then `references`."""
    registry = ConnectorRegistry()
    if builtins:
        for connector in builtin_connectors():
            registry.add(connector)
    if installed:
        for connector in installed_connectors():
            registry.add(connector)
    for reference in references:
        for connector in load_reference(reference):
            registry.add(connector)
    return registry
