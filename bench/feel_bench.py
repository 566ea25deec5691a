"""FEEL benchmark: flowwire's compiled evaluation, its parse+compile rate, and pySFeel as a peer.

Run by hand (it is not a test)::

    .venv/bin/pip install -e '.[bench]'      # pySFeel, the peer
    .venv/bin/python bench/feel_bench.py [--seconds 0.3] [--runs 5]
    .venv/bin/python bench/feel_bench.py --profile     # where the time goes (cProfile)

For each expression of issue 2's set, in one process:

1. compiled evaluation: ``feel.compile(text)`` once, then ``compiled.evaluate(variables)`` in a
   loop, against a hand-written Python function computing the same answer from the same
   variables (Decimal numbers, dicts, lists: FEEL's value mapping);
2. parse+compile: the uncached compile entry point (the LRU cache is bypassed); and, for
   the peer comparison, uncached parse+compile+evaluate per call, as well as what callers
   get from ``feel.evaluate(text, variables)`` with the cache;
3. pySFeel (PyPI): parse+evaluate per call with the same variables (set once beforehand with
   its ``name <- value`` assignments). Where pySFeel documents a different spelling for the
   same meaning (``((order).tracking).id`` for a path on a variable), that spelling is used and
   marked; an expression it cannot parse or answers wrongly is reported as unsupported.

It prints a Markdown section for ``docs/benchmarks.md``. Every rate is the best of ``--runs``
(5) runs of about ``--seconds`` each (``time.perf_counter``), the runs of one expression's
measurements interleaved so that load changes hit them alike. The answers of all three sides
are checked against each other before timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flowwire import feel

D = Decimal

# --------------------------------------------------------------------------------------------
# The set, with realistic inputs and hand-written Python equivalents
# --------------------------------------------------------------------------------------------

ORDERS = [
    {
        "id": D(1000 + i),
        "type": "priority" if i % 3 == 0 else "standard",
        "amount": D(f"{20 + 7 * i}.50"),
        "customer": f"C-{i:03d}",
    }
    for i in range(10)
]
ITEMS = [
    {"sku": "A-1", "price": D("19.99"), "quantity": D(2)},
    {"sku": "B-7", "price": D("5.49"), "quantity": D(1)},
    {"sku": "C-3", "price": D("120.00"), "quantity": D(1)},
    {"sku": "D-9", "price": D("0.99"), "quantity": D(10)},
    {"sku": "E-2", "price": D("42.10"), "quantity": D(3)},
]
CUSTOMERS = [
    {"name": name, "tier": tier}
    for name, tier in [("Ada", "gold"), ("Grace", "silver"), ("Alan", "gold"), ("Edsger", "bronze")]
]
THRESHOLD_DATE = "2019-08-12T22:22:22"
_10, _30, _21, _1000 = D(10), D(30), D(21), D(1000)
_VAT = D("1.19")


@dataclass
class Case:
    expression: str
    variables: Mapping[str, Any]
    python: Callable[[Mapping[str, Any]], Any]
    peer_expression: str | None = None  # pySFeel's documented spelling, if it differs
    peer_note: str = ""


def _sum_prices(v: Mapping[str, Any]) -> Decimal:
    total = D(0)
    for item in v["items"]:
        total += item["price"]
    return total * _VAT


CASES = [
    Case("x = 21", {"x": D(21)}, lambda v: v["x"] == _21),
    Case(
        'contains(x, "camunda")',
        {"x": "models from camunda modeler"},
        lambda v: "camunda" in v["x"],
    ),
    Case("[1,2,3][2]", {}, lambda v: [D(1), D(2), D(3)][1]),
    Case("x between 10 and 30", {"x": D(21)}, lambda v: _10 <= v["x"] <= _30),
    Case(
        "order.tracking.id",
        {"order": {"id": D(42), "tracking": {"id": "TRK-0042", "carrier": "DHL"}}},
        lambda v: v["order"]["tracking"]["id"],
        peer_expression="((order).tracking).id",
        peer_note="as ((order).tracking).id",
    ),
    Case(
        "for o in orders return o.id", {"orders": ORDERS}, lambda v: [o["id"] for o in v["orders"]]
    ),
    Case(
        'orders[type = "priority"]',
        {"orders": ORDERS},
        lambda v: [o for o in v["orders"] if o["type"] == "priority"],
    ),
    Case("{x: 1, y: 2, z: 3}", {}, lambda v: {"x": D(1), "y": D(2), "z": D(3)}),
    Case(
        f'date and time(d) > date and time("{THRESHOLD_DATE}")',
        {"d": "2019-09-01T10:15:00"},
        lambda v: dt.datetime.fromisoformat(v["d"]) > dt.datetime.fromisoformat(THRESHOLD_DATE),
    ),
    Case(
        'if amount > 1000 then "large" else "small"',
        {"amount": D("1250.00")},
        lambda v: "large" if v["amount"] > _1000 else "small",
    ),
    Case(
        "sum(items.price) * 1.19",
        {"items": ITEMS},
        _sum_prices,
        peer_expression="sum((items).price) * 1.19",
        peer_note="as sum((items).price) * 1.19",
    ),
    Case(
        'string join(for c in customers return c.name, ", ")',
        {"customers": CUSTOMERS},
        lambda v: ", ".join(c["name"] for c in v["customers"]),
    ),
]

# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def _calibrate(call: Callable[[], Any], seconds: float) -> int:
    """How many calls take about ``seconds``."""
    n = 1
    while True:  # grow until one run takes a measurable time
        start = time.perf_counter()
        for _ in range(n):
            call()
        elapsed = time.perf_counter() - start
        if elapsed >= 0.02:
            return max(1, int(n * seconds / elapsed))
        n *= 4


def rates(calls: list[Callable[[], Any]], seconds: float, runs: int = 3) -> list[float]:
    """Calls per second of each callable: the best of ``runs`` runs of about ``seconds`` each.

    The runs of the callables are interleaved (A B C, A B C, ...) so that a change in the
    machine's load affects all of them alike and their ratios stay meaningful.
    """
    counts = [_calibrate(call, seconds) for call in calls]
    best = [math.inf] * len(calls)
    for _ in range(runs):
        for index, (call, n) in enumerate(zip(calls, counts, strict=True)):
            start = time.perf_counter()
            for _ in range(n):
                call()
            best[index] = min(best[index], time.perf_counter() - start)
    return [n / b for n, b in zip(counts, best, strict=True)]


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


# --------------------------------------------------------------------------------------------
# The uncached compile entry point and the peer
# --------------------------------------------------------------------------------------------


def uncached_compiler() -> Callable[[str], Any]:
    """flowwire's parse+compile without the LRU cache (the cache would make it a dict lookup).

    Uses only the public API: the cache is emptied before each ``feel.compile`` (that small
    cost is counted against flowwire).
    """

    def compile_uncached(text: str) -> Any:
        feel.clear_cache()
        return feel.compile(text)

    return compile_uncached


def _peer_literal(value: Any) -> str:
    """A value as FEEL text for pySFeel's ``name <- value`` assignment."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_peer_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_peer_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no peer literal for {type(value).__name__}")


