"""``checklabels --explicit``: the explicit object and EXP findings; without
the option the output is byte for byte what it was before the option."""

from __future__ import annotations

import io
import json
from pathlib import Path
from unittest import mock

from inspections.labels import CHECKER_VERSION, cli
from tests.labels import builders

from . import media

GOLDEN = Path(__file__).parent / "golden" / "cli_without_explicit.txt"


def make_tree(base: Path) -> None:
    (base / "nested").mkdir()
    (base / "a.jpg").write_bytes(builders.STANDARD_BUILDERS["jpeg"](builders.label_json()))
    (base / "b.mp3").write_bytes(builders.STANDARD_BUILDERS["mp3"](None))
    (base / "c.bin").write_bytes(b"\x00" * 10)
    (base / "d.txt").write_text("本内容由AI生成\n正文")
    (base / "nested" / "e.png").write_bytes(builders.png_xmp(builders.label_json(Label="AIGC")))


def _run_fixed_clock(argv: list[str]) -> str:
    """Run the CLI with the timings pinned, so its output can be compared byte for byte."""
    real = cli.check_path

    def fixed(*args, **kwargs):
        result = real(*args, **kwargs)
        result.elapsed_ms = 1.25
        return result

    out = io.StringIO()
    with mock.patch.object(cli, "check_path", fixed), \
            mock.patch.object(cli.time, "perf_counter", lambda: 0.0):
        cli.run_cli(argv, out)
    return out.getvalue()


def test_output_without_explicit_is_unchanged(tmp_path: Path, monkeypatch) -> None:
    # The golden file was printed by the checker before --explicit existed.
    monkeypatch.chdir(tmp_path)
    make_tree(Path("."))
    with mock.patch("inspections.labels.explicit.check_explicit") as explicit:
        output = "".join(_run_fixed_clock(argv) for argv in (
            ["--json", "."], ["."],
            ["--json", "--uscc", builders.OTHER_VALID_USCC, "a.jpg", "nested"]))
    assert explicit.called is False
    assert output == GOLDEN.read_text(encoding="utf-8").replace("{version}", CHECKER_VERSION)


def test_explicit_adds_the_object_and_exp_findings(tmp_path: Path) -> None:
    (tmp_path / "labelled.txt").write_text("本文由AI生成。正文正文", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("正文" * 50, encoding="utf-8")
    (tmp_path / "small.png").write_bytes(media.png(media.label_image(640, 360, ratio=0.035)))
    (tmp_path / "junk.bin").write_bytes(b"\x00" * 10)
    out = io.StringIO()
    assert cli.run_cli(["--json", "--explicit", str(tmp_path)], out) == 0
    lines = {Path(line["path"]).name: line for line in map(json.loads, out.getvalue().splitlines())}
    for line in lines.values():
        assert list(line) == ["path", "format", "verdict", "label", "sites", "findings",
                              "explicit", "elapsed_ms"]
        assert line["explicit"]["status"] in ("found", "missing", "inconclusive", "not_applicable")
        for mark in line["explicit"]["marks"]:
            assert list(mark) == ["kind", "text", "where", "height_ratio", "contrast",
                                  "start_s", "end_s"]
    assert lines["labelled.txt"]["explicit"]["status"] == "found"
    assert lines["labelled.txt"]["explicit"]["marks"][0]["where"] == "start"
    assert [f["rule"] for f in lines["plain.txt"]["findings"]] == ["IMP-01", "EXP-01"]
    small = lines["small.png"]
    assert small["explicit"]["status"] == "found"
    assert "EXP-04" in [f["rule"] for f in small["findings"]]
    assert small["explicit"]["marks"][0]["height_ratio"] < 0.05
    assert lines["junk.bin"]["explicit"]["status"] == "inconclusive"


def test_explicit_table_has_a_column(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("正文" * 50, encoding="utf-8")
    out = io.StringIO()
    cli.run_cli(["--explicit", str(tmp_path)], out)
    header, row, summary = out.getvalue().splitlines()
    assert "EXPLICIT" in header
    assert "missing" in row and "EXP-01" in row
    assert summary.startswith("1 files:")


def test_explicit_budget_must_be_positive(tmp_path: Path) -> None:
    err = io.StringIO()
    assert cli.run_cli(["--explicit-budget", "0", str(tmp_path)], io.StringIO(), err) == 2
