"""What the REST connector sends and what it makes of the answer: methods, query parameters,
headers, body encodings, redirects, timeouts, response shapes and transport failures."""

from __future__ import annotations

import json

import pytest

from support.http_server import LoopbackServer, Recorded, Reply

from .models import connector_task, one_task_process
from .support import Harness


def run_rest(
    server: LoopbackServer,
    inputs: dict[str, str],
    task_headers: dict[str, str] | None = None,
    variables: dict[str, object] | None = None,
    retries: str | None = None,
) -> tuple[Harness, int]:
    harness = Harness()
    task = connector_task(
        "task",
        inputs=[(source, target) for target, source in inputs.items()],
        headers={"resultVariable": "r", **(task_headers or {})},
        retries=retries,
    )
    key = harness.start(one_task_process("rest", task), variables)
    harness.drive()
    return harness, key


def ok(request: Recorded) -> Reply:
    return Reply(200, {"seen": True})


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_every_method(server: LoopbackServer, method: str) -> None:
    server.route(method, "/m", ok)
    harness, key = run_rest(server, {"method": f'="{method}"', "url": f'="{server.base}/m"'})
    assert server.last().method == method
    assert harness.variables(key)["r"]["status"] == 200


def test_query_parameters_and_headers_from_feel_contexts(server: LoopbackServer) -> None:
    server.route("GET", "/q", ok)
    run_rest(
        server,
        {
            "method": '="GET"',
            "url": f'="{server.base}/q?fixed=1"',
            "queryParameters": '={city: city, days: 3, units: null, tags: ["a", "b"]}',
            "headers": '={"X-Trace": "t-1", "X-Count": 2, "X-Flag": true, "X-None": null}',
        },
        variables={"city": "São Paulo"},
    )
    request = server.last("/q")
    assert request.query == {
        "fixed": ["1"],
        "city": ["São Paulo"],
        "days": ["3"],
        "tags": ["a", "b"],
    }
    assert request.headers["x-trace"] == "t-1"
    assert request.headers["x-count"] == "2"
    assert request.headers["x-flag"] == "true"
    assert "x-none" not in request.headers


def test_json_body_by_default_with_null_values_kept_or_dropped(server: LoopbackServer) -> None:
    server.route("POST", "/orders", lambda r: Reply(201, {"id": "o-1"}))
    body = '={orderId: "A-1", total: 12.5, note: null, lines: [{sku: "x", qty: 2}]}'
    run_rest(server, {"method": '="POST"', "url": f'="{server.base}/orders"', "body": body})
    first = server.last("/orders")
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {
        "orderId": "A-1",
        "total": 12.5,
        "note": None,
        "lines": [{"sku": "x", "qty": 2}],
    }
    run_rest(
        server,
        {
            "method": '="POST"',
            "url": f'="{server.base}/orders"',
            "body": body,
            "ignoreNullValues": "=true",
        },
    )
    assert "note" not in server.last("/orders").json()


def test_form_urlencoded_body(server: LoopbackServer) -> None:
    server.route("POST", "/form", ok)
    run_rest(
        server,
        {
            "method": '="POST"',
            "url": f'="{server.base}/form"',
            "headers": '={"Content-Type": "application/x-www-form-urlencoded"}',
            "body": '={name: "Ada Lovelace", age: 36}',
        },
    )
    request = server.last("/form")
    assert request.form() == {"name": ["Ada Lovelace"], "age": ["36"]}


def test_multipart_body(server: LoopbackServer) -> None:
    server.route("POST", "/upload", ok)
    run_rest(
        server,
        {
            "method": '="POST"',
            "url": f'="{server.base}/upload"',
            "headers": '={"content-type": "multipart/form-data"}',
            "body": '={title: "report", pages: 3}',
        },
    )
    request = server.last("/upload")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    text = request.body.decode()
    assert 'name="title"' in text and "report" in text
    assert 'name="pages"' in text