def _same_answer(ours: Any, peer: Any) -> bool:
    """pySFeel answers with floats; compare its answer with ours by value."""
    if isinstance(ours, bool) or ours is None or isinstance(ours, str):
        return bool(peer == ours) and type(peer) is type(ours)
    if isinstance(ours, Decimal):
        return isinstance(peer, (int, float)) and math.isclose(float(ours), peer, rel_tol=1e-9)
    if isinstance(ours, list):
        return (
            isinstance(peer, list)
            and len(peer) == len(ours)
            and all(_same_answer(a, b) for a, b in zip(ours, peer, strict=True))
        )
    if isinstance(ours, dict):
        return (
            isinstance(peer, dict)
            and set(peer) == set(ours)
            and all(_same_answer(ours[k], peer[k]) for k in ours)
        )
    return False


@dataclass
class Peer:
    """pySFeel, prepared for one case: its parser with the case's variables assigned."""

    call: Callable[[], Any] | None
    status: str


def prepare_peer(case: Case, answer: Any) -> Peer:
    try:
        from pySFeel import SFeelParser  # type: ignore[import-untyped]
    except ImportError:
        return Peer(None, "pySFeel not installed")
    parser = SFeelParser()
    for name, value in case.variables.items():
        status, _ = parser.sFeelParse(f"{name} <- {_peer_literal(value)}")
        if "errors" in status:
            return Peer(None, f"unsupported: cannot assign {name}")
    text = case.peer_expression or case.expression
    try:
        result = parser.sFeelParse(text)
    except Exception as exc:  # the peer's own failure is a result here, not our bug
        return Peer(None, f"unsupported: raised {type(exc).__name__}")
    if result is None or "errors" in result[0]:
        return Peer(None, "unsupported: parse error")
    if not _same_answer(answer, result[1]):
        return Peer(None, f"unsupported: answered {result[1]!r}")
    return Peer(lambda: parser.sFeelParse(text), case.peer_note or "same text")


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    expression: str
    python: float
    compiled: float
    compile: float
    full: float  # uncached parse+compile+evaluate per call: what pySFeel does per call
    cached: float  # feel.evaluate(text, variables): the LRU cache makes it compiled evaluation
    peer: float | None
    peer_status: str
    notes: list[str] = field(default_factory=list)


