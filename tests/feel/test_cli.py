"""`flowwire feel EXPR`: result as FEEL text, warnings on stderr, errors with exit code 1."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from flowwire.cli.main import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["feel", *args])
    return result.exit_code, result.stdout, result.stderr


def test_prints_the_result_as_feel_text() -> None:
    assert run("1 + 2") == (0, "3\n", "")
    assert run('{a: 1, b: "x"}')[1] == '{a:1, b:"x"}\n'
    assert run('"text"')[1] == '"text"\n'
    assert run("null")[1] == "null\n"


def test_variables_from_json() -> None:
    assert run("x + y", "--vars", '{"x": 1, "y": 2.5}')[1] == "3.5\n"
    assert run("name", "--var", 'name="Ada"')[1] == '"Ada"\n'
    assert run("a.b", "--vars", '{"a": {"b": 1}}', "--var", 'a={"b": 2}')[1] == "2\n"


def test_warnings_go_to_stderr() -> None:
    code, out, err = run("x.y", "--vars", '{"x": {}}')
    assert code == 0
    assert out == "null\n"
    assert err.startswith("warning: NO_CONTEXT_ENTRY_FOUND: ")


def test_syntax_error_shows_position_and_caret() -> None:
    code, out, err = run("1 + * 2")
    assert code == 1
    assert out == ""
    assert "(line 1, column 5)" in err
    assert "1 + * 2\n    ^" in err


def test_bad_json_names_the_option() -> None:
    code, _, err = run("x", "--vars", "{bad")
    assert code == 1
    assert "--vars is not valid JSON" in err
    code, _, err = run("x", "--var", "x={")
    assert code == 1
    assert "--var x is not valid JSON" in err
    code, _, err = run("x", "--var", "novalue")
    assert code == 1
    assert "NAME=JSON" in err


def test_limit_errors_exit_with_1() -> None:
    code, _, err = run("for i in 1..1000000000 return i")
    assert code == 1
    assert "max_list_size" in err


def test_real_process() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "flowwire.cli.main", "feel", "= [1, 2][-1] * 10"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "20\n"
