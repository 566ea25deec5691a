"""Multi-instance activities, as Camunda 8 runs them: a body that holds one inner instance per
item of the input collection.

- The *body* is an element instance of kind `multiInstanceBody` with the activity's element id.
  Activating it evaluates `inputCollection` (it must be a list, else an EXTRACT_VALUE_ERROR
  incident), creates `outputCollection` as its local variable (one null per item) and starts
  the inner instances: all at once (parallel) or one after another (sequential). An empty
  collection completes the body at once, with an empty output collection.
- Each *inner instance* is an element instance of the activity itself inside the body, with
  the local variables `loopCounter` (1-based), `inputElement` and, when `outputElement` is a
  plain variable (or a path into one), that variable set to null, so a worker's result lands
  in the iteration instead of the process. The activity's input and output mappings apply to
  each inner instance.
- When an inner instance completes, `outputElement` is evaluated in its scope and stored at
  its index of the output collection (so the collection keeps input order), then the
  completion condition is evaluated in the same scope, seeing `numberOfInstances`,
  `numberOfActiveInstances`, `numberOfCompletedInstances` and `numberOfTerminatedInstances`
  (which win over variables of the same name). When it holds, the other inner instances are
  terminated and the body completes.
- When the body completes, the output collection propagates to the body's flow scope. An
  interrupted body drops it with its other local variables (no partial output).

Boundary events are attached to the body (the step loop's leave and the event lookup treat an
element instance whose flow scope is a body as an inner instance).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flowwire.bpmn import Element, LoopCharacteristics
from flowwire.bpmn.expressions import expression_body, is_expression
from flowwire.engine import expressions
from flowwire.engine.incidents import ErrorType, StepFailure
from flowwire.engine.models import DeployedProcess
from flowwire.engine.values import NotJsonError, encode
from flowwire.store.records import ElementInstanceRecord, ElementState

if TYPE_CHECKING:
    from flowwire.engine.flow import Context

#: the `kind` of a multi-instance body's element instance (Zeebe's MULTI_INSTANCE_BODY)
MULTI_INSTANCE_BODY = "multiInstanceBody"

#: key in the body's `data`: how many inner instances were created, completed, terminated
COUNTS = "multi_instance"
#: key in an inner instance's `data`: its loop counter (1-based index into the collection)
LOOP_COUNTER = "loop_counter"
#: the local variable holding an inner instance's loop counter
LOOP_COUNTER_VARIABLE = "loopCounter"


def loop_of(element: Element) -> LoopCharacteristics:
    loop = element.loop
    assert loop is not None, f"'{element.id}' has no multi-instance marker"
    return loop


# -- the body ---------------------------------------------------------------------------------
def activate_body(
    ctx: Context, deployed: DeployedProcess, element: Element, body: ElementInstanceRecord
) -> None:
    """Evaluate the input collection and start the inner instances (none: complete at once).
    Safe to repeat after an incident: nothing changes before the collection is known."""
    loop = loop_of(element)
    items = input_collection(ctx, element, body)
    if loop.output_collection:
        ctx.variables.set_local(body, loop.output_collection, [None] * len(items))
    body.data[COUNTS] = {"instances": 0, "completed": 0, "terminated": 0}
    ctx.wait(body)
    if not items:
        ctx.complete(body)
    elif loop.sequential:
        _start_inner(ctx, deployed, element, body, 1, items[0])
    else:
        for counter, item in enumerate(items, start=1):
            _start_inner(ctx, deployed, element, body, counter, item)


def complete_body(
    ctx: Context, deployed: DeployedProcess, element: Element, body: ElementInstanceRecord
) -> None:
    """Every inner instance has ended: hand the output collection to the flow scope and leave
    through the activity's outgoing flows."""
    name = loop_of(element).output_collection
    if name:
        assert body.scope_key is not None
        scope = ctx.element(body.scope_key)
        if scope is None:
            raise LookupError(f"flow scope {body.scope_key} is missing from the store")
        ctx.variables.propagate(scope, {name: ctx.variables.local(body.key).get(name)})
    ctx.leave_all(deployed, body)