def measure(case: Case, seconds: float, runs: int, compile_uncached: Callable[[str], Any]) -> Row:
    compiled = feel.compile(case.expression)
    variables = case.variables
    answer = compiled.evaluate(variables)
    expected = case.python(variables)
    if answer != expected:
        raise SystemExit(f"{case.expression}: flowwire answered {answer!r}, Python {expected!r}")
    peer = prepare_peer(case, answer)
    calls: list[Callable[[], Any]] = [
        lambda: case.python(variables),
        lambda: compiled.evaluate(variables),
        lambda: compile_uncached(case.expression),
        lambda: compile_uncached(case.expression).evaluate(variables),
        lambda: feel.evaluate(case.expression, variables),
    ]
    if peer.call is not None:
        calls.append(peer.call)
    measured = rates(calls, seconds, runs)
    python_rate, compiled_rate, compile_rate, full_rate, cached_rate = measured[:5]
    peer_rate = measured[5] if peer.call is not None else None
    return Row(
        case.expression,
        python_rate,
        compiled_rate,
        compile_rate,
        full_rate,
        cached_rate,
        peer_rate,
        peer.status,
    )


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line),
            platform.processor(),
        )
    except OSError:
        model = platform.processor()
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def _k(value: float | None) -> str:
    return "-" if value is None else f"{value / 1000:,.1f}k"


def table(rows: list[Row]) -> str:
    head = (
        "| expression | Python /s | compiled eval /s | slowdown | parse+compile /s "
        "| parse+compile+eval /s | `feel.evaluate` (cached) /s | pySFeel parse+eval /s "
        "| flowwire ÷ pySFeel | pySFeel |"
    )
    lines = [head, "|" + " --- |" * 10]
    for r in rows:
        slowdown = r.python / r.compiled
        versus = f"{r.full / r.peer:,.1f}×" if r.peer else "-"
        lines.append(
            f"| `{r.expression}` | {_k(r.python)} | {_k(r.compiled)} | {slowdown:.2f}× "
            f"| {_k(r.compile)} | {_k(r.full)} | {_k(r.cached)} | {_k(r.peer)} | {versus} "
            f"| {r.peer_status} |"
        )
    return "\n".join(lines)


