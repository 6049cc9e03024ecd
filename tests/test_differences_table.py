"""The README's table of what each compiler and implementation does differently is generated from
expectations/verdicts.toml (conformance/output/expectations.py), never written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.errors import ExpectationsError
from conformance.output.expectations import TABLE_END, TABLE_START, differences_table, with_differences_table

ROOT = Path(__file__).resolve().parent.parent
VERDICTS = ROOT / "expectations" / "verdicts.toml"


def test_the_readme_table_is_the_one_generated_from_the_expected_verdicts():
    readme = (ROOT / "README.md").read_text()
    assert with_differences_table(readme, differences_table(VERDICTS)) == readme, \
        "the README's table is stale: run python3 -m conformance.output.expectations README.md"


def test_the_table_follows_the_file(tmp_path):
    changed = tmp_path / "verdicts.toml"
    changed.write_text(VERDICTS.read_text().replace('does = "', 'does = "(changed) ', 1))
    table = differences_table(changed)
    assert table != differences_table(VERDICTS) and "| (changed) " in table
    for label in ("pypy3", "micropython", "brython", "cython", "nuitka", "mypyc"):
        assert f"<b>{label}</b>" in table


def test_a_readme_without_the_markers_is_refused():
    with pytest.raises(ExpectationsError) as raised:
        with_differences_table("# no table here\n", differences_table(VERDICTS))
    assert TABLE_START in str(raised.value) and TABLE_END in str(raised.value)
