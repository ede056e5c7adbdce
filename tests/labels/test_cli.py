"""The ``checklabels`` command line (run through ``run_cli``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from inspections.labels.cli import run_cli

from . import builders

SCHEMA_KEYS = ["path", "format", "verdict", "label", "sites", "findings", "elapsed_ms"]


def make_tree(root: Path) -> None:
    """Write a labelled, an unlabelled, a broken and a nested file."""
    (root / "nested").mkdir()
    (root / "a.jpg").write_bytes(
        builders.STANDARD_BUILDERS["jpeg"](builders.label_json())
    )
    (root / "b.mp3").write_bytes(builders.STANDARD_BUILDERS["mp3"](None))
    (root / "c.bin").write_bytes(b"\x00" * 10)
    (root / "nested" / "d.png").write_bytes(
        builders.png_xmp(builders.label_json(Label="AIGC"))
    )


def test_json_output_follows_the_public_schema(tmp_path: Path) -> None:
    make_tree(tmp_path)
    out = io.StringIO()
    assert run_cli(["--json", str(tmp_path)], out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 4
    for line in lines:
        assert list(line) == SCHEMA_KEYS
        assert isinstance(line["path"], str)
        assert line["format"] is None or isinstance(line["format"], str)
        assert line["verdict"] in (
            "compliant",
            "noncompliant",
            "not_found",
            "inconclusive",
        )
        assert line["label"] is None or isinstance(line["label"], dict)
        assert all(list(site) == ["location", "raw"] for site in line["sites"])
        assert all(list(item) == ["rule", "message"] for item in line["findings"])
        assert isinstance(line["elapsed_ms"], float)
    by_name = {Path(line["path"]).name: line for line in lines}
    assert by_name["a.jpg"]["verdict"] == "compliant"
    assert by_name["a.jpg"]["label"] == builders.label_fields()
    assert by_name["b.mp3"]["verdict"] == "not_found"
    assert by_name["c.bin"]["verdict"] == "inconclusive"
    assert by_name["d.png"]["findings"][0]["rule"] == "IMP-04"


def test_table_output_has_a_summary_line(tmp_path: Path) -> None:
    make_tree(tmp_path)
    out = io.StringIO()
    assert run_cli([str(tmp_path)], out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("VERDICT")
    assert len(lines) == 6
    assert lines[-1].startswith(
        "4 files: 1 compliant, 1 noncompliant, 1 not_found, 1 inconclusive"
    )


def test_uscc_option_feeds_imp08(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(builders.STANDARD_BUILDERS["jpeg"](builders.label_json()))
    out = io.StringIO()
    run_cli(["--json", "--uscc", builders.OTHER_VALID_USCC, str(path)], out)
    assert json.loads(out.getvalue())["findings"][0]["rule"] == "IMP-08"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for argv in ([], ["--bogus", str(tmp_path)], [str(tmp_path / "missing")]):
        err = io.StringIO()
        assert run_cli(argv, io.StringIO(), err) == 2
        assert "usage:" in err.getvalue()
