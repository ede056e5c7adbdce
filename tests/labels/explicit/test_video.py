"""Explicit labels in video: the opening frame, 2 s shown (EXP-05), EXP-01, EXP-04."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from inspections.labels.explicit import check_explicit

from . import media

SIZE = (480, 270)


def video(tmp_path: Path, name: str, **options) -> Path:
    options.setdefault("seconds", 3.0)
    return media.encode_video(tmp_path / name, size=SIZE, **options)


def test_a_label_from_the_opening_frame_to_the_end_passes(tmp_path: Path) -> None:
    result = check_explicit(video(tmp_path, "a.mp4", label_from=0.0))
    assert result.status == "found", result.reason
    assert result.modality == "video"
    assert result.findings == []
    mark = result.marks[0]
    assert (mark.text, mark.start_s) == ("AI生成", 0.0)
    assert mark.end_s >= 2.0
    assert [item.name for item in result.evidence] == ["opening-frame.png", "label-crop.png"]


@pytest.mark.parametrize(("until", "fails"), [(2.0, False), (1.8, True)])
def test_exp05_boundary_at_2_seconds(tmp_path: Path, until: float, fails: bool) -> None:
    result = check_explicit(video(tmp_path, "b.mp4", label_from=0.0, label_until=until))
    assert result.status == "found"
    assert ("EXP-05" in result.rules) is fails
    assert result.marks[0].end_s == pytest.approx(until, abs=0.001)
    if fails:
        assert "1.80 s" in result.findings[0].message
        assert any(item.name.startswith("gone-at-") for item in result.evidence)


def test_a_label_only_later_is_exp05_and_none_at_all_is_exp01(tmp_path: Path) -> None:
    late = check_explicit(video(tmp_path, "c.webm", label_from=0.8, codec="libvpx-vp9",
                                fmt="webm"))
    assert late.status == "found"
    assert late.rules == ["EXP-05"]
    assert "not on the opening frame" in late.findings[0].message
    assert late.marks[0].start_s == pytest.approx(1.0, abs=0.05)
    none = check_explicit(video(tmp_path, "d.flv", label_from=None, codec="flv", fmt="flv",
                                seconds=2.0))
    assert none.status == "missing"
    assert none.rules == ["EXP-01"]


def _cut(path: Path, scenes: list[tuple[float, object]], fps: int = 25) -> Path:
    """A video of still scenes, each (seconds, picture), cut one to the next."""
    import av
    import numpy as np

    container = av.open(str(path), mode="w")
    stream = container.add_stream("libx264", rate=fps)
    stream.width, stream.height = scenes[0][1].size
    stream.pix_fmt = "yuv420p"
    stream.options = {"preset": "ultrafast", "crf": "23"}
    for seconds, picture in scenes:
        array = np.asarray(picture)
        for _ in range(int(seconds * fps)):
            for packet in stream.encode(av.VideoFrame.from_ndarray(array, format="rgb24")):
                container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()
    return path


def test_a_late_label_is_seen_after_a_cut_and_beside_what_moves(tmp_path: Path) -> None:
    # After a cut (every pixel changed) the frame is read whole.
    cut = _cut(tmp_path / "cut.mp4", [
        (1.5, media.label_image(*SIZE, text=None)),
        (2.5, media.label_image(*SIZE, ratio=0.08, background=(20, 20, 20), body=False))])
    after_cut = check_explicit(cut)
    assert after_cut.status == "found", after_cut.reason
    assert after_cut.rules == ["EXP-05"]
    assert after_cut.marks[0].start_s == pytest.approx(2.0, abs=0.05)
    # In a scene that otherwise only moves a little, the band where the label
    # appears is read, and then the whole frame, to measure it.
    late = check_explicit(video(tmp_path, "late.mp4", label_from=2.2, seconds=4.0))
    assert late.rules == ["EXP-05"]
    assert late.marks[0].text == "AI生成"
    # Probes at 0.5, 1 and 2 s, then six through the last second: 3.08 s.
    assert late.marks[0].start_s == pytest.approx(3.0 + 1 / 12, abs=0.05)
    # Without a label, the frames that changed only in part are read only there.
    none = check_explicit(video(tmp_path, "none.mp4", label_from=None, seconds=4.0))
    assert none.rules == ["EXP-01"]
    assert none.details["frames_sampled"] == 9
    assert none.details["frames_read_in_bands"] == 9


def test_a_small_label_is_exp04(tmp_path: Path) -> None:
    path = media.encode_video(tmp_path / "e.mkv", size=(640, 360), label_from=0.0, ratio=0.04,
                              fmt="matroska", seconds=2.5)
    result = check_explicit(path)
    assert result.status == "found"
    assert result.rules == ["EXP-04"]


@pytest.mark.parametrize("data", [
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64,  # no boxes after ftyp
    b"\x1a\x45\xdf\xa3" + b"\x9f\x42\x82\x84webm" + b"\xff" * 500,  # a broken WebM
    b"FLV\x01\x05\x00\x00\x00\x09" + b"\x00" * 200,
])
def test_hostile_videos_end_inconclusive(data: bytes) -> None:
    started = time.monotonic()
    result = check_explicit(data, budget_s=5)
    assert result.status == "inconclusive"
    assert result.reason
    assert result.findings == []
    assert time.monotonic() - started < 6


def test_a_long_video_stops_at_the_budget(tmp_path: Path) -> None:
    path = video(tmp_path, "long.mp4", label_from=None, seconds=20.0)
    started = time.monotonic()
    result = check_explicit(path, budget_s=0.05)  # well under one frame read by OCR
    assert result.status == "inconclusive"
    assert "time budget" in result.reason
    assert time.monotonic() - started < 3
