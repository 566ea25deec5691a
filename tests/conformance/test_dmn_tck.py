"""The DMN TCK's literal expressions against flowwire's FEEL engine (issue 2's thresholds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .tck import collect_rows, run_row, shorten, summarize

#: at least this share of all literal-expression result nodes must pass
OVERALL_THRESHOLD = 95.0
#: ... and at least this share of those that expect a non-null value
NON_NULL_THRESHOLD = 93.0


@pytest.mark.conformance
def test_dmn_tck_literal_expressions(
    shared_dir: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(collect_rows(shared_dir / "dmn-tck" / "TestCases"))
    summary = summarize([run_row(row) for row in rows])
    report = tmp_path_factory.mktemp("dmn-tck") / "dmn-tck-report.txt"
    report.write_text(summary.text() + "\n\n" + summary.failure_list() + "\n", encoding="utf-8")

    with capsys.disabled():
        print("\n" + summary.text())
        for outcome in summary.failures:
            row = outcome.row
            print(
                f"  FAIL {row.test} {row.case_id} {row.node}: {shorten(row.expression, 50)}"
                f" -> {outcome.got}" + (f" [{outcome.reason}]" if outcome.reason else "")
            )
        print(f"  full report: {report}")

    assert len(rows) > 3000, f"expected about 3,100+ TCK rows, read {len(rows)}"
    assert (
        summary.overall.percent >= OVERALL_THRESHOLD
        and summary.non_null.percent >= NON_NULL_THRESHOLD
    ), (
        f"DMN TCK below threshold (need {OVERALL_THRESHOLD}% overall and "
        f"{NON_NULL_THRESHOLD}% of value-expecting rows)\n"
        + summary.text()
        + "\n"
        + summary.failure_list()
    )
