"""``flowwire run FILE.bpmn``: deploy a file, start one instance, run it until it completes or waits.

Without ``--store`` (or ``$FLOWWIRE_STORE``) everything happens in a throw-away store, so trying
a model leaves nothing behind. The exit code tells a script what happened: 0 completed, 1 an
incident (or the instance ended without completing), 2 waiting for something outside (a job
worker, a user, a message).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from flowwire import bpmn
from flowwire.bpmn import ElementKind, EventType
from flowwire.bpmn.support import support_key
from flowwire.cli._display import to_json
from flowwire.cli._engine_session import STORE_ENV, engine_session, store_option
from flowwire.cli.deploy_cmd import echo_rejection
from flowwire.connectors import ConnectorDefinitionError, ConnectorSession, discover
from flowwire.engine import DeploymentRejected, Engine, ManualClock
from flowwire.engine.timers import Duration, TimerValueError, parse_duration

EXIT_COMPLETED = 0
EXIT_INCIDENT = 1
EXIT_WAITING = 2

#: element kinds that wait for something outside the engine, and what that something is
_WAIT_REASONS = {
    "userTask": "a user to complete the user task",
    "receiveTask": "a message",
    "intermediateCatchEvent": "an event",
    "eventBasedGateway": "one of its events",
    "callActivity": "the called process",
}


def parse_variables(text: str | None, option: str = "--vars") -> dict[str, Any]:
    """The ``--vars`` (or another option's) JSON, an object of variable names to values."""
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise click.BadParameter(
            f"is not valid JSON ({error.msg} at column {error.colno}); "
            "give an object such as '{\"amount\": 250}'",
            param_hint=option,
        ) from error
    if not isinstance(value, dict):
        raise click.BadParameter(
            "must be a JSON object such as '{\"amount\": 250}'", param_hint=option
        )
    return value


def parse_messages(
    names: tuple[str, ...], keys: tuple[str, ...], variables: tuple[str, ...]
) -> list[tuple[str, str, dict[str, Any]]]:
    """The ``--message`` / ``--key`` / ``--message-vars`` options, paired by position."""
    if not names:
        if keys or variables:
            raise click.BadParameter(
                "--key and --message-vars belong to a --message NAME; add one", param_hint="--key"
            )
        return []
    if len(keys) not in (0, 1, len(names)):
        raise click.BadParameter(
            f"give one --key for all messages or one per --message ({len(names)})",
            param_hint="--key",
        )
    if len(variables) not in (0, len(names)):
        raise click.BadParameter(
            f"give one --message-vars per --message ({len(names)}) or none",
            param_hint="--message-vars",
        )
    result = []
    for index, name in enumerate(names):
        key = keys[index] if len(keys) > 1 else (keys[0] if keys else "")
        text = variables[index] if variables else None
        result.append((name, key, parse_variables(text, "--message-vars")))
    return result


def parse_advance(text: str) -> tuple[str, Duration]:
    """An ``--advance`` duration such as PT1H or P1D."""
    try:
        duration = parse_duration(text)
    except TimerValueError as error:
        raise click.BadParameter(str(error), param_hint="--advance") from error
    if not duration.is_positive:
        raise click.BadParameter(
            "the clock only moves forward: give a positive duration", param_hint="--advance"
        )
    return text, duration


@contextmanager
def _store_file(store_path: Path | None) -> Iterator[Path]:
    if store_path is not None:
        yield store_path
        return
    with tempfile.TemporaryDirectory(prefix="flowwire-run-") as directory:
        yield Path(directory) / "flowwire.db"


#: how long `run` waits, in real time, for connector jobs to come out of a retry backoff
RETRY_WAIT = timedelta(minutes=1)


def drive(engine: Engine, connectors: ConnectorSession, printer: HistoryPrinter) -> None:
    """Runs the instance's in-engine work and its connector jobs until neither has more to do."""
    while True:
        engine.run_until_idle()
        printer.print_new()
        if connectors.run_until_idle(wait_for_retries=RETRY_WAIT) == 0:
            return


#: history transitions of element instances and how `run` words them
_ELEMENT_TRANSITIONS = {"ACTIVATED": "entered", "COMPLETED": "left", "TERMINATED": "terminated"}


class HistoryPrinter:
    """Prints the instance's history entries that have not been printed yet, in order."""

    def __init__(self, engine: Engine, instance_key: int, names: dict[str, str]) -> None:
        self._engine = engine
        self._instance_key = instance_key
        self._names = names
        self._printed_seq = -1

    def print_new(self) -> None:
        for entry in self._engine.history(self._instance_key):
            if entry.seq <= self._printed_seq:
                continue
            self._printed_seq = entry.seq
            verb = _ELEMENT_TRANSITIONS.get(entry.transition)
            if verb is None or entry.element_id is None or entry.element_kind == "sequenceFlow":
                continue
            if entry.transition == "ACTIVATED":
                name = self._names.get(entry.element_id)
                label = f"{entry.element_kind}" + (f" '{name}'" if name else "")
                click.echo(f"  {verb:<10} {entry.element_id:<24} {label}")
            else:
                click.echo(f"  {verb:<10} {entry.element_id}")


#: every element bpmn can read: the engine has already validated the file when names are read
_ANY_ELEMENT = frozenset(
    support_key(kind, event_type) for kind in ElementKind for event_type in EventType
)


def _element_names(path: Path) -> dict[str, str]:
    """Element and process names by id, to label the elements `run` prints."""
    names: dict[str, str] = {}
    definitions = bpmn.parse(path.read_bytes(), resource_name=path.name, supported=_ANY_ELEMENT)
    for process in definitions.processes:
        if process.name:
            names[process.id] = process.name
        names.update({eid: el.name for eid, el in process.elements.items() if el.name})
    return names


def _has_none_start(path: Path, process_id: str) -> bool:
    definitions = bpmn.parse(path.read_bytes(), resource_name=path.name, supported=_ANY_ELEMENT)
    return bool(definitions.process(process_id).start_events(event_type=EventType.NONE))


def _start_by_message(
    engine: Engine, process_id: str, name: str, key: str, variables: dict[str, Any]
) -> int:
    """Publish the message that starts the process; the key of the instance it started."""
    result = engine.correlate_message(name, key, variables)
    for instance_key in result.process_instance_keys:
        if engine.get_instance(instance_key).process_id == process_id:
            return instance_key
    raise click.ClickException(
        f"the message '{name}' did not start process '{process_id}': give the name of one of "
        "its message start events as the first --message"
    )


def _choose_process(process_ids: list[str], wanted: str | None, path: Path) -> str:
    if wanted is not None:
        if wanted not in process_ids:
            raise click.BadParameter(
                f"{path} has no process '{wanted}'; it holds: {', '.join(process_ids)}",
                param_hint="--process",
            )
        return wanted
    if len(process_ids) != 1:
        raise click.BadParameter(
            f"{path} holds {len(process_ids)} processes ({', '.join(process_ids)}); "
            "choose one with --process ID",
            param_hint="--process",
        )
    return process_ids[0]


def report_outcome(engine: Engine, instance_key: int) -> int:
    """Prints how the instance stands and returns the exit code for it."""
    instance = engine.get_instance(instance_key)
    incidents = engine.incidents(state="ACTIVE", instance_key=instance_key)
    variables = engine.variables(instance_key)
    if incidents:
        click.echo(f"incident{'s' if len(incidents) > 1 else ''}:")
        for incident in incidents:
            click.echo(
                f"  {incident.error_type} at element '{incident.element_id}': {incident.message}"
            )
        _print_variables("variables", variables)
        return EXIT_INCIDENT
    if instance.state == "COMPLETED":
        click.echo("completed")
        _print_variables("variables", variables)
        return EXIT_COMPLETED
    if instance.state != "ACTIVE":
        click.echo(f"the instance ended as {instance.state}, without completing")
        return EXIT_INCIDENT
    click.echo("waiting for:")
    for line in waiting_for(engine, instance_key):
        click.echo(f"  {line}")
    _print_variables("variables so far", variables)
    return EXIT_WAITING


def waiting_for(engine: Engine, instance_key: int) -> list[str]:
    """What the instance waits for, one line per waiting element, with the key to act on."""
    lines: list[str] = []
    job_elements: set[int] = set()
    for job in engine.jobs(instance_key=instance_key):
        if job.state in ("ACTIVATABLE", "ACTIVATED"):
            job_elements.add(job.element_instance_key)
            lines.append(
                f"a worker for job type '{job.type}' at element '{job.element_id}' "
                f"(job key {job.key})"
            )
    events: dict[int, list[str]] = {}
    for subscription in engine.subscriptions(instance_key):
        what = f"the {subscription.event_type} '{subscription.name}'"
        if subscription.correlation_key is not None:
            what += f" with correlation key '{subscription.correlation_key}'"
        events.setdefault(subscription.element_instance_key or 0, []).append(
            f"{what} at element '{subscription.element_id}'"
        )
    for timer in engine.timers(instance_key):
        events.setdefault(timer.element_instance_key or 0, []).append(
            f"a timer due {timer.due.isoformat()} at element '{timer.element_id}'"
        )
    for key_events in events.values():
        lines.extend(key_events)
    for element in engine.element_instances(instance_key):
        if element.state != "ACTIVE" or element.key in job_elements or element.key in events:
            continue
        reason = _WAIT_REASONS.get(str(element.element_kind))
        if reason is not None:
            lines.append(
                f"{reason} at element '{element.element_id}' (element instance key {element.key})"
            )
    return lines or ["nothing the engine can name (see `flowwire instances`)"]


def _print_variables(title: str, variables: dict[str, Any]) -> None:
    click.echo(f"{title}:")
    click.echo(to_json(variables))


@click.command(name="run")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--vars", "variables_json", metavar="JSON", help="Start variables, a JSON object.")
@click.option(
    "--message",
    "message_names",
    multiple=True,
    metavar="NAME",
    help="Once the instance waits, publish a message with this name (repeatable, in order).",
)
@click.option(
    "--key",
    "message_keys",
    multiple=True,
    metavar="KEY",
    help="Correlation key of each --message, in the same order (given once: for all of them).",
)
@click.option(
    "--message-vars",
    "message_variables",
    multiple=True,
    metavar="JSON",
    help="Variables of each --message, a JSON object, in the same order.",
)
@click.option(
    "--advance",
    "advances",
    multiple=True,
    metavar="DURATION",
    help="Then move the engine's clock on by an ISO 8601 duration (e.g. PT1H, P1D) and fire "
    "the timers that came due (repeatable).",
)
@click.option(
    "--process", "process_id", metavar="ID", help="Process to start when FILE holds several."
)
@click.option(
    "--connector",
    "connector_refs",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="Also run this Python connector (repeatable); built-in and installed ones always run.",
)
@store_option(
    default=None,
    help_text=f"Keep the instance in this SQLite store (default: ${STORE_ENV}, else a temporary one).",
)
@click.pass_context
def command(
    ctx: click.Context,
    file: Path,
    variables_json: str | None,
    message_names: tuple[str, ...],
    message_keys: tuple[str, ...],
    message_variables: tuple[str, ...],
    advances: tuple[str, ...],
    process_id: str | None,
    connector_refs: tuple[str, ...],
    store_path: Path | None,
) -> None:
    """Deploy FILE, start one instance and run it until it completes or waits.

    Prints each element as it is entered and left, then the variables. Exit code 0: completed;
    1: an incident (printed with its type, element and message); 2: waiting for a job worker,
    a user task, a message or a timer (printed with the keys to act on).

    Connector tasks (the built-in REST connector, installed connectors and each --connector)
    run in-process; each call's outcome is printed. A failed call waiting out its retry
    backoff is waited for (in real time, a minute at most in all); after that the instance
    is reported as waiting.

    Once the instance waits, each --message is published (with its --key and --message-vars)
    and then the clock is moved on by each --advance, firing the timers that came due. A
    process without a none start event is started by its first --message (its variables:
    --message-vars, else --vars).
    """
    variables = parse_variables(variables_json)
    messages = parse_messages(message_names, message_keys, message_variables)
    steps = [parse_advance(text) for text in advances]
    try:
        registry = discover(connector_refs)
    except ConnectorDefinitionError as error:
        raise click.ClickException(str(error)) from error
    with ExitStack() as stack:
        path = stack.enter_context(_store_file(store_path))
        engine = stack.enter_context(engine_session(path, must_exist=False))
        if steps:
            engine.clock = ManualClock(engine.clock.now())
        try:
            deployment = engine.deploy(str(file))
        except DeploymentRejected as rejection:
            echo_rejection(rejection)
            ctx.exit(EXIT_INCIDENT)
        chosen = _choose_process([p.process_id for p in deployment.processes], process_id, file)
        definition = next(p for p in deployment.processes if p.process_id == chosen)
        if messages and not _has_none_start(file, chosen):
            # started by its message start event: the first --message starts it
            name, key, message_vars = messages.pop(0)
            instance_key = _start_by_message(engine, chosen, name, key, message_vars or variables)
            click.echo(f"published message '{name}' with correlation key '{key}'")
        else:
            instance_key = engine.create_instance(
                chosen, variables, definition_key=definition.key
            ).key
        click.echo(
            f"instance {instance_key} of {chosen} version {definition.version} (store {path})"
            if store_path is not None
            else f"instance {instance_key} of {chosen} version {definition.version}"
        )
        printer = HistoryPrinter(engine, instance_key, _element_names(file))
        printer.print_new()
        connectors = stack.enter_context(
            ConnectorSession(engine, registry, on_report=lambda r: click.echo(f"  {r.describe()}"))
        )
        drive(engine, connectors, printer)
        for name, key, message_vars in messages:
            engine.publish_message(name, key, message_vars)
            click.echo(f"published message '{name}' with correlation key '{key}'")
            drive(engine, connectors, printer)
        for text, step in steps:
            assert isinstance(engine.clock, ManualClock)
            engine.clock.set(step.after(engine.clock.now()))
            click.echo(f"advanced the clock by {text} to {engine.clock.now().isoformat()}")
            drive(engine, connectors, printer)
        code = report_outcome(engine, instance_key)
    ctx.exit(code)
