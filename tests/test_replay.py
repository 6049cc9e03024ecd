"""`coroconf replay`: a reported failure is made again, through the same session code, from the report alone."""

from __future__ import annotations

import json

from conformance.cli import main

BUGGY = "examples.buggy_tracing:timed"  # loses the body's return value


def check_report(tmp_path, target: str) -> str:
    path = tmp_path / "report.json"
    main(["check", target, "--kind", "wrapper", "--examples", "3", "--seed", "1", "--quiet", "--in-process",
          "--report", str(path)])
    return str(path)


def test_a_reported_failure_fails_again(tmp_path, capsys):
    path = check_report(tmp_path, BUGGY)
    assert main(["replay", path, "--failure", "1"]) == 1
    said = capsys.readouterr().out
    assert "Violated transition: value.return" in said and "it fails again" in said


def test_the_replay_drives_the_object_the_report_names(tmp_path, capsys):
    # The same report, pointed at the correct wrapper: the calls are made again and now conform.
    path = check_report(tmp_path, BUGGY)
    report = json.loads(open(path).read())
    report["subject"]["spec"] = "examples.tracing:traced"
    (tmp_path / "pointed.json").write_text(json.dumps(report))
    assert main(["replay", str(tmp_path / "pointed.json")]) == 0
    assert "did not fail this time" in capsys.readouterr().out


def test_a_failure_number_out_of_range_is_one_line(tmp_path, capsys):
    path = check_report(tmp_path, BUGGY)
    assert main(["replay", path, "--failure", "99"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--failure from 1 to" in lines[0]
