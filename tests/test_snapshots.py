"""Golden records: generated/ and every tests/cases/* folder equal what the generator writes now."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import REPO

from specbind.config import load_jobs
from specbind.pipeline import generate
from specbind.snapshots import UPDATE_COMMAND, case_outputs, cases_root
from specbind.write import compare_tree

CASES = sorted(p for p in cases_root(REPO).glob("*/") if (p / "spec.yaml").exists())


def _assert_same(out: Path, files: dict[str, str], exact: bool = False) -> None:
    drifts = compare_tree(out, files, exact=exact)
    if drifts:
        diff = "".join(d.diff for d in drifts)[:20000]
        summary = ", ".join(f"{d.path} ({d.status})" for d in drifts)
        pytest.fail(
            f"{out.relative_to(REPO)} drifted: {summary}\n{diff}\nIf the change is intended, run: {UPDATE_COMMAND}"
        )


@pytest.mark.parametrize("job", load_jobs(REPO), ids=lambda j: j.name)
def test_generated_tree_matches(job):  # type: ignore[no-untyped-def]
    _assert_same(job.out, generate(job).files)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_matches(case: Path) -> None:
    assert (case / "NOTE.md").read_text().strip(), "every case says what it pins"
    _assert_same(case / "expected", case_outputs(case), exact=True)  # nothing else in expected/


def test_every_case_is_checked() -> None:
    assert {p.name for p in CASES} >= {"union_strategies", "names_and_keywords", "nullable_and_refs", "recursion"}