def terminate_body(ctx: Context, body: ElementInstanceRecord) -> None:
    """The body is terminated (an interrupting event, a cancelled instance): so is every inner
    instance still running."""
    for inner in ctx.children(body.key):
        ctx.terminate(inner)


def input_collection(ctx: Context, element: Element, scope: ElementInstanceRecord) -> list[Any]:
    """The items to iterate over, as stored JSON values; a StepFailure when the expression does
    not give a list of storable values."""
    text = loop_of(element).input_collection
    if text is None:
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"the multi-instance activity '{element.id}' has no input collection: set "
            "zeebe:loopCharacteristics inputCollection to a FEEL list, like '=items'",
        )
    value = expressions.expect(text, ctx.variables.visible(scope), ctx.clock, "ARRAY")
    try:
        plain, _ = encode(value)
    except NotJsonError as exc:
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"an item of the input collection '{expression_body(text)}' cannot be stored as a "
            f"variable: {exc}",
        ) from None
    return list(plain)


# -- inner instances --------------------------------------------------------------------------
def _start_inner(
    ctx: Context,
    deployed: DeployedProcess,
    element: Element,
    body: ElementInstanceRecord,
    counter: int,
    item: Any,
) -> None:
    """Create the inner instance for item number `counter` with its loop variables; its
    activation (input mappings, the activity's work) is queued, so a parallel body counts all
    its inner instances before the first one can complete."""
    _reserve_inner(ctx, body)
    _create_inner(ctx, deployed, element, body, counter, item)


def _reserve_inner(ctx: Context, body: ElementInstanceRecord) -> None:
    """Count an inner instance in the body (its token) before it is created."""
    body.tokens += 1
    body.data[COUNTS]["instances"] += 1
    ctx.changed(body)


def _create_inner(
    ctx: Context,
    deployed: DeployedProcess,
    element: Element,
    body: ElementInstanceRecord,
    counter: int,
    item: Any,
) -> None:
    if body.state != ElementState.ACTIVATED:
        return  # the body was terminated before this inner instance could start
    loop = loop_of(element)
    inner = ctx.new_element(element.id, element.kind, body.instance_key, body)
    inner.data[LOOP_COUNTER] = counter
    ctx.record(inner, "ACTIVATED", {LOOP_COUNTER_VARIABLE: counter})
    if loop.input_element:
        ctx.variables.set_local(inner, loop.input_element, item)
    output = _output_variable(loop)
    if output is not None:
        ctx.variables.set_local(inner, output, None)
    ctx.variables.set_local(inner, LOOP_COUNTER_VARIABLE, counter)
    ctx.enqueue(ctx.activate, deployed, element, inner)


def _output_variable(loop: LoopCharacteristics) -> str | None:
    """The variable `outputElement` reads when it is just a variable or a path into one
    (`=result`, `=result.total`), unless that is the input element or the loop counter."""
    text = loop.output_element
    if text is None or not is_expression(text):
        return None
    parts = expression_body(text).strip().split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    name = parts[0]
    if name in (loop.input_element, LOOP_COUNTER_VARIABLE):
        return None
    return name


