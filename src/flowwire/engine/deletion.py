"""Resource deletion: a deployed process version stops being deployed.

As Camunda 8.9 documents it: the deleted version creates no new instance (by key: NOT_FOUND;
by process id: the latest version left), its start events stop at once (message, signal and
timer starts), and the instances already running on it carry on until they end. Deleting the
latest version makes the previous one the latest again and re-opens its start events.

The row stays in the store, flagged with `deleted_at`: the running instances still need the
model, and it keeps the version number taken (deploying the id again continues counting).
Every query that lists or picks deployed versions skips flagged rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowwire.engine.deployer import definition_info
from flowwire.engine.errors import NotFound
from flowwire.engine.incidents import StepFailure
from flowwire.engine.results import ProcessDefinition
from flowwire.engine.start_events import open_start_events

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

log = logging.getLogger("flowwire.engine")


@dataclass(frozen=True, slots=True)
class DefinitionDeletion:
    """What a deletion changed: the deleted version and, when it was the latest, the version
    that is latest now (None when no version of the process is left)."""

    deleted: ProcessDefinition
    was_latest: bool
    latest: ProcessDefinition | None


def delete_definition(ctx: Context, key: int) -> DefinitionDeletion:
    """Flag the version deleted and move its process's start events to the new latest."""
    record = ctx.tx.definition(key)
    if record is None or record.deleted_at is not None:
        state = "was already deleted" if record is not None else "does not exist"
        raise NotFound(f"no deployed process definition with key {key} (it {state})")
    latest_before = ctx.tx.latest_definition(record.process_id)
    was_latest = latest_before is not None and latest_before.key == key
    ctx.tx.mark_definition_deleted(key, ctx.now)
    # the cached model must not start instances any more: the next read loads the flagged row
    ctx.models.forget(key)
    if not was_latest:
        return DefinitionDeletion(definition_info(record), False, None)
    previous = ctx.tx.latest_definition(record.process_id)
    if previous is None:
        _close_start_events(ctx, record.process_id)
        return DefinitionDeletion(definition_info(record), True, None)
    try:
        open_start_events(ctx, ctx.model(previous.key))
    except StepFailure as failure:
        # it was valid when deployed; a start that cannot be scheduled again (a timer date
        # that no longer evaluates) must not block the deletion
        log.warning(
            "process '%s' version %d: a start event could not be re-opened: %s",
            previous.process_id,
            previous.version,
            failure,
        )
    return DefinitionDeletion(definition_info(record), True, definition_info(previous))


def _close_start_events(ctx: Context, process_id: str) -> None:
    for subscription in ctx.waits.start_subscriptions(process_id):
        ctx.waits.remove_subscription(subscription)
    for timer in ctx.waits.start_timers(process_id):
        ctx.waits.remove_timer(timer)
