"""Range built-ins of DMN 1.5: relations between points and ranges, and ``range(from)``.

Each relation (``before``, ``overlaps``, ``during``, ...) is declared once per parameter
list of the spec (``point1, point2``, ``point, range``, ``range, point``, ``range1,
range2``) so that named invocation works; every overload shares one implementation that
looks at the argument types. Points are numbers, dates, times, date-times or durations
(Camunda rejects strings); a range side that is unbounded (``< 10``) counts as infinitely
far away. Unusable arguments give null with a warning.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flowwire.feel import temporal
from flowwire.feel.builtins.registry import builtin
from flowwire.feel.compare import NotComparable, feel_compare
from flowwire.feel.errors import InvalidArgument
from flowwire.feel.values import Range, YearsMonthsDuration, type_name

_POINT_TYPES = (Decimal, _dt.date, _dt.time, _dt.timedelta, YearsMonthsDuration)


class _Unbounded:
    """The missing end of a range: below (``-1``) or above (``+1``) every value."""

    __slots__ = ("side",)

    def __init__(self, side: int) -> None:
        self.side = side


_BELOW, _ABOVE = _Unbounded(-1), _Unbounded(1)


def _cmp(a: Any, b: Any) -> int:
    if isinstance(a, _Unbounded) or isinstance(b, _Unbounded):
        sa = a.side if isinstance(a, _Unbounded) else 0
        sb = b.side if isinstance(b, _Unbounded) else 0
        return (sa > sb) - (sa < sb)
    try:
        return feel_compare(a, b)
    except NotComparable:
        raise InvalidArgument(
            f"can't relate a {type_name(a)} to a {type_name(b)}; use values of one type"
        ) from None


class _Span:
    """A range (or a point as the degenerate range ``[p..p]``) with comparable ends."""

    __slots__ = ("end", "end_in", "start", "start_in")

    def __init__(self, start: Any, end: Any, start_in: bool, end_in: bool) -> None:
        self.start, self.end, self.start_in, self.end_in = start, end, start_in, end_in


def _check_point(value: Any, function: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, _POINT_TYPES):
        kind = "null" if value is None else type_name(value)
        raise InvalidArgument(
            f"{function}() relates numbers, dates, times, date-times, durations or ranges "
            f"of them, not a {kind}"
        )
    return value


def _span(value: Any, function: str) -> _Span:
    if isinstance(value, Range):
        start = _BELOW if value.start is None else _check_point(value.start, function)
        end = _ABOVE if value.end is None else _check_point(value.end, function)
        return _Span(start, end, value.start_included, value.end_included)
    point = _check_point(value, function)
    return _Span(point, point, True, True)


Relation = Callable[[_Span, _Span], bool]


def _relation(
    name: str,
    point_point: Relation | None,
    point_range: Relation | None,
    range_point: Relation | None,
    range_range: Relation,
) -> None:
    """Register ``name`` with every parameter list that has a definition."""

    def invoke(first: Any, second: Any) -> bool:
        a, b = _span(first, name), _span(second, name)
        if not isinstance(first, Range) and not isinstance(second, Range):
            relation = point_point
        elif not isinstance(first, Range):
            relation = point_range
        elif not isinstance(second, Range):
            relation = range_point
        else:
            relation = range_range
        if relation is None:
            raise InvalidArgument(
                f"{name}() is not defined for a {_shape(first)} and a {_shape(second)}"
            )
        return relation(a, b)

    invoke.__name__ = name.replace(" ", "_")
    signatures = (
        (point_point, ("point1", "point2")),
        (point_range, ("point", "range")),
        (range_point, ("range", "point")),
        (range_range, ("range1", "range2")),
    )
    for relation, params in signatures:
        if relation is not None:
            builtin(name, *params)(invoke)


def _shape(value: Any) -> str:
    return "range" if isinstance(value, Range) else "point"


# Each relation below is DMN 1.5's definition (table 78), written over _Span ends; a point
# p is the span [p..p], which makes the point forms special cases of the range forms.


def _before(a: _Span, b: _Span) -> bool:
    c = _cmp(a.end, b.start)
    return c < 0 or (c == 0 and not (a.end_in and b.start_in))


def _after(a: _Span, b: _Span) -> bool:
    return _before(b, a)


def _meets(a: _Span, b: _Span) -> bool:
    return a.end_in and b.start_in and _cmp(a.end, b.start) == 0


def _met_by(a: _Span, b: _Span) -> bool:
    return _meets(b, a)


def _overlaps(a: _Span, b: _Span) -> bool:
    c1 = _cmp(a.end, b.start)
    c2 = _cmp(a.start, b.end)
    return (c1 > 0 or (c1 == 0 and a.end_in and b.start_in)) and (
        c2 < 0 or (c2 == 0 and a.start_in and b.end_in)
    )


def _overlaps_before(a: _Span, b: _Span) -> bool:
    c_start = _cmp(a.start, b.start)
    c_touch = _cmp(a.end, b.start)
    c_end = _cmp(a.end, b.end)
    return (
        (c_start < 0 or (c_start == 0 and a.start_in and not b.start_in))
        and (c_touch > 0 or (c_touch == 0 and a.end_in and b.start_in))
        and (c_end < 0 or (c_end == 0 and (not a.end_in or b.end_in)))
    )


def _overlaps_after(a: _Span, b: _Span) -> bool:
    return _overlaps_before(b, a)


def _finishes_point(a: _Span, b: _Span) -> bool:
    return b.end_in and _cmp(b.end, a.start) == 0


def _finishes(a: _Span, b: _Span) -> bool:
    c_start = _cmp(a.start, b.start)
    return (
        a.end_in == b.end_in
        and _cmp(a.end, b.end) == 0
        and (c_start > 0 or (c_start == 0 and (not a.start_in or b.start_in)))
    )


def _finished_by_point(a: _Span, b: _Span) -> bool:
    return _finishes_point(b, a)


def _finished_by(a: _Span, b: _Span) -> bool:
    return _finishes(b, a)


def _includes_point(a: _Span, b: _Span) -> bool:
    c_start = _cmp(a.start, b.start)
    c_end = _cmp(a.end, b.start)
    return (c_start < 0 and c_end > 0) or (c_start == 0 and a.start_in) or (c_end == 0 and a.end_in)


def _includes(a: _Span, b: _Span) -> bool:
    c_start = _cmp(a.start, b.start)
    c_end = _cmp(a.end, b.end)
    return (c_start < 0 or (c_start == 0 and (a.start_in or not b.start_in))) and (
        c_end > 0 or (c_end == 0 and (a.end_in or not b.end_in))
    )


def _during_point(a: _Span, b: _Span) -> bool:
    return _includes_point(b, a)


def _during(a: _Span, b: _Span) -> bool:
    return _includes(b, a)


def _starts_point(a: _Span, b: _Span) -> bool:
    return b.start_in and _cmp(b.start, a.start) == 0


def _starts(a: _Span, b: _Span) -> bool:
    c_end = _cmp(b.end, a.end)
    return (
        _cmp(a.start, b.start) == 0
        and a.start_in == b.start_in
        and (c_end > 0 or (c_end == 0 and (not a.end_in or b.end_in)))
    )


def _started_by_point(a: _Span, b: _Span) -> bool:
    return _starts_point(b, a)


def _started_by(a: _Span, b: _Span) -> bool:
    return _starts(b, a)


def _coincides(a: _Span, b: _Span) -> bool:
    return (
        _cmp(a.start, b.start) == 0
        and a.start_in == b.start_in
        and _cmp(a.end, b.end) == 0
        and a.end_in == b.end_in
    )


#                name               point-point  point-range      range-point         range-range
_relation("before", _before, _before, _before, _before)
_relation("after", _after, _after, _after, _after)
_relation("meets", None, None, None, _meets)
_relation("met by", None, None, None, _met_by)
_relation("overlaps", None, None, None, _overlaps)
_relation("overlaps before", None, None, None, _overlaps_before)
_relation("overlaps after", None, None, None, _overlaps_after)
_relation("finishes", None, _finishes_point, None, _finishes)
_relation("finished by", None, None, _finished_by_point, _finished_by)
_relation("includes", None, None, _includes_point, _includes)
_relation("during", None, _during_point, None, _during)
_relation("starts", None, _starts_point, None, _starts)
_relation("started by", None, None, _started_by_point, _started_by)
_relation("coincides", _coincides, None, None, _coincides)


# --- range(from) -----------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?(?:\d+(?:\.\d+)?|\.\d+))
      | (?P<temporal>@"(?:[^"\\]|\\.)*")
      | (?P<call>(?:date\s+and\s+time|date|time|duration)\s*\(\s*"(?:[^"\\]|\\.)*"\s*\))
      | (?P<string>"(?:[^"\\]|\\.)*")
    )\s*""",
    re.VERBOSE,
)
_CONSTRUCTORS: dict[str, Callable[[str], Any]] = {
    "date": temporal.parse_date,
    "time": temporal.parse_time,
    "date and time": temporal.parse_date_and_time,
    "duration": temporal.parse_duration,
}
_STRING_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "'": "'"}


