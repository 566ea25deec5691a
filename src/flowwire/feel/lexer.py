"""Turn FEEL text into tokens with one compiled master pattern.

FEEL names may contain spaces (``first name``) and keywords are ordinary words, so the lexer
only splits the text into words, numbers, strings and punctuation; the parser decides which
words form a name and which are keywords.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from flowwire.feel.errors import FeelSyntaxError

#: Token kinds
NUMBER = "number"
STRING = "string"
TEMPORAL = "temporal"  # @"..."
NAME = "name"  # a word; may also be a keyword, the parser decides
QUOTED_NAME = "quoted name"  # `a name with any characters`
OP = "op"  # punctuation and operators
EOF = "end of expression"

_MASTER = re.compile(
    r"""
    \s*
    (?:
      (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<unclosed>/\*)
    | (?P<name>(?:[^\W\d]|[$\U00010000-\U000EFFFF])[\w'’$\u0300-\u036F\u203F-\u2040\U00010000-\U000EFFFF]*)
    | (?P<number>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<op>\.\.|\*\*|<=|>=|!=|[-+*/=<>()\[\]{},.:?])
    | (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<temporal>@"(?:[^"\\]|\\.)*")
    | (?P<quoted>`[^`]*`)
    | (?P<error>\S)
    )
    """,
    re.VERBOSE | re.DOTALL,
)

#: builds a Token without a Python-level __new__ (tokens are created in bulk)
_token: Any = tuple.__new__

_SIMPLE_KINDS = {"name": NAME, "op": OP, "number": NUMBER}
#: group index -> group name, and -> token kind for the tokens without further work
_GROUP_NAMES = [""] * (_MASTER.groups + 1)
for _name, _index in _MASTER.groupindex.items():
    _GROUP_NAMES[_index] = _name
_SIMPLE_BY_INDEX = [_SIMPLE_KINDS.get(name) for name in _GROUP_NAMES]

_ESCAPES = {
    '"': '"',
    "'": "'",
    "\\": "\\",
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "/": "/",
}


class Token(NamedTuple):
    """One token; ``start``/``end`` are offsets into the source, ``spaced`` tells whether
    whitespace or a comment precedes it (used to recognise names such as ``Date-Time``)."""

    kind: str
    value: str
    start: int
    end: int
    spaced: bool

    def describe(self) -> str:
        """How the token is shown in an error message."""
        if self.kind == EOF:
            return "the end of the expression"
        return f"'{self.value}'" if self.kind != STRING else f"the string {self.value}"


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def syntax_error(text: str, offset: int, message: str) -> FeelSyntaxError:
    """A :class:`FeelSyntaxError` located at ``offset``."""
    line, column = position(text, offset)
    return FeelSyntaxError(message, line, column, text)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an EOF token. Raises FeelSyntaxError."""
    tokens: list[Token] = []
    append = tokens.append
    last = -1  # end of the previous token or comment
    simple_kinds = _SIMPLE_BY_INDEX
    for m in _MASTER.finditer(text):
        index = m.lastindex
        start, end = m.span(index)  # type: ignore[arg-type]
        simple = simple_kinds[index]  # type: ignore[index]
        if simple is not None:
            append(_token(Token, (simple, text[start:end], start, end, start != last)))
            last = end
            continue
        kind = _GROUP_NAMES[index]  # type: ignore[index]
        if kind == "comment":
            end = start  # a comment counts as a space before the next token
        elif kind == "string":
            body = unescape(text[start + 1 : end - 1], text, start + 1)
            append(_token(Token, (STRING, body, start, end, start != last)))
        elif kind == "temporal":
            body = unescape(text[start + 2 : end - 1], text, start + 2)
            append(_token(Token, (TEMPORAL, body, start, end, start != last)))
        elif kind == "quoted":
            if end - start == 2:
                raise syntax_error(text, start, "a name in backticks must not be empty")
            append(
                _token(Token, (QUOTED_NAME, text[start + 1 : end - 1], start, end, start != last))
            )
        else:
            raise _lex_error(text, start)
        last = end
    length = len(text)
    append(_token(Token, (EOF, "", length, length, length != last)))
    return tokens


def _lex_error(text: str, pos: int) -> FeelSyntaxError:
    char = text[pos]
    if char == '"' or text.startswith('@"', pos):
        return syntax_error(text, pos, "the string is not closed: add the missing '\"'")
    if char == "`":
        return syntax_error(text, pos, "the name in backticks is not closed: add the missing '`'")
    if text.startswith("/*", pos):
        return syntax_error(text, pos, "the comment is not closed: add the missing '*/'")
    if char == "!":
        return syntax_error(text, pos, "unexpected '!': use '!=' for 'not equal' or not(...)")
    return syntax_error(text, pos, f"unexpected character {char!r}")


def unescape(body: str, text: str, offset: int) -> str:
    """Resolve the escape sequences of a string literal's body (without the quotes)."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1] if i + 1 < n else ""
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u":
            code, i = _unicode_escape(body, i, text, offset, 4)
            out.append(code)
        elif nxt == "U":
            code, i = _unicode_escape(body, i, text, offset, 6)
            out.append(code)
        else:
            # feel-scala keeps unknown escapes as they are (e.g. regex patterns "\d")
            out.append(c)
            i += 1
    return _join_surrogates("".join(out))


def _unicode_escape(body: str, i: int, text: str, offset: int, width: int) -> tuple[str, int]:
    digits = body[i + 2 : i + 2 + width]
    if len(digits) != width or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
        raise syntax_error(
            text,
            offset + i,
            f"invalid unicode escape: write \\{body[i + 1]} followed by {width} hex digits",
        )
    value = int(digits, 16)
    if value > 0x10FFFF:
        raise syntax_error(text, offset + i, "invalid unicode escape: code point out of range")
    return chr(value), i + 2 + width


def _join_surrogates(s: str) -> str:
    """Combine UTF-16 surrogate pairs written as two ``\\u`` escapes into one character."""
    if not any("\ud800" <= ch <= "\udfff" for ch in s):
        return s
    return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