def test_text_body_for_other_content_types(server: LoopbackServer) -> None:
    server.route("PUT", "/note", ok)
    run_rest(
        server,
        {
            "method": '="PUT"',
            "url": f'="{server.base}/note"',
            "headers": '={"Content-Type": "text/plain"}',
            "body": '="hello, world"',
        },
    )
    assert server.last("/note").body == b"hello, world"


def test_a_json_text_body_is_sent_as_written(server: LoopbackServer) -> None:
    server.route("POST", "/raw", ok)
    run_rest(
        server,
        {"method": '="POST"', "url": f'="{server.base}/raw"', "body": '="{\\"a\\": 1}"'},
    )
    assert server.last("/raw").json() == {"a": 1}


def test_response_headers_are_flattened_and_text_bodies_kept(server: LoopbackServer) -> None:
    server.route(
        "GET",
        "/text",
        Reply(200, "plain words", headers=[("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]),
    )
    harness, key = run_rest(server, {"method": '="GET"', "url": f'="{server.base}/text"'})
    response = harness.variables(key)["r"]
    assert response["body"] == "plain words"
    assert response["headers"]["set-cookie"] == ["a=1", "b=2"]
    assert response["headers"]["content-type"] == "text/plain; charset=utf-8"


def test_empty_body_is_null(server: LoopbackServer) -> None:
    server.route("DELETE", "/gone", Reply(204))
    harness, key = run_rest(server, {"method": '="DELETE"', "url": f'="{server.base}/gone"'})
    assert harness.variables(key)["r"] == {
        "status": 204,
        "headers": harness.variables(key)["r"]["headers"],
        "body": None,
    }


def test_redirects_are_followed_only_when_asked(server: LoopbackServer) -> None:
    server.route("GET", "/old", Reply(302, headers=[("Location", "/new")]))
    server.route("GET", "/new", Reply(200, {"moved": True}))
    harness, key = run_rest(server, {"method": '="GET"', "url": f'="{server.base}/old"'})
    assert harness.variables(key)["r"]["status"] == 302
    harness, key = run_rest(
        server,
        {"method": '="GET"', "url": f'="{server.base}/old"', "followRedirects": "=true"},
    )
    assert harness.variables(key)["r"]["body"] == {"moved": True}


def test_read_timeout_is_a_500_error_naming_the_setting(server: LoopbackServer) -> None:
    server.route("GET", "/slow", Reply(200, {"late": True}, delay=1.5))
    harness, key = run_rest(
        server,
        {"method": '="GET"', "url": f'="{server.base}/slow"', "readTimeoutInSeconds": "=1"},
        retries="1",
    )
    error = harness.task_variables(key)["error"]
    assert error["code"] == "500"
    assert "readTimeoutInSeconds" in error["message"]


def test_skip_encoding_sends_the_path_as_written(server: LoopbackServer) -> None:
    server.route("GET", "/a{b}", ok)
    server.route("GET", "/a%7Bb%7D", ok)
    run_rest(
        server,
        {"method": '="GET"', "url": f'="{server.base}/a{{b}}"', "skipEncoding": '="true"'},
    )
    assert server.last().raw_path == "/a{b}"  # type: ignore[attr-defined]
    run_rest(server, {"method": '="GET"', "url": f'="{server.base}/a{{b}}"'})
    assert server.last().raw_path == "/a%7Bb%7D"  # type: ignore[attr-defined]


def test_a_url_that_is_not_http_is_an_input_error(server: LoopbackServer) -> None:
    harness, key = run_rest(server, {"method": '="GET"', "url": '="ftp://example.com/file"'})
    message = harness.incident(key).message
    assert "url: must be a http(s) URL" in message


def test_text_return_format(server: LoopbackServer) -> None:
    server.route("GET", "/j", Reply(200, {"a": 1}))
    harness, key = run_rest(
        server,
        {
            "method": '="GET"',
            "url": f'="{server.base}/j"',
            "documentReturnFormat.choice": '="TEXT"',
        },
    )
    assert json.loads(harness.variables(key)["r"]["body"]) == {"a": 1}
