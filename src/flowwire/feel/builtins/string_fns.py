"""String built-ins of DMN 1.5 plus Camunda's string extensions.

Lengths and positions count Unicode code points, not UTF-16 units. A string parameter also
accepts a list holding exactly one string (DMN's singleton-list coercion).

Regular expressions (``matches``, ``replace``, ``split``, ``extract``) follow XPath/XQuery
syntax, the DMN standard, and also accept the Java syntax that Camunda users write
(look-around, named groups, ``\\Q...\\E``, ``&&`` intersections). Patterns are translated
to Python's regex syntax by :class:`_RegexTranslator` and run by the `regex` package, whose
calls can time out (`REGEX_TIMEOUT_SECONDS`); nothing of the user's text is ever evaluated as
Python. Differences that remain: ``\\w`` is Python's (letters, digits, ``_``),
and Unicode scripts (``\\p{IsLatin}``) are not supported.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import re
import secrets
import time
import unicodedata
import uuid as _uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import regex as rx

from flowwire.feel.builtins.list_fns import as_list
from flowwire.feel.builtins.numeric_fns import MISSING, describe, to_int
from flowwire.feel.builtins.registry import builtin
from flowwire.feel.errors import InvalidArgument

#: Longer patterns are refused: a bound on the work a user-supplied regex can cause.
MAX_PATTERN_LENGTH = 1000

#: Longer inputs are refused by the regex functions, for the same reason.
MAX_REGEX_INPUT_LENGTH = 1_000_000

#: The longest one regex call may run. Length bounds alone do not bound backtracking: a
#: pattern like `^(\w+\s?)*$` takes seconds on 26 characters and doubles with each more, so
#: the `regex` engine (which can be interrupted) stops a call that runs longer than this.
REGEX_TIMEOUT_SECONDS = 1.0


def require_string(value: Any, function: str, param: str = "string") -> str:
    """The argument as a string (a list of exactly one string counts), else InvalidArgument."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return value[0]
    raise InvalidArgument(f"{function}() expects a string for '{param}', but got {describe(value)}")


# --- substrings and case -------------------------------------------------------------------


def _start_index(text: str, start_position: Any) -> int:
    start = to_int(start_position, "substring", "start position")
    index = start - 1 if start > 0 else len(text) + start
    if not 0 <= index <= len(text):
        raise InvalidArgument(
            f'substring() got start position {start} for "{_clip(text)}" of length {len(text)}'
        )
    return index


@builtin("substring", "string", "start position", "length?")
def substring(string: Any, start_position: Any, length: Any = MISSING) -> str:
    """Code points from a 1-based position (negative: from the end), optionally ``length`` many."""
    text = require_string(string, "substring")
    start = _start_index(text, start_position)
    if length is MISSING:
        return text[start:]
    count = to_int(length, "substring", "length")
    if count < 0:
        raise InvalidArgument(f"substring() needs a length >= 0, but got {count}")
    return text[start : start + count]


@builtin("string length", "string")
def string_length(string: Any) -> Decimal:
    return Decimal(len(require_string(string, "string length")))


@builtin("upper case", "string")
def upper_case(string: Any) -> str:
    return require_string(string, "upper case").upper()


@builtin("lower case", "string")
def lower_case(string: Any) -> str:
    return require_string(string, "lower case").lower()


@builtin("substring before", "string", "match")
def substring_before(string: Any, match: Any) -> str:
    text = require_string(string, "substring before")
    index = text.find(require_string(match, "substring before", "match"))
    return text[:index] if index > 0 else ""


@builtin("substring after", "string", "match")
def substring_after(string: Any, match: Any) -> str:
    text = require_string(string, "substring after")
    part = require_string(match, "substring after", "match")
    index = text.find(part)
    return text[index + len(part) :] if index >= 0 else ""


@builtin("contains", "string", "match")
def contains(string: Any, match: Any) -> bool:
    return require_string(match, "contains", "match") in require_string(string, "contains")


@builtin("starts with", "string", "match")
def starts_with(string: Any, match: Any) -> bool:
    text = require_string(string, "starts with")
    return text.startswith(require_string(match, "starts with", "match"))


@builtin("ends with", "string", "match")
def ends_with(string: Any, match: Any) -> bool:
    text = require_string(string, "ends with")
    return text.endswith(require_string(match, "ends with", "match"))