def inner_completing(
    ctx: Context,
    deployed: DeployedProcess,
    body: ElementInstanceRecord,
    inner: ElementInstanceRecord,
) -> None:
    """An inner instance leaves (the step loop calls this instead of taking flows): collect its
    output, evaluate the completion condition, start the next item (sequential) or terminate
    the others (condition met). Everything that can fail is evaluated before anything changes,
    so the inner instance can stay COMPLETING with an incident and retry."""
    element = deployed.process.elements[inner.element_id]
    loop = loop_of(element)
    counter: int = inner.data[LOOP_COUNTER]
    counts: dict[str, int] = body.data[COUNTS]
    visible = ctx.variables.visible(inner)
    collection = _collected(ctx, loop, body, visible, counter)
    satisfied = _completion_condition(ctx, loop, body, visible, counts)
    following: list[Any] = []
    if loop.sequential and not satisfied:
        following = input_collection(ctx, element, body)[counter:]
    if collection is not None:
        assert loop.output_collection is not None
        # the history records the collected item, not the whole list again (which would grow
        # with the square of the collection's length)
        ctx.variables.set_local_later(body, loop.output_collection, collection)
        ctx.record(
            body,
            "OUTPUT_COLLECTED",
            {
                "name": loop.output_collection,
                LOOP_COUNTER_VARIABLE: counter,
                "value": collection[counter - 1],
            },
        )
    counts["completed"] += 1
    ctx.changed(body)
    if satisfied:
        ctx.record(body, "COMPLETION_CONDITION_MET", {LOOP_COUNTER_VARIABLE: counter})
        for other in ctx.children(body.key):
            if other.key != inner.key:
                ctx.terminate(other)
    elif following:
        # the next item starts after this instance has left (its token is taken now, so the
        # body cannot complete in between)
        _reserve_inner(ctx, body)
        ctx.enqueue(_create_inner, ctx, deployed, element, body, counter + 1, following[0])


def inner_terminated(ctx: Context, inner: ElementInstanceRecord) -> None:
    """Count an inner instance terminated while its body runs on (the completion condition of
    a parallel body ended it)."""
    assert inner.scope_key is not None
    body = ctx.element(inner.scope_key)
    if body is not None and body.state == ElementState.ACTIVATED:
        body.data[COUNTS]["terminated"] += 1
        ctx.changed(body)


def _collected(
    ctx: Context,
    loop: LoopCharacteristics,
    body: ElementInstanceRecord,
    visible: dict[str, Any],
    counter: int,
) -> list[Any] | None:
    """The output collection with this inner instance's output element at its index (None when
    nothing is collected)."""
    if not loop.output_collection or loop.output_element is None:
        return None
    value, warnings = expressions.evaluate(
        loop.output_element, visible, ctx.clock, ErrorType.EXTRACT_VALUE_ERROR
    )
    try:
        plain, _ = encode(value)
    except NotJsonError as exc:
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"the output element '{expression_body(loop.output_element)}' gave a value that "
            f"cannot be stored in '{loop.output_collection}': {exc}."
            f"{expressions.warnings_text(warnings)}",
        ) from None
    current = ctx.variables.local(body.key).get(loop.output_collection)
    if not isinstance(current, list) or not 0 < counter <= len(current):
        raise StepFailure(
            ErrorType.EXTRACT_VALUE_ERROR,
            f"the output collection '{loop.output_collection}' is no longer a list with an entry "
            f"for item {counter}; it was changed while the multi-instance activity ran. Set it "
            "back to a list as long as the input collection, then resolve the incident.",
        )
    collection = list(current)
    collection[counter - 1] = plain
    return collection


def _completion_condition(
    ctx: Context,
    loop: LoopCharacteristics,
    body: ElementInstanceRecord,
    visible: dict[str, Any],
    counts: Mapping[str, int],
) -> bool:
    """Whether the completion condition holds after this inner instance (False without one).
    The counts describe the moment this instance completes: it is counted as completed and no
    longer active."""
    text = loop.completion_condition
    if text is None:
        return False
    env = dict(visible)
    env["numberOfInstances"] = counts["instances"]
    env["numberOfActiveInstances"] = max(body.tokens - 1, 0)
    env["numberOfCompletedInstances"] = counts["completed"] + 1
    env["numberOfTerminatedInstances"] = counts["terminated"]
    feel_text = text if is_expression(text) else "=" + text
    result = expressions.expect(feel_text, env, ctx.clock, "BOOLEAN")
    return bool(result)
