"""Turn untrusted bytes into an lxml tree, refusing anything hostile or oversized.

BPMN files come from users and, through the API, from the network: entity expansion (billion
laughs), external entities (`file:///etc/passwd`) and external DTDs are rejected before lxml sees
them, and the parser itself runs with entity resolution, network access and huge trees switched off.
"""

from __future__ import annotations

import codecs
import re
import threading

from lxml import etree

from .errors import BpmnValidationError, Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_DEFINITIONS_TAG = f"{{{BPMN_NS}}}definitions"
#: what may precede a DOCTYPE: blanks, the XML declaration, processing instructions, comments
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_DOCTYPE = re.compile(rb"\s*<!DOCTYPE", re.IGNORECASE)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
_LXML_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+$")
_DOCTYPE_MESSAGE = (
    "DOCTYPE declarations are not allowed in BPMN files: remove the <!DOCTYPE ...> declaration "
    "(BPMN needs no DTD, and entity declarations can be used to attack the server)"
)

_parsers = threading.local()


def _parser() -> etree.XMLParser:
    """A hardened parser per thread (lxml parser objects must not be shared between threads)."""
    parser: etree.XMLParser | None = getattr(_parsers, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _parsers.parser = parser
    return parser


def to_bytes(source: str | bytes) -> bytes:
    """The document as bytes; a str is encoded as UTF-8 and its declaration made to say so."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str):
        declared = _ENCODING_DECLARATION.sub(r"\1\2UTF-8\2", source, count=1)
        return declared.encode("utf-8")
    raise TypeError(f"a BPMN source must be str or bytes, not {type(source).__name__}")


def _fail(message: str, line: int | None = None) -> BpmnValidationError:
    return BpmnValidationError([Problem(None, message, line)])


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} bytes"


def _doctype_line(data: bytes) -> int | None:
    """The line of a DOCTYPE declaration in the prolog, found before lxml sees the document."""
    head = data
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            head = data[: 256 * 1024].decode(codec, errors="ignore").encode("utf-8")
            break
    head = head.removeprefix(codecs.BOM_UTF8)
    position = 0
    while item := _PROLOG_ITEM.match(head, position):
        position = item.end()
    doctype = _DOCTYPE.match(head, position)
    if doctype is None:
        return None
    return head.count(b"\n", 0, doctype.end()) + 1


def load_definitions_root(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The `bpmn:definitions` root of a well-formed, safe document, else a BpmnValidationError."""
    if len(data) > max_bytes:
        raise _fail(
            f"the file is {len(data)} bytes ({_size_text(len(data))}), larger than the limit of "
            f"{max_bytes} bytes ({_size_text(max_bytes)}): split the model or raise the limit"
        )
    doctype_line = _doctype_line(data)
    if doctype_line is not None:
        raise _fail(_DOCTYPE_MESSAGE, doctype_line)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        line, column = err.position if err.position else (None, None)
        reason = _LXML_POSITION_SUFFIX.sub("", err.msg or "unreadable XML")
        where = f" at column {column}" if column else ""
        raise _fail(
            f"the file is not well-formed XML{where}: {reason}; fix the XML (or re-save it "
            "from Camunda Modeler)",
            line,
        ) from None
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise _fail(_DOCTYPE_MESSAGE)
    if root.tag != _DEFINITIONS_TAG:
        tag = etree.QName(root).localname if isinstance(root.tag, str) else str(root.tag)
        namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
        found = f"<{tag}>" + (f" in namespace {namespace}" if namespace else " without a namespace")
        raise _fail(
            f"the root element is {found}, but a BPMN file must start with <bpmn:definitions> "
            f"in namespace {BPMN_NS}: export the model as BPMN 2.0 XML",
            line_of(root),
        )
    return root


def line_of(node: etree._Element) -> int | None:
    """The 1-based line where the element starts in the document."""
    line = node.sourceline
    return line if isinstance(line, int) else None


def attributes_of(node: etree._Element) -> dict[str, str]:
    """The element's attributes as a plain dict (Clark-notation names for namespaced ones)."""
    return {str(name): str(value) for name, value in node.attrib.items()}
