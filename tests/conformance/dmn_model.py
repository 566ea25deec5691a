"""Just enough of a DMN engine around ``flowwire.feel`` to run the TCK's literal expressions.

A TCK decision reads input data, other decisions (``informationRequirement``) and calls
business knowledge models or decision services (``knowledgeRequirement``), sometimes across
imported models. This module loads the models of one test folder and evaluates decisions
with those requirements in scope. Boxed expressions (contexts, function definitions, lists,
relations, invocations, conditionals) are evaluated too, so that a literal expression's
dependencies are computed rather than copied; what is not implemented here (decision tables,
boxed iterators) raises :class:`Unsupported`, and the caller may then fall back to the value
the test case expects for that dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from flowwire import feel
from flowwire.feel.values import FeelFunction

from .dmn_tables import evaluate_table
from .dmn_types import TypeResolver, item_definitions, type_ref_of
from .xsd_values import children, local_name

#: children of a decision/BKM that are not its value expression
_NOT_LOGIC = frozenset(
    {
        "variable",
        "informationRequirement",
        "knowledgeRequirement",
        "authorityRequirement",
        "description",
        "extensionElements",
        "question",
        "allowedAnswers",
        "formalParameter",
        "supportedObjective",
        "impactedPerformanceIndicator",
        "decisionMaker",
        "decisionOwner",
        "usingProcess",
        "usingTask",
    }
)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


class Unsupported(Exception):
    """The runner cannot evaluate this DMN element (not a FEEL matter)."""


def logic_of(element: etree._Element) -> etree._Element | None:
    """The value expression of a decision, BKM logic, context entry or function definition."""
    for child in children(element):
        if local_name(child) not in _NOT_LOGIC:
            return child
    return None


@dataclass
class Model:
    """One ``.dmn`` file: its elements by id and by name, its imports and its types."""

    path: Path
    namespace: str
    name: str
    root: etree._Element
    by_id: dict[str, etree._Element] = field(default_factory=dict)
    by_name: dict[str, etree._Element] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # namespace -> import name
    types: TypeResolver = field(default_factory=lambda: TypeResolver({}))

    @classmethod
    def load(cls, path: Path) -> Model:
        root = etree.parse(str(path), _PARSER).getroot()
        model = cls(path, root.get("namespace", ""), root.get("name", ""), root)
        for element in children(root):
            kind = local_name(element)
            if kind == "import":
                model.imports[element.get("namespace", "")] = element.get("name", "")
            else:
                if element.get("id"):
                    model.by_id[element.get("id", "")] = element
                if element.get("name"):
                    model.by_name[element.get("name", "")] = element
        model.types = TypeResolver(item_definitions(root))
        return model

    def decision(self, name: str) -> etree._Element | None:
        element = self.by_name.get(name)
        if element is not None and local_name(element) == "decision":
            return element
        return None


def variable_type(element: etree._Element) -> str | None:
    variable = children(element, "variable")
    return type_ref_of(variable[0]) if variable else None


class Workspace:
    """All models of one TCK test folder, found by namespace (imports) and file name."""

    def __init__(self, folder: Path) -> None:
        self.models = [Model.load(p) for p in sorted(folder.glob("*.dmn"))]
        self.by_namespace = {m.namespace: m for m in self.models}
        self.by_file = {m.path.name: m for m in self.models}

    def resolve(self, model: Model, href: str) -> tuple[Model, etree._Element]:
        namespace, _, ident = href.rpartition("#")
        target = self.by_namespace.get(namespace, model) if namespace else model
        element = target.by_id.get(ident)
        if element is None:
            raise Unsupported(f"reference {href!r} points at nothing in {target.path.name}")
        return target, element


class Evaluation:
    """Evaluates decisions of a workspace for one test case's input values.

    ``inputs`` maps ``(namespace, name)`` to an input value (input data, or a value that
    overrides a decision, as the TCK's decision-service tests do). ``fallbacks`` maps the
    same keys to values the test case expects, used for dependencies the runner cannot
    evaluate.
    """

    def __init__(
        self,
        workspace: Workspace,
        inputs: Mapping[tuple[str, str], Any],
        fallbacks: Mapping[tuple[str, str], Any] | None = None,
    ) -> None:
        self.workspace = workspace
        self.inputs = dict(inputs)
        self.fallbacks = dict(fallbacks or {})
        self._decisions: dict[tuple[str, str], Any] = {}
        self._functions: dict[tuple[str, str], FeelFunction] = {}
        self._active: set[tuple[str, str]] = set()

    # --- DRG -------------------------------------------------------------------------------

    def decision(self, model: Model, element: etree._Element) -> Any:
        """The value of a decision: its logic with its requirements in scope, type-coerced."""
        key = (model.namespace, element.get("name", ""))
        if key in self.inputs:
            return self.inputs[key]
        if key in self._decisions:
            return self._decisions[key]
        if key in self._active:
            raise Unsupported(f"decision {key[1]!r} requires itself")
        self._active.add(key)
        try:
            logic = logic_of(element)
            if logic is None:
                raise Unsupported(f"decision {key[1]!r} has no decision logic")
            value = self.expression(model, logic, self.requirements(model, element))
            value = model.types.coerce(value, variable_type(element))
        finally:
            self._active.discard(key)
        self._decisions[key] = value
        return value

    def dependency(self, model: Model, element: etree._Element) -> Any:
        """A required decision's value; falls back to the test's expected value if needed."""
        key = (model.namespace, element.get("name", ""))
        try:
            return self.decision(model, element)
        except Unsupported:
            if key in self.fallbacks:
                return self.fallbacks[key]
            raise

    def requirements(self, model: Model, element: etree._Element) -> dict[str, Any]:
        """The scope a decision or BKM sees: what its requirements name, imports by prefix."""
        scope: dict[str, Any] = {}
        for requirement in children(element):
            if local_name(requirement) not in ("informationRequirement", "knowledgeRequirement"):
                continue
            for ref in children(requirement):
                href = ref.get("href")
                if href is None:
                    continue
                target_model, target = self.workspace.resolve(model, href)
                name = target.get("name", "")
                value = self._required_value(target_model, target)
                if target_model is model:
                    scope[name] = value
                else:
                    prefix = model.imports.get(target_model.namespace, target_model.name)
                    namespace_scope = scope.setdefault(prefix, {})
                    namespace_scope[name] = value
        return scope

    def _required_value(self, model: Model, element: etree._Element) -> Any:
        kind = local_name(element)
        if kind == "inputData":
            return self.inputs.get((model.namespace, element.get("name", "")))
        if kind == "decision":
            return self.dependency(model, element)
        if kind == "businessKnowledgeModel":
            return self.knowledge_model(model, element)
        if kind == "decisionService":
            return self.decision_service(model, element)
        raise Unsupported(f"requirement on a {kind} element")

    def knowledge_model(self, model: Model, element: etree._Element) -> FeelFunction:
        """A BKM as a function value; its scope is built on first call (BKMs may recurse)."""
        key = (model.namespace, element.get("id", ""))
        if key in self._functions:
            return self._functions[key]
        logic = children(element, "encapsulatedLogic")
        if not logic:
            raise Unsupported(f"business knowledge model {element.get('name')!r} has no logic")
        closure: dict[str, Any] = {}
        built = False

        def scope() -> Mapping[str, Any]:
            nonlocal built
            if not built:
                # its own name too: the TCK's recursion tests call a BKM from its body
                closure[element.get("name", "")] = function
                closure.update(self.requirements(model, element))
                built = True
            return closure

        function = self._function(model, logic[0], scope, element.get("name", "bkm"))
        self._functions[key] = function
        return function

    def decision_service(self, model: Model, element: etree._Element) -> FeelFunction:
        """A decision service as a function of its input data, then its input decisions."""
        refs = [
            self.workspace.resolve(model, r.get("href", ""))
            for kind in ("inputData", "inputDecision")
            for r in children(element, kind)
        ]
        outputs = [
            self.workspace.resolve(model, r.get("href", ""))
            for r in children(element, "outputDecision")
        ]
        params = [target.get("name", "") for _, target in refs]

        def invoke(*args: Any) -> Any:
            if len(args) != len(params):
                return None
            inputs = {}
            for (m, target), arg in zip(refs, args, strict=True):
                value = m.types.coerce(arg, variable_type(target))
                if value is None and arg is not None:
                    return None  # an argument of the wrong type fails the invocation
                inputs[(m.namespace, target.get("name", ""))] = value
            return self.service_result(outputs, inputs)

        return FeelFunction(invoke, params, element.get("name", "service"))

    def service_result(
        self, outputs: list[tuple[Model, etree._Element]], inputs: Mapping[tuple[str, str], Any]
    ) -> Any:
        """What a decision service returns: its single output's value, or a context of them."""
        inner = Evaluation(self.workspace, inputs)
        values = {target.get("name", ""): inner.decision(m, target) for m, target in outputs}
        if len(values) == 1:
            return next(iter(values.values()))
        return values

    # --- boxed expressions -----------------------------------------------------------------

    def expression(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        """The value of one boxed expression element in a scope."""
        kind = local_name(element)
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise Unsupported(f"boxed expression <{kind}> is not evaluated by the runner")
        value = handler(self, model, element, scope)
        if kind == "functionDefinition":  # its typeRef is the type of the function's result
            return value
        return model.types.coerce(value, type_ref_of(element))

    def _literal(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        text = "".join(children(element, "text")[0].itertext()) if children(element, "text") else ""
        if not text.strip():
            return None
        return feel.evaluate(text, dict(scope))

    def _context(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        local = dict(scope)
        result: dict[str, Any] = {}
        for entry in children(element, "contextEntry"):
            logic = logic_of(entry)
            value = None if logic is None else self.expression(model, logic, local)
            variable = children(entry, "variable")
            if not variable:
                return value
            name = variable[0].get("name", "")
            value = model.types.coerce(value, type_ref_of(variable[0]))
            local[name] = value
            result[name] = value
        return result

    def _function_definition(
        self, model: Model, element: etree._Element, scope: Mapping[str, Any]
    ) -> FeelFunction:
        frozen = dict(scope)
        return self._function(model, element, lambda: frozen, "function")

    def _function(
        self,
        model: Model,
        definition: etree._Element,
        scope: Callable[[], Mapping[str, Any]],
        name: str,
    ) -> FeelFunction:
        kind = definition.get("kind", "FEEL")
        if kind not in ("FEEL", "F"):
            raise Unsupported(f"function definitions of kind {kind!r}")
        params = children(definition, "formalParameter")
        names = [p.get("name", "") for p in params]
        types = [type_ref_of(p) for p in params]
        body = logic_of(definition)
        result_type = type_ref_of(definition)

        def invoke(*args: Any) -> Any:
            if len(args) != len(names):
                return None
            local = dict(scope())
            for param, ref, arg in zip(names, types, args, strict=True):
                local[param] = model.types.coerce(arg, ref)
                if local[param] is None and arg is not None:
                    return None  # an argument of the wrong type fails the invocation
            value = None if body is None else self.expression(model, body, local)
            return model.types.coerce(value, result_type)

        return FeelFunction(invoke, names, name)

    def _list(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        return [self.expression(model, item, scope) for item in children(element)]

    def _relation(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        columns = [c.get("name", "") for c in children(element, "column")]
        rows = []
        for row in children(element, "row"):
            cells = [self.expression(model, cell, scope) for cell in children(row)]
            rows.append(dict(zip(columns, cells, strict=True)))
        return rows

    def _invocation(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        callee_element = logic_of(element)
        if callee_element is None:
            raise Unsupported("invocation without a function name")
        callee = self.expression(model, callee_element, scope)
        bindings: dict[str, Any] = {}
        for binding in children(element, "binding"):
            parameter = children(binding, "parameter")
            logic = logic_of(binding)
            name = parameter[0].get("name", "") if parameter else ""
            bindings[name] = None if logic is None else self.expression(model, logic, scope)
        if not isinstance(callee, FeelFunction):
            return None
        if any(name not in callee.params for name in bindings):
            return None
        return callee(*(bindings.get(p) for p in callee.params))

    def _decision_table(
        self, model: Model, element: etree._Element, scope: Mapping[str, Any]
    ) -> Any:
        return evaluate_table(element, scope)

    def _conditional(self, model: Model, element: etree._Element, scope: Mapping[str, Any]) -> Any:
        parts = {local_name(c): logic_of(c) for c in children(element)}
        condition = parts.get("if")
        chosen = condition is not None and self.expression(model, condition, scope) is True
        branch = parts.get("then" if chosen else "else")
        return None if branch is None else self.expression(model, branch, scope)


_HANDLERS: dict[str, Callable[[Evaluation, Model, etree._Element, Mapping[str, Any]], Any]] = {
    "literalExpression": Evaluation._literal,
    "context": Evaluation._context,
    "functionDefinition": Evaluation._function_definition,
    "list": Evaluation._list,
    "relation": Evaluation._relation,
    "invocation": Evaluation._invocation,
    "conditional": Evaluation._conditional,
    "decisionTable": Evaluation._decision_table,
}
