"""Small public helpers: telling expressions from static values, and how problems read."""

from __future__ import annotations

from flowwire.bpmn import BpmnValidationError, Problem, is_expression, static_or_expression
from flowwire.bpmn.expressions import expression_body


def test_an_expression_starts_with_equals() -> None:
    assert is_expression("=a + 1")
    assert is_expression("  =a")
    assert not is_expression("a + 1")
    assert not is_expression("")
    assert not is_expression(None)


def test_static_or_expression_splits_kind_and_text() -> None:
    assert static_or_expression("=orderId") == (True, "orderId")
    assert static_or_expression("io.camunda:http-json:1") == (False, "io.camunda:http-json:1")
    assert static_or_expression("=orderId").is_expression
    assert expression_body("=x") == "x"
    assert expression_body("x") == "x"


def test_problem_text_names_line_and_element() -> None:
    assert str(Problem("Task_1", "fix it", 12)) == "line 12, element 'Task_1': fix it"
    assert str(Problem(None, "fix it", 3)) == "line 3: fix it"
    assert str(Problem("Task_1", "fix it")) == "element 'Task_1': fix it"
    assert str(Problem(None, "fix it")) == "fix it"


def test_validation_error_without_resource_name_lists_only_problems() -> None:
    error = BpmnValidationError([Problem("a", "one", 1), Problem("b", "two", 2)])
    assert str(error) == "line 1, element 'a': one\nline 2, element 'b': two"
    assert error.resource_name == ""