# Java's String.trim() removes every character up to U+0020.
_TRIMMED = "".join(chr(code) for code in range(0x21))
# Java's Character.isWhitespace() excludes the no-break spaces.
_NO_BREAK_SPACES = "\u00a0\u2007\u202f"


@builtin("trim", "string")
def trim(string: Any) -> str:
    """Without leading and trailing spaces and control characters (Camunda extension)."""
    return require_string(string, "trim").strip(_TRIMMED)


@builtin("is blank", "string")
def is_blank(string: Any) -> bool:
    """True for an empty string or one of only whitespace (Camunda extension)."""
    text = require_string(string, "is blank")
    return all(ch.isspace() and ch not in _NO_BREAK_SPACES for ch in text)


@builtin("to base64", "value")
def to_base64(value: Any) -> str:
    """The UTF-8 bytes of a string in Base64 (Camunda extension)."""
    data = require_string(value, "to base64", "value").encode("utf-8", errors="replace")
    return base64.b64encode(data).decode("ascii")


@builtin("from base64", "value")
def from_base64(value: Any) -> str:
    """A Base64 text decoded as UTF-8 (Camunda extension); padding may be omitted."""
    text = require_string(value, "from base64", "value")
    padding = "" if "=" in text else "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text + padding, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidArgument(f'from base64() got "{_clip(text)}", which is not Base64') from None
    return data.decode("utf-8", errors="replace")


@builtin("uuid")
def uuid() -> str:
    """A random time-ordered UUID (version 7, as Camunda's engine generates), 36 characters."""
    millis = time.time_ns() // 1_000_000 & (1 << 48) - 1
    random_bits = secrets.randbits(74)
    value = (
        millis << 80
        | 0x7 << 76  # version 7
        | (random_bits >> 62) << 64
        | 0b10 << 62  # RFC 4122 variant
        | random_bits & (1 << 62) - 1
    )
    return str(_uuid.UUID(int=value))


# --- string join ---------------------------------------------------------------------------


def _join(list_: Any, delimiter: Any, prefix: Any = None, suffix: Any = None) -> str:
    items = as_list(list_, "string join")
    for item in items:
        if item is not None and not isinstance(item, str):
            raise InvalidArgument(
                f"string join() expects a list of strings, but it contains {describe(item)}"
            )
    parts = [
        "" if part is None else require_string(part, "string join", name)
        for part, name in ((delimiter, "delimiter"), (prefix, "prefix"), (suffix, "suffix"))
    ]
    joined = parts[0].join(item for item in items if item is not None)
    return parts[1] + joined + parts[2]


@builtin("string join", "list")
def string_join(list_: Any) -> str:
    """The strings of the list concatenated; null items are skipped."""
    return _join(list_, None)


@builtin("string join", "list", "delimiter")
def string_join_delimited(list_: Any, delimiter: Any) -> str:
    return _join(list_, delimiter)


@builtin("string join", "list", "delimiter", "prefix", "suffix")
def string_join_enclosed(list_: Any, delimiter: Any, prefix: Any, suffix: Any) -> str:
    """Camunda extension: ``string join(["a","b"], ", ", "[", "]") = "[a, b]"``."""
    return _join(list_, delimiter, prefix, suffix)


# --- regular expressions -------------------------------------------------------------------


@builtin("matches", "input", "pattern", "flags?")
def matches(input: Any, pattern: Any, flags: Any = None) -> bool:
    """True if the pattern matches somewhere in the input (XPath ``fn:matches``)."""
    text = _regex_input(input, "matches")
    compiled = _regex(pattern, flags, "matches")
    with _bounded("matches"):
        return compiled.search(text, timeout=REGEX_TIMEOUT_SECONDS) is not None


@builtin("replace", "input", "pattern", "replacement", "flags?")
def replace(input: Any, pattern: Any, replacement: Any, flags: Any = None) -> str:
    """Every match replaced; ``$1`` inserts a group, ``\\$`` a dollar sign.

    With the ``q`` flag the replacement is literal text, like the pattern.
    """
    text = _regex_input(input, "replace")
    regex = _regex(pattern, flags, "replace")
    template = require_string(replacement, "replace", "replacement")
    literal = isinstance(flags, str) and "q" in flags
    with _bounded("replace"):
        if literal:
            return regex.sub(lambda _: template, text, timeout=REGEX_TIMEOUT_SECONDS)
        return regex.sub(_replacement(template, regex), text, timeout=REGEX_TIMEOUT_SECONDS)


