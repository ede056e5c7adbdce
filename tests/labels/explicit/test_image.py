"""Explicit labels on images: OCR, EXP-01, EXP-04 (5 %), EXP-08 (contrast), evidence."""

from __future__ import annotations

import io
import socket
import struct
import zlib

import pytest

from inspections.labels.explicit import check_explicit
from inspections.labels.explicit import image as image_module

from . import media


def test_a_prominent_label_is_found_with_its_measurements() -> None:
    result = check_explicit(media.png(media.label_image(1280, 720, ratio=0.055)))
    assert result.status == "found", result.reason
    assert result.modality == "image"
    assert result.findings == []
    mark = result.marks[0]
    assert mark.text == "AI生成"
    assert mark.where == "bottom-right"
    assert 0.05 <= mark.height_ratio <= 0.06
    assert mark.contrast > 6
    names = [item.name for item in result.evidence]
    assert names == ["crop-1.png", "overview.png"]
    from PIL import Image

    crop = Image.open(io.BytesIO(result.evidence[0].data))
    assert crop.height < 200 and crop.width < 400  # the label, not the whole picture


def test_exp04_fires_just_under_5_percent_and_not_just_over() -> None:
    under = check_explicit(media.png(media.label_image(1280, 720, ratio=0.045)))
    assert under.status == "found"
    assert under.rules == ["EXP-04"]
    assert "under 5 %" in under.findings[0].message
    over = check_explicit(media.jpeg(media.label_image(720, 1280, ratio=0.053, corner="top-left",
                                                     font_path=media.FONT_PATHS[2])))
    assert over.status == "found", over.reason
    assert over.rules == []
    assert over.marks[0].where == "top-left"


@pytest.mark.parametrize(("fmt", "options"), [
    ("WEBP", {"quality": 90}),
    ("GIF", {}),  # 256 colours
    ("TIFF", {"compression": "tiff_lzw"}),
    ("AVIF", {"quality": 80}),
    ("HEIF", {"quality": 80}),  # HEVC-coded, as phones take pictures
    ("PNG", {"transparency_over_white": True}),
])
def test_every_picture_format_is_read(fmt: str, options: dict) -> None:
    from PIL import Image

    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()  # for saving the sample; the checker opens it by itself
    picture = media.label_image(640, 360, ratio=0.08)
    if options.pop("transparency_over_white", False):
        # Transparent pixels are judged over white, as a viewer shows them.
        picture = picture.convert("RGBA")
        picture.putalpha(Image.new("L", picture.size, 255))
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    result = check_explicit(buffer.getvalue())
    assert result.modality == "image", result.reason
    assert result.status == "found", (fmt, result.reason)
    assert result.rules == [], fmt
    assert result.marks[0].text == "AI生成"


def test_exp08_fires_on_low_contrast() -> None:
    faint = check_explicit(media.png(media.label_image(
        640, 360, ratio=0.1, fill=(70, 110, 175), background=(40, 90, 160))))
    assert faint.status == "found"
    assert faint.rules == ["EXP-08"]
    assert faint.marks[0].contrast < 3


def test_no_label_and_a_label_lacking_an_element_are_exp01() -> None:
    none = check_explicit(media.png(media.label_image(640, 360, text=None)))
    assert none.status == "missing"
    assert none.rules == ["EXP-01"]
    partial = check_explicit(media.png(media.label_image(640, 360, text="AI作品", ratio=0.08)))
    assert partial.status == "missing"
    assert partial.rules == ["EXP-01"]
    assert "AI作品" in partial.findings[0].message


def test_the_ocr_runs_without_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from inspections.labels.explicit import ocr

    monkeypatch.setattr(ocr, "_ENGINE", None)  # load the models again, offline
    result = check_explicit(media.png(media.label_image(640, 360, ratio=0.08)))
    assert result.status == "found", result.reason


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("data", [
    _png_header_only(30000, 30000),  # a decompression bomb by its header
    _png_header_only(64, 64)[:40],  # truncated
    b"\xff\xd8\xff\xe0" + b"\x00" * 100,  # a JPEG with nothing in it
])
def test_hostile_images_end_inconclusive(data: bytes) -> None:
    result = check_explicit(data)
    assert result.status == "inconclusive"
    assert result.reason
    assert result.findings == []


def test_wcag_contrast_formula() -> None:
    assert image_module.contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert image_module.contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, 0.01)
    assert image_module.contrast_ratio((10, 20, 30), (10, 20, 30)) == pytest.approx(1.0)
