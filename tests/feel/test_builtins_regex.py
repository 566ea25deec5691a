"""Regular expressions in ``matches``, ``replace``, ``split`` and ``extract``: XPath syntax and
flags as DMN specifies them, the Java syntax Camunda users write, and refused patterns."""

from __future__ import annotations

import time
from typing import Any

import pytest

from flowwire import feel
from flowwire.feel.builtins import string_fns
from flowwire.feel.builtins.string_fns import MAX_PATTERN_LENGTH

FAILED = "FUNCTION_INVOCATION_FAILURE"


def evaluate(expression: str, **variables: Any) -> Any:
    return feel.evaluate(expression, variables)


@pytest.mark.parametrize(
    ("text", "pattern", "flags", "expected"),
    [
        ("foobar", "^fo*bar", None, True),
        ("foobar", "^fo*z", None, False),
        ("abracadabra", "bra", None, True),  # a match anywhere counts
        ("abc", "ABC", "i", True),
        ("abZ", "[a-z]*", "i", True),
        ("\u212a", "k", "i", True),  # Kelvin sign folds to k
        ("Q", "[^Q]", "i", False),
        ("q", "[^Q]", "i", False),
        ("\nabcd\ndefg\n", "^$", "m", True),
        ("abcd\n\ndefg\n ", "^$", "m", True),
        ("line\n", "line$", None, False),  # without m, $ is the very end
        ("Mary\rJones", "Mary.Jones", None, False),  # . excludes \r and \n
        ("Mary\nJones", "Mary.Jones", "s", True),
        ("x", "[A-Z-[OI]]", "i", True),  # class subtraction
        ("O", "[A-Z-[OI]]", "i", False),
        ("i", "[A-Z-[OI]]", "i", False),
        ("hello world", "hello\\ sworld", "x", True),  # x drops whitespace outside [...]
        ("hello world", "he ll o[ ]worl d", "x", True),
        ("hello world", "\\p{ I s B a s i c L a t i n }+", "x", True),
        ("hello world", "^\\p{IsBasicLatin}+$", None, True),
        ("a", "a[^b]", None, False),
        ("a ", "a[^b]", None, True),
        ("aA", "(a)\\1", "i", True),
        ("Ab1", "^\\p{Lu}\\p{Ll}\\p{Nd}$", None, True),
        ("\U0001f40e", "^\\P{L}$", None, True),
        ("\U0001f40e", "^.$", None, True),  # one code point
        ("ab", "\\i\\c", None, True),
        ("a b", "a\\sb", None, True),
        ("aab", "a+b", "q", False),  # q: the pattern is literal text
        ("xa+bx", "a+b", "q", True),
        ("x", "X", "qi", True),
        # Java syntax that Camunda users write
        ("abc", "a(?=b)", None, True),
        ("abc", "a(?!b)", None, False),
        ("abab", "(?<pair>ab)\\k<pair>", None, True),
        ("a.c", "\\Qa.c\\E", None, True),
        ("abc", "\\Qa.c\\E", None, False),
        ("ace", "^[a-z&&[^b]]+$", None, True),
        ("abc", "^[a-z&&[^b]]+$", None, False),
        ("price: $5", "\\$\\d", None, True),
        ("Hello", "(?i)hello", None, True),
        ("\u00e9", "\\u00E9", None, True),
        ("\U0001f600", "\\uD83D\\uDE00", None, True),  # a surrogate pair is one code point
        ("tab\there", "\\x09", None, True),
    ],
)
def test_matches(text: str, pattern: str, flags: str | None, expected: bool) -> None:
    result = evaluate("matches(t, p, f)", t=text, p=pattern, f=flags)
    assert result is expected