@builtin("split", "string", "delimiter")
def split(string: Any, delimiter: Any) -> list[str]:
    """The parts between matches of the delimiter pattern; empty parts are kept."""
    text = _regex_input(string, "split", "string")
    regex = _regex(delimiter, None, "split", "delimiter")
    parts: list[str] = []
    start = 0
    with _bounded("split"):
        for found in regex.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
            if found.end() == 0:
                continue  # an empty match at the very start splits nothing (as Java)
            parts.append(text[start : found.start()])
            start = found.end()
    parts.append(text[start:])
    return parts


def _extract(string: Any, pattern: Any) -> list[str]:
    text = _regex_input(string, "extract", "string")
    compiled = _regex(pattern, None, "extract")
    with _bounded("extract"):
        return [m.group(0) for m in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS)]


# Camunda extension; its documentation names the first parameter "string", its code "input".
builtin("extract", "string", "pattern")(_extract)
builtin("extract", "input", "pattern")(_extract)


def _regex_input(value: Any, function: str, param: str = "input") -> str:
    text = require_string(value, function, param)
    if len(text) > MAX_REGEX_INPUT_LENGTH:
        raise InvalidArgument(
            f"{function}() handles strings of up to {MAX_REGEX_INPUT_LENGTH} characters"
        )
    return text


@contextlib.contextmanager
def _bounded(function: str) -> Iterator[None]:
    """Turn the regex engine's timeout into the function's failure (null and a warning)."""
    try:
        yield
    except TimeoutError:
        raise InvalidArgument(
            f"{function}(): the regular expression ran longer than {REGEX_TIMEOUT_SECONDS:g} s "
            "on this input (nested repetition such as (a+)+ backtracks exponentially); "
            "simplify the pattern"
        ) from None


def _regex(pattern: Any, flags: Any, function: str, param: str = "pattern") -> rx.Pattern[str]:
    text = require_string(pattern, function, param)
    flag_text = "" if flags is None else require_string(flags, function, "flags")
    try:
        return compile_regex(text, flag_text)
    except InvalidArgument as error:
        raise InvalidArgument(f"{function}(): {error}") from None


