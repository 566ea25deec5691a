"""Function definitions, invocation (positional and named), built-in binding and shadowing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from flowwire import feel


def test_function_definition_and_call() -> None:
    assert feel.evaluate("(function(a, b) a + b)(1, 2)") == D(3)


def test_function_in_context_with_named_arguments() -> None:
    text = "{f: function(a, b) a - b, r: f(b: 1, a: 5)}.r"
    assert feel.evaluate(text) == D(4)


def test_recursive_function_in_context() -> None:
    text = "{fact: function(n) if n <= 1 then 1 else n * fact(n - 1), r: fact(10)}.r"
    assert feel.evaluate(text) == D(3628800)


def test_closures_capture_their_scope() -> None:
    text = "{make: function(k) function(x) x + k, add2: make(2), r: add2(40)}.r"
    assert feel.evaluate(text) == D(42)


def test_wrong_argument_count_is_null_with_warning() -> None:
    result = feel.evaluate_detailed("{f: function(a) a, r: f(1, 2)}.r")
    assert result.value is None
    assert result.warnings[0][0] == "FUNCTION_INVOCATION_FAILURE"


def test_unknown_function_is_null_with_warning() -> None:
    result = feel.evaluate_detailed("no such fn(1)")
    assert result.value is None
    assert result.warnings == [("NO_FUNCTION_FOUND", "no function found with name 'no such fn'")]


def test_builtins_positional_and_named() -> None:
    assert feel.evaluate('substring("foobar", 3)') == "obar"
    assert feel.evaluate('substring(string: "foobar", start position: 3, length: 2)') == "ob"
    assert feel.evaluate('string join(["a", "b"], ", ")') == "a, b"


def test_builtin_with_unusable_arguments_warns() -> None:
    result = feel.evaluate_detailed('substring(1, "x")')
    assert result.value is None
    assert result.warnings[0][0] == "FUNCTION_INVOCATION_FAILURE"
    assert "substring" in result.warnings[0][1]


def test_builtin_with_wrong_arity_warns() -> None:
    result = feel.evaluate_detailed("abs(1, 2, 3)")
    assert result.value is None
    assert result.warnings[0][0] == "FUNCTION_INVOCATION_FAILURE"


def test_compound_builtin_names() -> None:
    assert feel.evaluate('date and time("2019-08-12T22:22:22").hour') == D(22)
    assert feel.evaluate("get or else(null, 5)") == D(5)
    assert feel.evaluate('years and months duration(date("2020-01-01"), date("2021-02-01"))') == (
        feel.YearsMonthsDuration(13)
    )


def test_is_defined() -> None:
    result = feel.evaluate_detailed("is defined(x)")
    assert result.value is False
    assert result.warnings == []
    assert feel.evaluate("is defined(x)", {"x": 1}) is True
    assert feel.evaluate("is defined(x.y)", {"x": {}}) is False
    assert feel.evaluate("is defined(1)") is True


def test_python_callables_as_variables() -> None:
    def bpmn_error(code: str, message: str) -> dict[str, str]:
        return {"code": code, "message": message}

    result = feel.evaluate('bpmnError("E1", "failed")', {"bpmnError": bpmn_error})
    assert result == {"code": "E1", "message": "failed"}


def test_variable_function_shadows_builtin() -> None:
    assert feel.evaluate("abs(-1)", {"abs": lambda x: "mine"}) == "mine"
    assert feel.evaluate("{abs: function(x) 0, r: abs(-5)}.r") == D(0)


def test_non_function_variable_does_not_shadow_builtin() -> None:
    assert feel.evaluate("abs(-1)", {"abs": 5}) == D(1)


def test_failing_python_callable_is_null_with_warning() -> None:
    def boom() -> None:
        raise RuntimeError("nope")

    result = feel.evaluate_detailed("f()", {"f": boom})
    assert result.value is None
    assert result.warnings[0][0] == "FUNCTION_INVOCATION_FAILURE"


def test_function_passed_to_builtin() -> None:
    assert feel.evaluate("sort([3, 1, 2], function(x, y) x < y)") == [D(1), D(2), D(3)]


def test_qualified_function_invocation() -> None:
    assert feel.evaluate("{lib: {inc: function(x) x + 1}}.lib.inc(1)") == D(2)


def test_function_value_is_returned() -> None:
    fn = feel.evaluate("function(a) a * 2")
    assert isinstance(fn, feel.FeelFunction)
    assert fn(D(21)) == D(42)


def test_assert_failure_raises() -> None:
    with pytest.raises(feel.FeelAssertionError):
        feel.evaluate("assert(x, x > 0)", {"x": -1})
    assert feel.evaluate("assert(x, x > 0)", {"x": 1}) == D(1)


def test_now_uses_the_given_clock() -> None:
    import datetime as dt

    fixed = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    assert feel.evaluate("today()", clock=lambda: fixed) == dt.date(2024, 5, 6)
    assert feel.evaluate("now()", clock=lambda: fixed) == fixed


def test_function_values_keep_their_variables_across_evaluations() -> None:
    first = feel.evaluate("function(x) x + y", {"y": 1})
    second = feel.evaluate("function(x) x + y", {"y": 100})
    feel.evaluate("y * 2", {"y": 7})  # another evaluation in between
    assert first(D(1)) == D(2)
    assert second(D(1)) == D(101)


def test_concurrent_evaluations_do_not_mix_variables() -> None:
    from concurrent.futures import ThreadPoolExecutor

    compiled = feel.compile("for i in 1..50 return x + i")

    def run(x: int) -> bool:
        return all(
            compiled.evaluate({"x": x}) == [D(x + i) for i in range(1, 51)] for _ in range(50)
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(run, range(40)))


def test_variadic_function_values_collect_the_rest_as_a_list() -> None:
    f = feel.FeelFunction(lambda a, rest: [a, rest], ["a", "rest"], "f", variadic=True)
    assert feel.evaluate("f(1, 2, 3)", {"f": f}) == [D(1), [D(2), D(3)]]
    assert feel.evaluate("f(1)", {"f": f}) == [D(1), []]


def test_outside_functions_receive_feel_values() -> None:
    seen: list[object] = []
    probe = feel.FeelFunction(lambda x: seen.append(x) or True, ["x"], "probe")
    assert feel.evaluate("probe(items)", {"probe": probe, "items": [{"n": 1}]}) is True
    assert seen == [[{"n": D(1)}]]