def verdict(rows: list[Row]) -> str:
    slowdown = geomean([r.python / r.compiled for r in rows])
    compile_rate = geomean([r.compile for r in rows])
    peer_rows = [r for r in rows if r.peer]
    versus = geomean([r.full / r.peer for r in peer_rows if r.peer])
    cached_versus = geomean([r.cached / r.peer for r in peer_rows if r.peer])
    compile_versus = geomean([r.compile / r.peer for r in peer_rows if r.peer])
    unsupported = len(rows) - len(peer_rows)
    lines = [
        f"geomean slowdown of compiled evaluation vs hand-written Python: {slowdown:.2f}× "
        f"(target <= 4×: {'met' if slowdown <= 4 else 'NOT met'})",
        f"geomean parse+compile rate: {compile_rate:,.0f}/s "
        f"(target >= 20,000/s: {'met' if compile_rate >= 20000 else 'NOT met'})",
        f"geomean flowwire uncached parse+compile+evaluate ÷ pySFeel parse+evaluate over the "
        f"{len(peer_rows)} expressions pySFeel supports: {versus:,.1f}× "
        f"(target >= 10×: {'met' if versus >= 10 else 'NOT met'}); "
        f"{unsupported} expressions unsupported by pySFeel",
        f"geomean flowwire parse+compile ÷ pySFeel parse+evaluate: {compile_versus:,.1f}×",
        f"geomean flowwire feel.evaluate (cached) ÷ pySFeel parse+evaluate: {cached_versus:,.1f}×",
    ]
    return "\n".join(lines)


def profile(compile_uncached: Callable[[str], Any], rounds: int = 2000) -> None:
    """Where the time goes: cProfile over compiled evaluation, then parse+compile, of the set."""
    import cProfile
    import pstats

    compiled = [(feel.compile(c.expression), c.variables) for c in CASES]
    for title, work in (
        ("compiled evaluation", lambda: [e.evaluate(v) for e, v in compiled]),
        ("parse+compile", lambda: [compile_uncached(c.expression) for c in CASES]),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds):
            work()
        profiler.disable()
        print(f"## {title}, {rounds} rounds of the set")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def repeat_uncached(rounds: int, index: int | None, compile_uncached: Callable[[str], Any]) -> None:
    """Deterministic work for an instruction count: ``rounds`` uncached parse+compile+evaluate
    calls of case ``index`` (or of each case), after one warm-up call, without the cyclic
    garbage collector (whose passes would land in one count and not another). Instructions
    per call = (count with N rounds - count with 0 rounds) / N."""
    import gc

    cases = CASES if index is None else [CASES[index]]
    for case in cases:
        compile_uncached(case.expression).evaluate(case.variables)
    gc.disable()
    for _ in range(rounds):
        for case in cases:
            compile_uncached(case.expression).evaluate(case.variables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="time per measurement run")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (best counts)")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of the set instead of timing"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        metavar="N",
        help="only run N uncached parse+compile+evaluate rounds (for callgrind; see --case)",
    )
    parser.add_argument("--case", type=int, metavar="I", help="with --rounds: only case I (0-11)")
    args = parser.parse_args(argv)
    compile_uncached = uncached_compiler()
    if args.profile:
        profile(compile_uncached)
        return 0
    if args.rounds is not None:
        repeat_uncached(args.rounds, args.case, compile_uncached)
        return 0
    started = dt.datetime.now().astimezone()
    rows = []
    for case in CASES:
        rows.append(measure(case, args.seconds, args.runs, compile_uncached))
        print(f"  measured {case.expression}", file=sys.stderr, flush=True)
    sys.stderr.flush()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    print(f"### Run of {started:%Y-%m-%d %H:%M %Z}\n")
    print(f"Machine: {machine()}; load average {load:.1f} at the end of the run.")
    print(
        f"Command: `.venv/bin/python bench/feel_bench.py --seconds {args.seconds} --runs {args.runs}`\n"
    )
    print(table(rows))
    print()
    print("\n".join("- " + line for line in verdict(rows).splitlines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
