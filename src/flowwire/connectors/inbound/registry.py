"""Which webhook ids are active, for which elements, and the rules for sharing an id.

An endpoint is one webhook id; it normally serves one element. Several elements may share an
id when they are deduplicated: their connector properties are identical, or they carry the
same manual `deduplicationId`. The first element's endpoint settings (method, HMAC, auth,
verification and response expressions) answer the request; each element's activation
condition then decides whether it fires. Any other reuse of an id is a deployment error that
names both elements.

The registry is immutable: a deployment computes a new one and the manager swaps it in, so a
request never sees a half-applied deployment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flowwire.bpmn import ElementKind
from flowwire.connectors.inbound.config import WebhookConfig


@dataclass(frozen=True, slots=True)
class Activation:
    """One element that a webhook id triggers."""

    process_id: str
    definition_key: int
    version: int
    element_id: str
    element_kind: str
    #: a none start event: a request creates an instance; otherwise it publishes a message
    starts_instance: bool
    message_name: str | None
    #: the configuration with secret references replaced
    config: WebhookConfig
    #: why the element cannot serve requests (e.g. a missing secret), or None when it can
    problem: str | None = None

    @property
    def on_start_event(self) -> bool:
        """A none or message start event: a new version replaces it at once (nothing waits
        there), unlike a catch event, boundary event or receive task."""
        return self.starts_instance or self.element_kind == ElementKind.START_EVENT

    @property
    def element_key(self) -> tuple[int, str]:
        return (self.definition_key, self.element_id)

    def describe(self) -> str:
        return (
            f"element '{self.element_id}' of process '{self.process_id}' (version {self.version})"
        )


@dataclass(frozen=True, slots=True)
class Endpoint:
    webhook_id: str
    activations: tuple[Activation, ...]

    @property
    def primary(self) -> Activation:
        return self.activations[0]

    @property
    def problem(self) -> str | None:
        return self.primary.problem


@dataclass(frozen=True, slots=True)
class Registry:
    endpoints: dict[str, Endpoint] = field(default_factory=dict)

    def get(self, webhook_id: str) -> Endpoint | None:
        return self.endpoints.get(webhook_id)

    def activations(self) -> list[Activation]:
        return [a for endpoint in self.endpoints.values() for a in endpoint.activations]

    def apply(
        self, replaced_processes: Iterable[str], additions: Iterable[Activation]
    ) -> tuple[Registry, list[str]]:
        """The registry after a deployment, and the id conflicts that forbid it.

        The start-event webhooks (none and message starts) of every process in
        `replaced_processes` go away (a new version replaces them); its other webhooks stay
        while older instances may wait on them (`without` retires them once none does),
        unless a new version's element takes over their id with other settings.
        """
        replaced = set(replaced_processes)
        new_items = list(additions)
        new_elements = {a.element_key for a in new_items}
        kept: dict[str, list[Activation]] = {}
        for activation in self.activations():
            if activation.process_id in replaced and (
                activation.on_start_event
                or activation.element_key in new_elements  # the same version again
            ):
                continue
            kept.setdefault(activation.config.webhook_id, []).append(activation)
        problems: list[str] = []
        for activation in new_items:
            webhook_id = activation.config.webhook_id
            sharing = kept.setdefault(webhook_id, [])
            stale = [
                other
                for other in sharing
                if other.process_id == activation.process_id
                and other.definition_key != activation.definition_key
                and not _shareable(other, activation)
            ]
            for other in stale:  # an older version's catch event gives way to the new model
                sharing.remove(other)
            clash = next((o for o in sharing if not _shareable(o, activation)), None)
            if clash is not None:
                problems.append(
                    f"webhook id '{webhook_id}' of {activation.describe()} is already used by "
                    f"{clash.describe()}; give one of them another inbound.context, or make "
                    "their connector properties identical (or give both the same "
                    "deduplicationId) to share it"
                )
                continue
            sharing.append(activation)
        endpoints = {
            webhook_id: Endpoint(webhook_id, tuple(items))
            for webhook_id, items in kept.items()
            if items
        }
        return Registry(endpoints), problems

    def without(self, retired: Iterable[tuple[int, str]]) -> Registry:
        """The registry without the activations of these (definition key, element id) pairs;
        an id whose last activation goes is no longer served (404)."""
        gone = set(retired)
        endpoints: dict[str, Endpoint] = {}
        for webhook_id, endpoint in self.endpoints.items():
            kept = tuple(a for a in endpoint.activations if a.element_key not in gone)
            if kept:
                endpoints[webhook_id] = Endpoint(webhook_id, kept)
        return Registry(endpoints)


def _shareable(a: Activation, b: Activation) -> bool:
    return a.config.dedup_key() == b.config.dedup_key()
