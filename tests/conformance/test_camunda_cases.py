"""Camunda 8's FEEL behaviour (expression/expected pairs) against flowwire (issue 2's threshold)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .camunda_cases import pass_percent, read_cases, report, run_case

#: at least this share of the cases must pass
THRESHOLD = 97.0


@pytest.mark.conformance
def test_camunda_behaviour_cases(
    shared_dir: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = read_cases(shared_dir / "feel-cases" / "camunda-behaviour.jsonl")
    outcomes = [run_case(case) for case in cases]
    summary, failures = report(outcomes)
    path = tmp_path_factory.mktemp("camunda-cases") / "camunda-cases-report.txt"
    path.write_text(summary + "\n\n" + failures + "\n", encoding="utf-8")

    with capsys.disabled():
        print("\n" + summary + "\n" + failures + f"\n  full report: {path}")

    assert len(cases) >= 500, f"expected about 543 cases, read {len(cases)}"
    assert pass_percent(outcomes) >= THRESHOLD, (
        f"Camunda behaviour cases below {THRESHOLD}%\n{summary}\n{failures}"
    )