@functools.lru_cache(maxsize=512)
def compile_regex(pattern: str, flags: str = "") -> rx.Pattern[str]:
    """Compile an XPath/Java regular expression with XPath flags (``s m i x q``)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidArgument(
            f"the pattern has {len(pattern)} characters; at most {MAX_PATTERN_LENGTH} are allowed"
        )
    unknown = set(flags) - set("smixq")
    if unknown:
        raise InvalidArgument(
            f"unknown regex flag(s) {''.join(sorted(unknown))!r}; use s, m, i, x or q"
        )
    python_flags = rx.IGNORECASE if "i" in flags else 0
    if "q" in flags:
        translated = re.escape(pattern)
    else:
        source = _without_whitespace(pattern) if "x" in flags else pattern
        translated = _RegexTranslator(source, dotall="s" in flags, multiline="m" in flags).run()
        python_flags |= (rx.DOTALL if "s" in flags else 0) | (rx.MULTILINE if "m" in flags else 0)
    try:
        return rx.compile(translated, python_flags)
    except (rx.error, OverflowError, RecursionError, ValueError) as error:
        raise InvalidArgument(f"invalid regular expression {pattern!r}: {error}") from None


def _without_whitespace(pattern: str) -> str:
    """The ``x`` flag: drop whitespace outside character classes (XPath 3.1 rule)."""
    out: list[str] = []
    depth = 0
    escaped = False
    for ch in pattern:
        if escaped:
            if depth == 0 and ch in " \t\n\r":
                continue  # "\ s" reads as "\s"
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif depth == 0 and ch in " \t\n\r":
            continue
        elif ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append(ch)
    return "".join(out)


def _replacement(template: str, regex: rx.Pattern[str]) -> Callable[[rx.Match[str]], str]:
    """A replacement function for ``re.sub`` from an XPath/Java replacement string."""
    parts: list[str | int] = []  # literal text, or a group number / name to insert
    literal: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "\\":
            if i + 1 == len(template):
                raise InvalidArgument(
                    "replace(): the replacement ends with a backslash; write \\\\ for one"
                )
            literal.append(template[i + 1])
            i += 2
            continue
        if ch != "$":
            literal.append(ch)
            i += 1
            continue
        group, i = _group_reference(template, i + 1, regex)
        parts.append("".join(literal))
        literal = []
        parts.append(group)
    parts.append("".join(literal))

    def expand(found: rx.Match[str]) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part <= regex.groups:
                out.append(found.group(part) or "")
        return "".join(out)

    return expand


def _group_reference(template: str, i: int, regex: rx.Pattern[str]) -> tuple[int, int]:
    """Read the group after a ``$``: digits (as many as name an existing group) or ``{name}``."""
    if template.startswith("{", i):
        end = template.find("}", i)
        name = template[i + 1 : end] if end > 0 else ""
        if name not in regex.groupindex:
            raise InvalidArgument(f"replace(): the pattern has no group named {name!r}")
        return regex.groupindex[name], end + 1
    if i >= len(template) or not template[i].isdigit():
        raise InvalidArgument(
            "replace(): a $ in the replacement must be followed by a group number, e.g. $1; "
            "write \\$ for a dollar sign"
        )
    number = int(template[i])
    i += 1
    while i < len(template) and template[i].isdigit():
        longer = number * 10 + int(template[i])
        if longer > regex.groups:
            break
        number = longer
        i += 1
    return number, i


class _RegexTranslator:
    """Turns one XPath/Java pattern into Python :mod:`re` syntax, token by token.

    Where the dialects differ, the XPath meaning wins: ``.`` doesn't match ``\\r``, ``$``
    without the ``m`` flag matches only at the very end, ``\\s`` is ``[ \\t\\n\\r]``, a
    class may subtract another (``[a-z-[aeiou]]``) and back-references must name a group
    that exists before them.
    """

    def __init__(self, pattern: str, dotall: bool, multiline: bool) -> None:
        self.text = pattern
        self.pos = 0
        self.dotall = dotall
        self.multiline = multiline
        self.groups = 0

    def fail(self, message: str) -> InvalidArgument:
        return InvalidArgument(f"invalid regular expression {self.text!r}: {message}")

    def run(self) -> str:
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "\\":
                out.append(self._escape())
            elif ch == "[":
                out.append(self._char_class())
            elif ch == ".":
                out.append("." if self.dotall else r"[^\n\r]")
            elif ch == "$":
                out.append("$" if self.multiline else r"\Z")
            elif ch == "(":
                out.append(self._group())
            elif ch == "{":
                out.append(self._quantifier())
            elif ch in "]}":
                out.append("\\" + ch)
            else:
                out.append(ch)
        return "".join(out)

    # -- outside character classes --

    def _group(self) -> str:
        rest = self.text[self.pos :]
        if not rest.startswith("?"):
            self.groups += 1
            return "("
        for prefix in ("?:", "?=", "?!", "?<=", "?<!", "?>"):
            if rest.startswith(prefix):
                self.pos += len(prefix)
                return "(" + prefix
        named = re.match(r"\?<([A-Za-z][A-Za-z0-9]*)>", rest)
        if named:
            self.pos += named.end()
            self.groups += 1
            return f"(?P<{named[1]}>"
        inline = re.match(r"\?[imsx]*(?:-[imsx]+)?[):]", rest)
        if inline:
            self.pos += inline.end()
            return "(" + inline[0]
        raise self.fail(f"unsupported group construct '({rest[:3]}'")

    def _quantifier(self) -> str:
        bounds = re.match(r"(\d+)(,(\d*))?\}", self.text[self.pos :])
        if not bounds:
            raise self.fail(
                "a '{' must start a quantifier such as {2} or {1,3}; write \\{ for a brace"
            )
        if bounds[3] and int(bounds[3]) < int(bounds[1]):
            raise self.fail(f"the quantifier {{{bounds[0]} has its bounds reversed")
        self.pos += bounds.end()
        return "{" + bounds[0]

    def _escape(self) -> str:
        ch = self._next("the pattern ends with a backslash")
        if ch in "123456789":
            return self._back_reference(ch)
        if ch == "Q":
            end = self.text.find("\\E", self.pos)
            end = len(self.text) if end < 0 else end
            literal = self.text[self.pos : end]
            self.pos = min(end + 2, len(self.text))
            return re.escape(literal)
        if ch == "k":
            name = re.match(r"<([A-Za-z][A-Za-z0-9]*)>", self.text[self.pos :])
            if not name:
                raise self.fail("\\k must be followed by a group name such as <year>")
            self.pos += name.end()
            return f"(?P={name[1]})"
        anchors = {"b": r"\b", "B": r"\B", "A": r"\A", "z": r"\Z", "Z": r"(?=\n?\Z)"}
        if ch in anchors:
            return anchors[ch]
        if ch == "R":
            return r"(?:\r\n|[\n\x0b\f\r\x85\u2028\u2029])"
        item = self._escape_item(ch)
        if isinstance(item, int):
            return _literal(item)
        return item.to_regex()

    def _back_reference(self, first: str) -> str:
        number = int(first)
        while self.pos < len(self.text) and self.text[self.pos].isdigit():
            longer = number * 10 + int(self.text[self.pos])
            if longer > self.groups:
                break
            number = longer
            self.pos += 1
        if number > self.groups:
            raise self.fail(
                f"\\{number} refers to group {number}, which comes later or doesn't exist"
            )
        return f"(?:\\{number})"

    # -- shared by both contexts --

    def _next(self, message: str) -> str:
        if self.pos >= len(self.text):
            raise self.fail(message)
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def _escape_item(self, ch: str) -> int | _CharSet:
        """The char (as a code point) or set of chars that ``\\`` + ``ch`` stands for."""
        simple = {"n": 0x0A, "r": 0x0D, "t": 0x09, "f": 0x0C, "a": 0x07, "e": 0x1B}
        if ch in simple:
            return simple[ch]
        if ch in "pP":
            return self._property(negated=ch == "P")
        if ch in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[ch]()
        if ch == "x":
            return self._hex_escape()
        if ch == "u":
            return self._unicode_escape()
        if ch == "c":
            return ord(self._next("\\c must be followed by a letter")) ^ 0x40
        if ch == "0" or ch.isdigit():
            raise self.fail(f"\\{ch} is not allowed here")
        if ch.isalnum():
            raise self.fail(f"unknown escape \\{ch}")
        return ord(ch)  # an escaped punctuation character stands for itself

    def _hex_escape(self) -> int:
        braced = re.match(r"\{([0-9A-Fa-f]{1,6})\}", self.text[self.pos :])
        plain = re.match(r"[0-9A-Fa-f]{2}", self.text[self.pos :])
        found = braced or plain
        if not found:
            raise self.fail("\\x must be followed by two hex digits or {hex digits}")
        self.pos += found.end()
        code = int(found[1] if braced else found[0], 16)
        if code > 0x10FFFF:
            raise self.fail(f"\\x{{{found[1]}}} is beyond the last Unicode code point")
        return code

    def _unicode_escape(self) -> int:
        found = re.match(r"[0-9A-Fa-f]{4}", self.text[self.pos :])
        if not found:
            raise self.fail("\\u must be followed by four hex digits")
        self.pos += 4
        code = int(found[0], 16)
        low = re.match(r"\\u([dD][c-fC-F][0-9A-Fa-f]{2})", self.text[self.pos :])
        if 0xD800 <= code < 0xDC00 and low:  # a UTF-16 surrogate pair, as Java writes it
            self.pos += 6
            code = 0x10000 + ((code - 0xD800) << 10) + (int(low[1], 16) - 0xDC00)
        return code

    def _property(self, negated: bool) -> _CharSet:
        found = re.match(r"\{([^}]*)\}", self.text[self.pos :])
        if not found:
            raise self.fail("\\p and \\P must be followed by a name in braces, e.g. \\p{Lu}")
        self.pos += found.end()
        ranges = _property_ranges(found[1])
        if ranges is None:
            raise self.fail(f"unknown character property \\p{{{found[1]}}}")
        return _CharSet(_complement(ranges) if negated else ranges)

    # -- character classes --

    def _char_class(self) -> str:
        negated = self.text.startswith("^", self.pos)
        if negated:
            self.pos += 1
        chars = _CharSet([])
        while True:
            ch = self._next("a character class '[' is not closed with ']'")
            if ch == "]":
                return chars.to_regex(negated)
            if ch == "-" and self.text.startswith("[", self.pos):
                self.pos += 1
                subtracted = self._char_class()
                self._expect_close("after the subtracted class")
                return f"(?:(?!{subtracted}){chars.to_regex(negated)})"
            if ch == "&" and self.text.startswith("&[", self.pos):
                self.pos += 2
                intersected = self._char_class()
                self._expect_close("after the intersected class")
                return f"(?:(?={intersected}){chars.to_regex(negated)})"
            if ch == "[":
                raise self.fail("a '[' inside a character class must be written \\[")
            item = self._class_item(ch)
            if isinstance(item, _CharSet):
                chars.add(item)
                continue
            if self.text.startswith("-", self.pos) and self.text[
                self.pos + 1 : self.pos + 2
            ] not in (
                "]",
                "[",
                "",
            ):
                self.pos += 1
                end = self._class_item(self._next("unfinished range"))
                if isinstance(end, _CharSet) or end < item:
                    raise self.fail("a range in a character class needs two characters in order")
                chars.add_range(item, end)
            else:
                chars.add_range(item, item)

    def _class_item(self, ch: str) -> int | _CharSet:
        if ch != "\\":
            return ord(ch)
        escaped = self._next("the pattern ends with a backslash")
        if escaped.isdigit():
            raise self.fail(f"a back-reference \\{escaped} can't be used inside [...]")
        if escaped in "bBAzZRkQ":
            raise self.fail(f"\\{escaped} can't be used inside [...]")
        return self._escape_item(escaped)

    def _expect_close(self, where: str) -> None:
        if self._next(f"a character class is not closed {where}") != "]":
            raise self.fail(f"a character class must end {where}")


# --- character sets ------------------------------------------------------------------------

Ranges = list[tuple[int, int]]
_MAX_CODE_POINT = 0x10FFFF


class _CharSet:
    """A set of code points as sorted ranges, plus Python class escapes (``\\d``, ``\\w``)."""

    def __init__(self, ranges: Ranges, natives: str = "") -> None:
        self.ranges = list(ranges)
        self.natives = natives

    def add(self, other: _CharSet) -> None:
        self.ranges.extend(other.ranges)
        self.natives += other.natives

    def add_range(self, low: int, high: int) -> None:
        self.ranges.append((low, high))

    def to_regex(self, negated: bool = False) -> str:
        body = self.natives + "".join(
            _class_char(low) if low == high else f"{_class_char(low)}-{_class_char(high)}"
            for low, high in _merged(self.ranges)
        )
        if not body:
            return r"[\s\S]" if negated else "(?!)"
        return ("[^" if negated else "[") + body + "]"


def _class_char(code: int) -> str:
    ch = chr(code)
    if ch.isascii() and ch.isalnum():
        return ch
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def _literal(code: int) -> str:
    return re.escape(chr(code)) if code >= 0x20 else _class_char(code)


def _merged(ranges: Ranges) -> Ranges:
    result: Ranges = []
    for low, high in sorted(ranges):
        if result and low <= result[-1][1] + 1:
            if high > result[-1][1]:
                result[-1] = (result[-1][0], high)
        else:
            result.append((low, high))
    return result


def _complement(ranges: Ranges) -> Ranges:
    result: Ranges = []
    next_low = 0
    for low, high in _merged(ranges):
        if low > next_low:
            result.append((next_low, low - 1))
        next_low = high + 1
    if next_low <= _MAX_CODE_POINT:
        result.append((next_low, _MAX_CODE_POINT))
    return result


_XPATH_SPACE: Ranges = [(0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x20)]
# XML 1.0 (fifth edition) NameStartChar and NameChar, for \i and \c
_NAME_START: Ranges = [
    (0x3A, 0x3A), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6),
    (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF), (0x200C, 0x200D), (0x2070, 0x218F),
    (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF),
]  # fmt: skip
_NAME: Ranges = [
    *_NAME_START, (0x2D, 0x2E), (0x30, 0x39), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040),
]  # fmt: skip

# Java's \h
_HORIZONTAL_SPACE: Ranges = [
    (0x09, 0x09), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x180E, 0x180E),
    (0x2000, 0x200A), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
]  # fmt: skip

_CLASS_ESCAPES: dict[str, Callable[[], _CharSet]] = {
    "s": lambda: _CharSet(_XPATH_SPACE),
    "S": lambda: _CharSet(_complement(_XPATH_SPACE)),
    "i": lambda: _CharSet(_NAME_START),
    "I": lambda: _CharSet(_complement(_NAME_START)),
    "c": lambda: _CharSet(_NAME),
    "C": lambda: _CharSet(_complement(_NAME)),
    "d": lambda: _CharSet([], r"\d"),
    "D": lambda: _CharSet([], r"\D"),
    "w": lambda: _CharSet([], r"\w"),
    "W": lambda: _CharSet([], r"\W"),
    "h": lambda: _CharSet(_HORIZONTAL_SPACE),
    "v": lambda: _CharSet([(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)]),
}

# Java's POSIX classes (US-ASCII), e.g. \p{Alpha}
_POSIX: dict[str, Ranges] = {
    "lower": [(0x61, 0x7A)],
    "upper": [(0x41, 0x5A)],
    "ascii": [(0x00, 0x7F)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "digit": [(0x30, 0x39)],
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "graph": [(0x21, 0x7E)],
    "print": [(0x20, 0x7E)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
}

# Unicode blocks as XML Schema names them (\p{IsBasicLatin}); keys are normalised names.
_BLOCKS: dict[str, tuple[int, int]] = {
    name.lower().replace("-", ""): (low, high)
    for name, low, high in [
        ("BasicLatin", 0x0000, 0x007F), ("Latin-1Supplement", 0x0080, 0x00FF),
        ("LatinExtended-A", 0x0100, 0x017F), ("LatinExtended-B", 0x0180, 0x024F),
        ("IPAExtensions", 0x0250, 0x02AF), ("SpacingModifierLetters", 0x02B0, 0x02FF),
        ("CombiningDiacriticalMarks", 0x0300, 0x036F), ("Greek", 0x0370, 0x03FF),
        ("GreekandCoptic", 0x0370, 0x03FF), ("Cyrillic", 0x0400, 0x04FF),
        ("Armenian", 0x0530, 0x058F), ("Hebrew", 0x0590, 0x05FF), ("Arabic", 0x0600, 0x06FF),
        ("Syriac", 0x0700, 0x074F), ("Thaana", 0x0780, 0x07BF), ("Devanagari", 0x0900, 0x097F),
        ("Bengali", 0x0980, 0x09FF), ("Gurmukhi", 0x0A00, 0x0A7F), ("Gujarati", 0x0A80, 0x0AFF),
        ("Oriya", 0x0B00, 0x0B7F), ("Tamil", 0x0B80, 0x0BFF), ("Telugu", 0x0C00, 0x0C7F),
        ("Kannada", 0x0C80, 0x0CFF), ("Malayalam", 0x0D00, 0x0D7F), ("Sinhala", 0x0D80, 0x0DFF),
        ("Thai", 0x0E00, 0x0E7F), ("Lao", 0x0E80, 0x0EFF), ("Tibetan", 0x0F00, 0x0FFF),
        ("Myanmar", 0x1000, 0x109F), ("Georgian", 0x10A0, 0x10FF),
        ("HangulJamo", 0x1100, 0x11FF), ("Ethiopic", 0x1200, 0x137F),
        ("Cherokee", 0x13A0, 0x13FF), ("UnifiedCanadianAboriginalSyllabics", 0x1400, 0x167F),
        ("Ogham", 0x1680, 0x169F), ("Runic", 0x16A0, 0x16FF), ("Khmer", 0x1780, 0x17FF),
        ("Mongolian", 0x1800, 0x18AF), ("LatinExtendedAdditional", 0x1E00, 0x1EFF),
        ("GreekExtended", 0x1F00, 0x1FFF), ("GeneralPunctuation", 0x2000, 0x206F),
        ("SuperscriptsandSubscripts", 0x2070, 0x209F), ("CurrencySymbols", 0x20A0, 0x20CF),
        ("CombiningMarksforSymbols", 0x20D0, 0x20FF), ("LetterlikeSymbols", 0x2100, 0x214F),
        ("NumberForms", 0x2150, 0x218F), ("Arrows", 0x2190, 0x21FF),
        ("MathematicalOperators", 0x2200, 0x22FF), ("MiscellaneousTechnical", 0x2300, 0x23FF),
        ("ControlPictures", 0x2400, 0x243F), ("OpticalCharacterRecognition", 0x2440, 0x245F),
        ("EnclosedAlphanumerics", 0x2460, 0x24FF), ("BoxDrawing", 0x2500, 0x257F),
        ("BlockElements", 0x2580, 0x259F), ("GeometricShapes", 0x25A0, 0x25FF),
        ("MiscellaneousSymbols", 0x2600, 0x26FF), ("Dingbats", 0x2700, 0x27BF),
        ("BraillePatterns", 0x2800, 0x28FF), ("CJKRadicalsSupplement", 0x2E80, 0x2EFF),
        ("KangxiRadicals", 0x2F00, 0x2FDF), ("IdeographicDescriptionCharacters", 0x2FF0, 0x2FFF),
        ("CJKSymbolsandPunctuation", 0x3000, 0x303F), ("Hiragana", 0x3040, 0x309F),
        ("Katakana", 0x30A0, 0x30FF), ("Bopomofo", 0x3100, 0x312F),
        ("HangulCompatibilityJamo", 0x3130, 0x318F), ("Kanbun", 0x3190, 0x319F),
        ("BopomofoExtended", 0x31A0, 0x31BF), ("EnclosedCJKLettersandMonths", 0x3200, 0x32FF),
        ("CJKCompatibility", 0x3300, 0x33FF), ("CJKUnifiedIdeographsExtensionA", 0x3400, 0x4DBF),
        ("CJKUnifiedIdeographs", 0x4E00, 0x9FFF), ("YiSyllables", 0xA000, 0xA48F),
        ("YiRadicals", 0xA490, 0xA4CF), ("HangulSyllables", 0xAC00, 0xD7AF),
        ("HighSurrogates", 0xD800, 0xDB7F), ("HighPrivateUseSurrogates", 0xDB80, 0xDBFF),
        ("LowSurrogates", 0xDC00, 0xDFFF), ("PrivateUse", 0xE000, 0xF8FF),
        ("PrivateUseArea", 0xE000, 0xF8FF), ("CJKCompatibilityIdeographs", 0xF900, 0xFAFF),
        ("AlphabeticPresentationForms", 0xFB00, 0xFB4F),
        ("ArabicPresentationForms-A", 0xFB50, 0xFDFF), ("CombiningHalfMarks", 0xFE20, 0xFE2F),
        ("CJKCompatibilityForms", 0xFE30, 0xFE4F), ("SmallFormVariants", 0xFE50, 0xFE6F),
        ("ArabicPresentationForms-B", 0xFE70, 0xFEFF),
        ("HalfwidthandFullwidthForms", 0xFF00, 0xFFEF), ("Specials", 0xFFF0, 0xFFFF),
        ("OldItalic", 0x10300, 0x1032F), ("Gothic", 0x10330, 0x1034F),
        ("Deseret", 0x10400, 0x1044F), ("ByzantineMusicalSymbols", 0x1D000, 0x1D0FF),
        ("MusicalSymbols", 0x1D100, 0x1D1FF),
        ("MathematicalAlphanumericSymbols", 0x1D400, 0x1D7FF),
        ("Emoticons", 0x1F600, 0x1F64F),
        ("CJKUnifiedIdeographsExtensionB", 0x20000, 0x2A6DF),
        ("CJKCompatibilityIdeographsSupplement", 0x2F800, 0x2FA1F), ("Tags", 0xE0000, 0xE007F),
        ("SupplementaryPrivateUseArea-A", 0xF0000, 0xFFFFF),
        ("SupplementaryPrivateUseArea-B", 0x100000, 0x10FFFF),
    ]
}  # fmt: skip


def _property_ranges(name: str) -> Ranges | None:
    """The code points of ``\\p{name}``: a general category, an XSD block or a POSIX class."""
    if re.fullmatch(r"[A-Z][a-z]?", name):
        return _category_ranges(name)
    if name.startswith(("Is", "In")) and len(name) > 2:
        key = name[2:].lower().replace("-", "").replace("_", "")
        if key in _BLOCKS:
            return [_BLOCKS[key]]
        if name.startswith("Is") and re.fullmatch(r"[A-Z][a-z]?", name[2:]):
            return _category_ranges(name[2:])
        return None
    if name.lower() in _POSIX:
        return _POSIX[name.lower()]
    return None


@functools.cache
def _category_table() -> dict[str, Ranges]:
    """Code point ranges per two-letter Unicode general category (built once, lazily)."""
    table: dict[str, Ranges] = {}
    category = unicodedata.category
    for code in range(_MAX_CODE_POINT + 1):
        ranges = table.setdefault(category(chr(code)), [])
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return table


def _category_ranges(name: str) -> Ranges | None:
    table = _category_table()
    if len(name) == 2:
        return table.get(name)
    ranges = [r for key, value in table.items() if key[0] == name for r in value]
    return _merged(ranges) if ranges else None


def _clip(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."
