"""Hostile and broken inputs end inconclusive, quickly, without exceptions."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest

from . import builders
from .conftest import check_bytes

LABEL = builders.label_json()
BUDGET_S = 1.0


def assert_inconclusive(data: bytes, *, budget_s: float = BUDGET_S) -> str:
    """Check ``data`` and return the reason of its inconclusive verdict."""
    started = time.monotonic()
    result = check_bytes(data, budget_s=budget_s)
    assert time.monotonic() - started < budget_s + 0.5
    assert result.verdict == "inconclusive", (result.findings, result.sites)
    assert result.reason
    return result.reason


TRUNCATABLE = [
    "jpeg", "png", "webp", "gif", "tiff", "mp4", "mov", "heif", "wav", "avi",
    "mkv", "webm", "flv", "flac", "ogg", "pdf", "docx",
]  # fmt: skip


@pytest.mark.parametrize("name", TRUNCATABLE)
def test_truncated_files_are_inconclusive(name: str) -> None:
    data = builders.STANDARD_BUILDERS[name](LABEL)
    assert_inconclusive(data[: len(data) * 6 // 10])


def test_a_truncated_id3_tag_is_inconclusive() -> None:
    assert "truncated" in assert_inconclusive(builders.mp3_bytes(LABEL)[:60])


def test_an_empty_file_is_inconclusive() -> None:
    assert assert_inconclusive(b"") == "empty file"


def test_an_unknown_binary_format_is_inconclusive() -> None:
    assert "unrecognised" in assert_inconclusive(b"\x00\x01\x02\x03" * 100)


@pytest.mark.parametrize(
    "data",
    [
        builders.png_bytes(b"\x7f\xff\xff\xf0tEXt"),
        builders.jpeg_bytes()[:2] + b"\xff\xe1\xff\xff" + b"x" * 100,
        builders.riff_file(b"WAVE", b"AIGC" + struct.pack("<I", 10**9)),
        b"fLaC\x84\xff\xff\xff" + b"\x00" * 40,
        builders.id3_tag(builders.id3_frame("TXXX", b"\x03AIGC\x00" * 3))[:10]
        + b"TXXX\x7f\xff\xff\xff\x00\x00"
        + b"\x00" * 30,
        builders.mp4_bytes(LABEL) + struct.pack(">I", 10**6) + b"free",
        builders.mkv_bytes(
            tags=builders.ebml(0x1254C367)[:4] + builders.ebml_size(10**9)
        ),
        builders.flv_bytes(None, script_tags=(b"\x12\xff\xff\xff" + b"\x00" * 40,)),
    ],
    ids=["png", "jpeg", "wav", "flac", "id3", "mp4", "mkv", "flv"],
)
def test_lying_length_fields_are_inconclusive(data: bytes) -> None:
    assert_inconclusive(data)


def test_a_matroska_file_cut_between_elements_is_inconclusive() -> None:
    data = builders.mkv_bytes(LABEL)
    cut = data.index(builders.mkv_cluster()) + len(builders.mkv_cluster())
    assert "runs past the end" in assert_inconclusive(data[:cut])


def test_a_bare_ebml_header_is_inconclusive() -> None:
    assert "no Segment" in assert_inconclusive(builders.ebml_header())


def test_a_bare_flv_header_is_inconclusive() -> None:
    assert "no tags" in assert_inconclusive(builders.flv_bytes(None)[:13])


def test_matroska_tags_of_unknown_size_are_inconclusive() -> None:
    tags = builders.ebml(
        0x1254C367,
        builders.ebml(0x7373, builders.simple_tag("AIGC", LABEL)),
        unknown_size=True,
    )
    assert "unknown size" in assert_inconclusive(builders.mkv_bytes(tags=tags))


@pytest.mark.parametrize("bad", [b"\x00\x81\x00", b"\xec\x00\x00"])
def test_invalid_ebml_ids_and_sizes_are_inconclusive(bad: bytes) -> None:
    data = builders.mkv_bytes(LABEL)
    cluster = builders.mkv_cluster()
    reason = assert_inconclusive(data.replace(cluster, bad + cluster[len(bad) :]))
    assert "invalid" in reason or "runs past" in reason


def test_a_garbled_block_in_a_live_cluster_is_inconclusive() -> None:
    data = builders.mkv_bytes(LABEL, unknown_size=True)
    block = builders.ebml(0xA3, b"\x81\x00\x00\x80" + b"\x00" * 64)
    lying = b"\xa3" + builders.ebml_size(10**9) + block[2:]
    assert block in data
    assert "Cluster" in assert_inconclusive(data.replace(block, lying))


def test_an_flv_label_before_an_unknown_amf0_type_is_shown_but_inconclusive() -> None:
    properties = (
        struct.pack(">H", 4) + b"AIGC" + builders.amf_string(LABEL)
        + struct.pack(">H", 1) + b"x" + b"\x11\x00"  # AMF3 switch: not decoded
    )  # fmt: skip
    script = builders.amf_string("onMetaData") + b"\x08\x00\x00\x00\x02"
    tag = builders.flv_tag(18, script + properties)
    result = check_bytes(builders.flv_bytes(script_tags=(tag,)))
    assert result.verdict == "inconclusive"
    assert "unsupported AMF0 type 0x11" in (result.reason or "")
    assert result.label == builders.label_fields()


@pytest.mark.parametrize(
    "value",
    [
        b"\x0a\xff\xff\xff\xff",  # strict array claiming 4 billion values
        b"\x02\xff\xff" + b"x" * 10,  # string longer than the tag
        b"\x04",  # MovieClip, reserved
    ],
    ids=["strict-array", "string", "movieclip"],
)
def test_bad_amf0_values_are_inconclusive(value: bytes) -> None:
    script = builders.amf_string("onMetaData") + value
    tag = builders.flv_tag(18, script)
    assert "AMF0" in assert_inconclusive(builders.flv_bytes(None, script_tags=(tag,)))


def test_deep_amf0_nesting_is_inconclusive() -> None:
    value = builders.amf_string("leaf")
    for _ in range(2000):
        value = b"\x03\x00\x01a" + value + b"\x00\x00\x09"
    tag = builders.flv_tag(18, builders.amf_string("onMetaData") + value)
    assert "deep" in assert_inconclusive(builders.flv_bytes(None, script_tags=(tag,)))


def test_deep_simple_tag_nesting_is_inconclusive() -> None:
    nested = builders.simple_tag("AIGC", LABEL)
    for _ in range(200):
        nested = builders.simple_tag("X", nested=(nested,))
    data = builders.mkv_bytes(tags=builders.mkv_tags(nested))
    assert "deep" in assert_inconclusive(data)


def test_an_unknown_flv_tag_type_is_inconclusive() -> None:
    odd = builders.flv_tag(7, b"\x00" * 8)
    data = builders.flv_bytes(LABEL, media_first=odd)
    assert "unknown tag type" in assert_inconclusive(data)


def test_an_encrypted_flv_script_tag_is_inconclusive() -> None:
    tag = bytearray(builders.flv_metadata([("AIGC", LABEL)]))
    tag[0] |= 0x20  # the Filter bit
    data = builders.flv_bytes(None, script_tags=(bytes(tag),))
    assert "encrypted" in assert_inconclusive(data)


def test_a_lying_tiff_entry_count_is_inconclusive() -> None:
    exif = b"II*\x00\x08\x00\x00\x00\xff\xff"
    assert_inconclusive(builders.tiff_bytes()[:0] + exif + b"\x00" * 64)


@pytest.mark.parametrize("size", [1, 4, 7])
def test_undersized_boxes_are_inconclusive(size: int) -> None:
    ftyp = builders.box(b"ftyp", b"isom\x00\x00\x00\x00")
    bad = struct.pack(">I", size) + b"moov" + b"\x00" * 16
    assert_inconclusive(ftyp + bad)


def test_a_zero_size_keys_box_is_inconclusive() -> None:
    meta = builders.full_box(b"meta", 0, 0, b"\x00\x00\x00\x00keys")
    data = builders.mp4_bytes(None, udta_extra=meta)
    assert_inconclusive(data)


def test_a_tiff_ifd_loop_is_inconclusive() -> None:
    # IFD0 at 8 with zero entries, whose next-IFD pointer is itself.
    data = b"II*\x00\x08\x00\x00\x00" + b"\x00\x00" + struct.pack("<I", 8)
    assert "loop" in assert_inconclusive(data)


def test_a_pdf_prev_loop_is_inconclusive() -> None:
    data = builders.pdf_bytes(LABEL)
    start = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    looped = data.replace(b"trailer <<", b"trailer << /Prev %d" % start, 1)
    looped = looped.replace(b"trailer\n<<", b"trailer\n<< /Prev %d" % start, 1)
    assert looped != data
    assert "loop" in assert_inconclusive(looped)


def test_deep_box_nesting_is_inconclusive() -> None:
    nested = b""
    for _ in range(2000):
        nested = builders.box(b"moov", nested)
    ftyp = builders.box(b"ftyp", b"isom\x00\x00\x00\x00")
    assert "deep" in assert_inconclusive(ftyp + nested)


def test_deep_riff_nesting_is_inconclusive() -> None:
    nested = b""
    for _ in range(2000):
        nested = builders.riff_list(b"INFO", nested)
    assert "deep" in assert_inconclusive(builders.riff_file(b"WAVE", nested))


def test_deep_pdf_nesting_is_inconclusive() -> None:
    data = builders.pdf_bytes(None, extra_info={"Title": "x"})
    deep = b"[" * 2000 + b"]" * 2000
    data = data.replace(b"/Title (x)", b"/Title " + deep)
    assert_inconclusive(data)


def test_deep_xml_nesting_does_not_break_the_xmp_reader() -> None:
    extra = "<a:x xmlns:a='urn:a'>" * 2000 + "</a:x>" * 2000
    result = check_bytes(builders.png_xmp(LABEL, extra=extra))
    assert result.verdict == "compliant"


def _docx_with_custom(custom: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("docProps/custom.xml", custom)
    return buffer.getvalue()


def test_a_zip_bomb_in_custom_xml_is_inconclusive() -> None:
    assert "custom.xml" in assert_inconclusive(_docx_with_custom(b" " * 50_000_000))


def test_a_zip_bomb_with_lying_declared_sizes_is_inconclusive() -> None:
    data = bytearray(_docx_with_custom(b" " * 20_000_000))
    real = struct.pack("<I", 20_000_000)
    # Rewrite the declared uncompressed size in both headers to 1 KiB.
    position = data.find(real)
    while position >= 0:
        data[position : position + 4] = struct.pack("<I", 1024)
        position = data.find(real, position + 4)
    assert_inconclusive(bytes(data))


def test_a_central_directory_with_too_many_entries_is_inconclusive() -> None:
    data = bytearray(builders.docx_bytes(LABEL))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 60000, 60000)
    assert "central directory" in assert_inconclusive(bytes(data))


def test_a_plain_zip_is_inconclusive() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "not an OOXML" in assert_inconclusive(buffer.getvalue())


def test_the_time_budget_stops_a_slow_walk() -> None:
    # A GIF comment made of a million one-byte sub-blocks.
    gif = builders.gif_bytes()[:-1] + b"\x21\xfe" + b"\x01a" * 1_000_000 + b"\x00;"
    reason = assert_inconclusive(gif, budget_s=0.05)
    assert "budget" in reason or "too many" in reason


def test_a_label_seen_in_a_broken_pdf_is_shown_but_inconclusive() -> None:
    data = builders.pdf_bytes(LABEL)
    broken = data[: data.rindex(b"startxref")]
    result = check_bytes(broken)
    assert result.verdict == "inconclusive"
    assert result.sites and result.label == builders.label_fields()


def test_a_stray_tc260_namespace_makes_the_verdict_inconclusive() -> None:
    data = builders.jpeg_bytes(
        segments=(builders.jpeg_segment(0xEC, b"http://www.tc260.org.cn/ns/AIGC/1.0/"),)
    )
    assert "namespace" in assert_inconclusive(data)


def test_malformed_xmp_holding_aigc_is_inconclusive() -> None:
    packet = builders.xmp_packet(LABEL)[:-30]
    assert "malformed XMP" in assert_inconclusive(builders.jpeg_bytes(xmp=packet))


def test_xmp_with_a_dtd_is_refused() -> None:
    packet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AIGC">]>'
        + builders.xmp_packet(LABEL)
    )
    assert_inconclusive(builders.jpeg_bytes(xmp=packet))
