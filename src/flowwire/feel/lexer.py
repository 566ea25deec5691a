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

#: whitespace and comments, then one token; ``findall`` yields one (space, token) pair per
#: token, and the token's first character tells its kind (see ``_KIND_BY_FIRST``)
_MASTER = re.compile(
    r"""
    (\s*(?:(?://[^\n]*|/\*.*?\*/)\s*)*)
    (
      [^\W\d]\w*(?:[\w'’$\u0300-\u036F\u203F-\u2040\U00010000-\U000EFFFF]+)?
    | [$\U00010000-\U000EFFFF][\w'’$\u0300-\u036F\u203F-\u2040\U00010000-\U000EFFFF]*
    | (?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?
    | /\*
    | \.\.|\*\*|<=|>=|!=|[-+*/=<>()\[\]{},.:?]
    | "[^"\\]*(?:\\.[^"\\]*)*"
    | @"[^"\\]*(?:\\.[^"\\]*)*"
    | `[^`]*`
    | \S
    | \Z
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_NAME_START = re.compile(r"(?:[^\W\d]|[$\U00010000-\U000EFFFF])")

#: the kind of a token whose text needs no further look, by its first character
_KIND_BY_FIRST: dict[str, str] = {
    **{c: NAME for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"},
    **{c: NUMBER for c in "0123456789"},
    **{c: OP for c in "-+*=<>()[]{},:?"},
}

#: builds a Token without a Python-level __new__ (tokens are created in bulk)
_token: Any = tuple.__new__

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
    """One token; ``start`` is its offset in the source, ``spaced`` tells whether
    whitespace or a comment precedes it (used to recognise names such as ``Date-Time``)."""

    kind: str
    value: str
    start: int
    spaced: bool

    @property
    def end(self) -> int:
        """The offset after a name, number or operator (their value is their source text)."""
        return self.start + len(self.value)

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
    kinds = _KIND_BY_FIRST
    pos = 0
    spaced = True
    for space, token in _MASTER.findall(text):
        if space:
            pos += len(space)
            spaced = True
        if not token:  # the end, after trailing whitespace or comments
            break
        kind = kinds.get(token[0])
        if kind is not None:
            append(_token(Token, (kind, token, pos, spaced)))
        else:
            append(_token(Token, (*_special(text, token, pos), pos, spaced)))
        pos += len(token)
        spaced = False
    if pos != len(text) and text[pos:].strip():
        raise _lex_error(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
    length = len(text)
    append(_token(Token, (EOF, "", length, spaced or pos != length)))
    return tokens


def _special(text: str, token: str, pos: int) -> tuple[str, str]:
    """Kind and value of a token that starts with a character of several uses."""
    first = token[0]
    if first == ".":
        return (NUMBER if len(token) > 1 and token[1] != "." else OP), token
    if first == '"' and len(token) > 1:
        return STRING, unescape(token[1:-1], text, pos + 1)
    if first == "@" and len(token) > 2:
        return TEMPORAL, unescape(token[2:-1], text, pos + 2)
    if first == "`" and len(token) > 1:
        if len(token) == 2:
            raise syntax_error(text, pos, "a name in backticks must not be empty")
        return QUOTED_NAME, token[1:-1]
    if token == "/" or token == "!=":
        return OP, token
    if first != "!" and first != "/" and _NAME_START.match(first):
        return NAME, token
    raise _lex_error(text, pos)


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