@pytest.mark.parametrize(
    ("text", "pattern", "replacement", "flags", "expected"),
    [
        ("abcd", "(ab)|(a)", "[1=$1][2=$2]", None, "[1=ab][2=]cd"),
        ("abracadabra", "a.*?a", "*", None, "*c*bra"),
        ("abracadabra", "a(.)", "a$1$1", None, "abbraccaddabbra"),
        ("AAAA", "A+?", "b", None, "bbbb"),
        ("darted", "^(.*?)d(.*)$", "$1c$2", None, "carted"),
        ("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3", None, "(012) 345-6789"),
        ("facetiously", "[iouy]", "[$0]", None, "facet[i][o][u]sl[y]"),
        ("a.b.c.", "[a-z]", "#", "s", "#.#.#."),
        ("abc", "[A-Z]", "#", "i", "###"),
        ("How do you feel?", "Feel", "FEEL", "i", "How do you FEEL?"),
        ("a b c d ", "[a-z]", "#", "x", "# # # # "),
        ("abc", ".^[d-z]*", "smix", None, "abc"),
        ("price", "price", "\\$1", None, "$1"),  # \$ is a literal dollar
        ("ab", "(a)", "$12", None, "a2b"),  # $1 then 2: there is no group 12
        ("a-b", "(?<x>a)-(?<y>b)", "${y}-${x}", None, "b-a"),
        ("abc", "x*", "-", None, "-a-b-c-"),
        ("a.b", ".", "$1", "q", "a$1b"),  # q: pattern and replacement are literal
    ],
)
def test_replace(
    text: str, pattern: str, replacement: str, flags: str | None, expected: str
) -> None:
    result = evaluate("replace(t, p, r, f)", t=text, p=pattern, r=replacement, f=flags)
    assert result == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('split("John Doe", "\\s")', ["John", "Doe"]),
        ('split("a;b;c;;", ";")', ["a", "b", "c", "", ""]),
        ('split("a1b22c", "[0-9]+")', ["a", "b", "c"]),
        ('split("a(1)b", "\\((\\d)\\)")', ["a", "b"]),  # groups don't add parts
        ('split(delimiter: ",", string: "foo,bar")', ["foo", "bar"]),
        ('split("abc", "x")', ["abc"]),
        ('extract("references are 1234, 1256, 1378", "12[0-9]*")', ["1234", "1256"]),
        ('extract("abc", "x")', []),
        ('extract(string: "a1b2", pattern: "[0-9]")', ["1", "2"]),
    ],
)
def test_split_and_extract(expression: str, expected: list[str]) -> None:
    assert evaluate(expression) == expected


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        ("\\p{ IsBasicLatin}+", None),  # spaces inside \p{} only with the x flag
        ("(.)\\3", None),  # a back-reference to a missing group
        ("\\3", None),
        ("(asd)[\\1]", None),  # back-references can't be in a class
        ("1[asd\\0]", None),
        ("a{", None),
        ("[abc", None),
        ("(abc", None),
        ("[[:alpha:]]", None),
        ("\\y", None),
        ("\\p{NoSuchThing}", None),
        ("pattern", "p"),  # unknown flags
        ("pattern", " "),
        ("pattern", "X"),
        ("a" * (MAX_PATTERN_LENGTH + 1), None),
    ],
)
def test_refused_patterns_give_null_and_a_warning(pattern: str, flags: str | None) -> None:
    result = feel.evaluate_detailed('matches("input", p, f)', {"p": pattern, "f": flags})
    assert result.value is None
    assert [kind for kind, _ in result.warnings] == [FAILED]


def test_invalid_replacements_give_null_and_a_warning() -> None:
    for replacement in ("$", "$x", "cost: 5$", "end\\"):
        result = feel.evaluate_detailed('replace("a", "a", r)', {"r": replacement})
        assert result.value is None
        assert FAILED in [kind for kind, _ in result.warnings]


def test_regex_arguments_must_be_strings() -> None:
    for expression in (
        'matches(null, "a")',
        'matches("a", null)',
        'matches("a", [])',
        'split(null, ",")',
        'split("a", null)',
        'replace("a", "a", null)',
    ):
        result = feel.evaluate_detailed(expression, {})
        assert result.value is None, expression
        assert FAILED in [kind for kind, _ in result.warnings], expression


@pytest.mark.parametrize(
    "expression",
    [
        'matches(text, "^(a|aa)+$")',
        'replace(text, "^(a|aa)+$", "x")',
        'split(text, "(a|aa)+$")',
        'extract(text, "(a|aa)+$")',
    ],
)
def test_a_catastrophically_backtracking_pattern_times_out_with_null_and_a_warning(
    expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the timeout each call would backtrack for ages (Fibonacci(60) ways to split)."""
    monkeypatch.setattr(string_fns, "REGEX_TIMEOUT_SECONDS", 0.2)
    started = time.perf_counter()
    result = feel.evaluate_detailed(expression, {"text": "a" * 60 + "!"})
    assert time.perf_counter() - started < 5
    assert result.value is None
    [(kind, message)] = result.warnings
    assert kind == FAILED
    assert "ran longer than 0.2 s" in message and "simplify the pattern" in message


def test_the_same_pattern_on_a_matching_input_is_fast_and_correct() -> None:
    assert evaluate('matches(text, "^(a|aa)+$")', text="a" * 60) is True
    assert evaluate('replace(text, "(a|aa)+", "x")', text="baab") == "bxb"