def _unescape(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return _STRING_ESCAPES.get(code, "\\" + code)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", replace, body)


def _literal(token: re.Match[str]) -> Any:
    """The value of one range endpoint: a literal, never an arbitrary expression."""
    if token["number"]:
        return Decimal(token["number"])
    if token["string"]:
        return _unescape(token["string"][1:-1])
    if token["temporal"]:
        return temporal.parse_temporal(_unescape(token["temporal"][2:-1]))
    call = token["call"]
    name = " ".join(call[: call.index("(")].split())
    argument = call[call.index('"') : call.rindex('"') + 1]
    return _CONSTRUCTORS[name](_unescape(argument[1:-1]))


def _endpoint(text: str, position: int) -> tuple[Any, int]:
    token = _TOKEN.match(text, position)
    if not token:
        raise ValueError("an end of the range is not a literal")
    return _literal(token), token.end()


@builtin("range", "from")
def range_from(text: Any) -> Range:
    """``range("[1..10)")``: a range from its text; the ends must be literals of one type."""
    if not isinstance(text, str):
        kind = "null" if text is None else type_name(text)
        raise InvalidArgument(f'range(from) expects a string such as "[1..10]", not {kind}')
    try:
        return _parse_range(text)
    except ValueError as error:
        raise InvalidArgument(
            f'range("{text}") is not a range: {error}; write it like "[1..10]" or "(1..10]"'
        ) from None


def _parse_range(text: str) -> Range:
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] not in "[(]" or stripped[-1] not in "])[":
        raise ValueError("it must start with [, ( or ] and end with ], ) or [")
    start, position = _endpoint(stripped, 1)
    if not stripped.startswith("..", position):
        raise ValueError('the two ends must be separated by ".."')
    end, position = _endpoint(stripped, position + 2)
    if position != len(stripped) - 1:
        raise ValueError("unexpected text after the end of the range")
    try:
        if feel_compare(start, end) > 0:
            raise ValueError("its start is after its end")
    except NotComparable:
        raise ValueError("its ends are not of the same type") from None
    return Range(start, end, stripped[0] == "[", stripped[-1] == "]")
