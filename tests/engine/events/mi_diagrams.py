"""A multi-instance marker for the engine test diagrams (`zeebe:loopCharacteristics` as Camunda
Modeler 5 writes it)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr


def loop_marker(
    collection: str,
    element: str | None = None,
    *,
    output_collection: str | None = None,
    output_element: str | None = None,
    sequential: bool = False,
    condition: str | None = None,
) -> str:
    attributes = f"inputCollection={quoteattr(collection)}"
    if element is not None:
        attributes += f" inputElement={quoteattr(element)}"
    if output_collection is not None:
        attributes += f" outputCollection={quoteattr(output_collection)}"
    if output_element is not None:
        attributes += f" outputElement={quoteattr(output_element)}"
    completion = ""
    if condition is not None:
        completion = (
            '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">'
            f"{escape(condition)}</bpmn:completionCondition>"
        )
    sequential_attribute = ' isSequential="true"' if sequential else ""
    return (
        f"<bpmn:multiInstanceLoopCharacteristics{sequential_attribute}>"
        f"<bpmn:extensionElements><zeebe:loopCharacteristics {attributes} />"
        f"</bpmn:extensionElements>{completion}</bpmn:multiInstanceLoopCharacteristics>"
    )


def multi(activity: str, collection: str, element: str | None = None, **options: object) -> str:
    """The activity's XML (from `diagrams`) with a multi-instance marker added, after its
    extension elements as the BPMN schema orders them."""
    marker = loop_marker(collection, element, **options)  # type: ignore[arg-type]
    if activity.rstrip().endswith("/>"):
        head = activity.rstrip()[:-2].rstrip()
        tag = head.split()[0][1:]
        return f"{head}>{marker}</{tag}>"
    head, _, tail = activity.partition(">")
    own = "<bpmn:extensionElements>"
    if tail.startswith(own):
        extensions, _, rest = tail.partition("</bpmn:extensionElements>")
        return f"{head}>{extensions}</bpmn:extensionElements>{marker}{rest}"
    return f"{head}>{marker}{tail}"
