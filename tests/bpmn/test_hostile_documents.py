"""Malformed, oversized and hostile documents are rejected with one clear problem."""

from __future__ import annotations

import time

import pytest

from flowwire.bpmn import DEFAULT_MAX_BYTES, BpmnError, BpmnValidationError, Problem, parse

from .samples import definitions_xml, model_bytes

DOCTYPE_MESSAGE = "DOCTYPE declarations are not allowed in BPMN files"
VALID = definitions_xml(
    """
    <bpmn:startEvent id="start" name="NAME" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />"""
)


def rejection(source: str | bytes, **options: object) -> Problem:
    with pytest.raises(BpmnValidationError) as info:
        parse(source, **options)  # type: ignore[arg-type]
    assert isinstance(info.value, BpmnError)
    assert len(info.value.problems) == 1, str(info.value)
    return info.value.problems[0]


def with_doctype(doctype: str, name: str = "NAME") -> str:
    head, body = VALID.split("\n", 1)
    return f"{head}\n{doctype}\n{body}".replace('name="NAME"', f'name="{name}"')


def test_billion_laughs_is_rejected_quickly() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    xml = with_doctype(f"<!DOCTYPE bpmn:definitions [{''.join(entities)}]>", name="&lol9;")
    started = time.perf_counter()
    problem = rejection(xml)
    assert time.perf_counter() - started < 1
    assert problem.message.startswith(DOCTYPE_MESSAGE)
    assert problem.line == 2


def test_external_entity_is_never_read() -> None:
    xml = with_doctype(
        '<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', name="&xxe;"
    )
    problem = rejection(xml)
    assert problem.message.startswith(DOCTYPE_MESSAGE)
    assert "root:" not in problem.message


def test_external_dtd_is_rejected() -> None:
    problem = rejection(
        with_doctype('<!DOCTYPE bpmn:definitions SYSTEM "http://attacker.example/evil.dtd">')
    )
    assert problem.message.startswith(DOCTYPE_MESSAGE)


def test_doctype_hidden_behind_a_comment_is_still_rejected() -> None:
    # the comment contains something that looks like a start tag before the DOCTYPE
    entities = ['<!ENTITY a "aaaaaaaaaa">'] + [
        f'<!ENTITY a{i} "{("&a;" if i == 1 else f"&a{i - 1};") * 10}">' for i in range(1, 8)
    ]
    xml = with_doctype(
        f"<!-- <a> -->\n<!DOCTYPE bpmn:definitions [{''.join(entities)}]>", name="&a7;"
    )
    started = time.perf_counter()
    assert rejection(xml).message.startswith(DOCTYPE_MESSAGE)
    assert time.perf_counter() - started < 1


def test_doctype_in_a_utf16_document_is_rejected() -> None:
    xml = with_doctype("<!DOCTYPE bpmn:definitions>").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    )
    assert rejection(xml.encode("utf-16")).message.startswith(DOCTYPE_MESSAGE)


def test_a_document_larger_than_the_limit_is_rejected_before_parsing() -> None:
    data = model_bytes("rest-connector.bpmn")
    problem = rejection(data, max_bytes=1000)
    assert problem.message.startswith(f"the file is {len(data)} bytes")
    assert "larger than the limit of 1000 bytes" in problem.message
    assert parse(data, max_bytes=len(data)).processes


def test_the_default_limit_is_ten_mebibytes() -> None:
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    padding = b" " * (DEFAULT_MAX_BYTES + 1 - len(VALID))
    oversized = VALID.encode().replace(b"</bpmn:definitions>", padding + b"</bpmn:definitions>")
    problem = rejection(oversized)
    assert "larger than the limit of 10485760 bytes (10.0 MiB)" in problem.message


def test_malformed_xml_names_line_column_and_reason() -> None:
    broken = VALID.replace('<bpmn:endEvent id="end" />', '<bpmn:endEvent id="end">')
    problem = rejection(broken, resource_name="broken.bpmn")
    assert problem.element_id is None
    assert problem.line == VALID.splitlines().index("  </bpmn:process>") + 1
    assert problem.message.startswith("the file is not well-formed XML at column ")
    assert "Opening and ending tag mismatch: endEvent" in problem.message


def test_error_text_starts_with_the_resource_name() -> None:
    with pytest.raises(BpmnValidationError) as info:
        parse("<bpmn:definitions", resource_name="broken.bpmn")
    text = str(info.value)
    assert text.startswith("broken.bpmn: 1 problem\nline 1: the file is not well-formed XML")


def test_empty_document() -> None:
    assert "Document is empty" in rejection(b"").message


def test_wrong_root_element() -> None:
    dmn = '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" />'
    problem = rejection(dmn)
    assert problem.message == (
        "the root element is <definitions> in namespace https://www.omg.org/spec/DMN/20191111/MODEL/,"
        " but a BPMN file must start with <bpmn:definitions> in namespace "
        "http://www.omg.org/spec/BPMN/20100524/MODEL: export the model as BPMN 2.0 XML"
    )
    assert problem.line == 1
    plain = rejection("<?xml version='1.0'?>\n<process id='p' />")
    assert plain.message.startswith("the root element is <process> without a namespace")
    assert plain.line == 2


def test_sources_other_than_text_or_bytes_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be str or bytes, not int"):
        parse(42)  # type: ignore[arg-type]
