"""The one guard for zip-based uploads: bombs are refused with bounded memory and time."""

import io
import time
import tracemalloc
import zipfile

import pytest

from core.archives import ArchiveRefused, GuardedZip, Limits, check_archive
from tests.hostile import MIB, zip_bomb


def _peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_gibibyte_bomb_is_refused_in_bounded_memory():
    bomb = zip_bomb(inflated=1024 * MIB)
    assert len(bomb) < 2 * MIB

    def scan():
        with pytest.raises(ArchiveRefused, match="Content_Types"):
            check_archive(io.BytesIO(bomb))

    started = time.monotonic()
    assert _peak_bytes(scan) < 8 * MIB
    assert time.monotonic() - started < 5


def test_a_bomb_that_lies_about_its_size_is_refused():
    bomb = zip_bomb(inflated=512 * MIB, declared=1000)
    with GuardedZip(io.BytesIO(bomb)) as archive:
        with pytest.raises(ArchiveRefused, match="Content_Types"):
            archive.read("[Content_Types].xml")


def test_the_ratio_limit_stops_a_member_under_the_byte_caps():
    bomb = zip_bomb(inflated=512 * MIB)
    limits = Limits(max_member_bytes=10**10, max_total_bytes=10**10)
    with GuardedZip(io.BytesIO(bomb), limits=limits) as archive:
        with pytest.raises(ArchiveRefused, match="ratio"):
            archive.read("[Content_Types].xml")
        # Under a small cap it stops on the running byte count instead.
        with pytest.raises(ArchiveRefused, match="declares"):
            archive.read("[Content_Types].xml", 200_000)


def test_the_total_cap_adds_up_every_member():
    extra = {f"word/media/p{n}.xml": b"<a/>" * 100_000 for n in range(5)}
    archive = zip_bomb(inflated=MIB, extra=extra)
    limits = Limits(max_total_bytes=2 * MIB, max_ratio=10_000)
    with pytest.raises(ArchiveRefused, match="total"):
        check_archive(io.BytesIO(archive), limits=limits)


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    return buffer.getvalue()


def test_entry_count_and_nesting_are_capped():
    with pytest.raises(ArchiveRefused, match="entries"):
        GuardedZip(io.BytesIO(_zip([f"f{n}" for n in range(30)])), limits=Limits(max_entries=20))
    with pytest.raises(ArchiveRefused, match="nested"):
        GuardedZip(io.BytesIO(_zip(["a/" * 40 + "x.xml"])))


def test_the_time_budget_stops_a_slow_scan():
    bomb = zip_bomb(inflated=64 * MIB)
    limits = Limits(max_ratio=10**9, max_member_bytes=10**10, max_total_bytes=10**10)
    with pytest.raises(ArchiveRefused, match="time budget"):
        GuardedZip(io.BytesIO(bomb), limits=limits, deadline=time.monotonic()).scan()


def test_truncated_and_garbage_archives_are_refused():
    good = _zip(["[Content_Types].xml", "word/document.xml"])
    for data in (good[: len(good) // 2], b"PK\x03\x04" + b"\x00" * 100, good[:-30]):
        with pytest.raises(ArchiveRefused):
            check_archive(io.BytesIO(data))


def test_an_ordinary_archive_passes():
    names = ["[Content_Types].xml", "word/document.xml", "word/media/image1.png"]
    assert check_archive(io.BytesIO(_zip(names))) == names
