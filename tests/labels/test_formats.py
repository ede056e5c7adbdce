"""Every supported container with a valid label, and without one."""

from __future__ import annotations

import io

import pytest

from inspections.labels import check_path

from . import builders
from .conftest import check_bytes

LABEL = builders.label_json()
EXPECTED_FIELDS = builders.label_fields()
FORMAT_NAMES = {"mov": "mov", "m4a": "m4a", "markdown": "markdown"}


@pytest.mark.parametrize("name", sorted(builders.STANDARD_BUILDERS))
def test_it_finds_a_valid_label_in_the_standard_place(name: str) -> None:
    result = check_bytes(builders.STANDARD_BUILDERS[name](LABEL))
    assert result.verdict == "compliant", (result.findings, result.reason)
    assert result.format == name
    assert result.label == EXPECTED_FIELDS
    assert len(result.sites) == 1
    assert result.sites[0].raw == LABEL


@pytest.mark.parametrize("name", sorted(builders.STANDARD_BUILDERS))
def test_it_reports_not_found_without_a_label(name: str) -> None:
    result = check_bytes(builders.STANDARD_BUILDERS[name](None))
    assert result.verdict == "not_found", result.reason
    assert [finding.rule for finding in result.findings] == ["IMP-01"]
    assert result.label is None


@pytest.mark.parametrize("form", ["element", "attribute"])
@pytest.mark.parametrize("prefix", ["TC260", "aigc", "ns1"])
@pytest.mark.parametrize("wrapped", [False, True])
def test_it_matches_xmp_on_the_namespace_uri_in_both_forms(
    form: str, prefix: str, wrapped: bool
) -> None:
    packet = builders.xmp_packet(
        builders.label_json(wrapped=wrapped), form=form, prefix=prefix
    )
    for data in (
        builders.jpeg_bytes(xmp=packet),
        builders.png_bytes(builders.itxt_chunk("XML:com.adobe.xmp", packet.decode())),
        builders.webp_bytes(packet),
    ):
        result = check_bytes(data)
        assert result.verdict == "compliant", result.findings
        assert result.label == EXPECTED_FIELDS


def test_it_flags_the_aigc_property_in_a_foreign_namespace() -> None:
    packet = builders.xmp_packet(LABEL, namespace="http://example.com/ns/aigc/")
    result = check_bytes(builders.jpeg_bytes(xmp=packet))
    assert result.verdict == "noncompliant"
    assert result.rules == ["IMP-06"]


def test_it_reads_jpeg_exif_user_comment_in_the_wrapped_form() -> None:
    exif = builders.exif_block(user_comment=builders.label_json(wrapped=True))
    result = check_bytes(builders.jpeg_bytes(exif=exif))
    assert result.verdict == "compliant"
    assert result.sites[0].location.endswith("UserComment")


def test_it_reads_big_endian_exif() -> None:
    exif = builders.exif_block(user_comment=LABEL, byte_order=">")
    assert check_bytes(builders.jpeg_bytes(exif=exif)).verdict == "compliant"


def test_it_reads_jpeg_extended_xmp() -> None:
    packet = builders.xmp_packet(LABEL)
    guid = b"0" * 32
    payload = (
        b"http://ns.adobe.com/xmp/extension/\x00"
        + guid
        + len(packet).to_bytes(4, "big")
        + (0).to_bytes(4, "big")
        + packet
    )
    data = builders.jpeg_bytes(segments=(builders.jpeg_segment(0xE1, payload),))
    result = check_bytes(data)
    assert result.verdict == "compliant"
    assert result.sites[0].location.startswith("jpeg:APP1:ExtendedXMP")


@pytest.mark.parametrize(
    "chunk",
    [
        builders.text_chunk("AIGC", builders.label_json(wrapped=True)),
        builders.ztxt_chunk("AIGC", LABEL),
        builders.itxt_chunk("AIGC", LABEL),
        builders.itxt_chunk("AIGC", LABEL, compressed=True),
    ],
    ids=["tEXt", "zTXt", "iTXt", "iTXt-compressed"],
)
def test_it_reads_png_text_chunks_with_the_aigc_keyword(chunk: bytes) -> None:
    result = check_bytes(builders.png_bytes(chunk))
    assert result.verdict == "compliant"
    assert result.label == EXPECTED_FIELDS


def test_it_skips_a_large_png_idat() -> None:
    data = builders.png_bytes(builders.text_chunk("AIGC", LABEL), idat_size=300_000)
    assert check_bytes(data).verdict == "compliant"


@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize("encoding", [0, 1, 3])
def test_it_reads_id3_txxx_in_every_encoding(version: int, encoding: int) -> None:
    data = builders.mp3_bytes(LABEL, version=version, encoding=encoding)
    result = check_bytes(data)
    assert result.verdict == "compliant"
    assert result.sites[0].location == "id3:TXXX:AIGC"


def test_it_reads_an_mp3_tagged_by_mutagen(tmp_path: object) -> None:
    from mutagen.id3 import ID3, TXXX

    path = tmp_path / "tagged.mp3"  # type: ignore[operator]
    path.write_bytes(builders.MP3_FRAME * 8)
    tags = ID3()
    tags.add(TXXX(encoding=3, desc="AIGC", text=[LABEL]))
    tags.save(str(path), v2_version=4)
    assert check_path(path).verdict == "compliant"


def test_it_reads_the_wav_list_info_child() -> None:
    result = check_bytes(builders.wav_bytes(info_aigc=LABEL))
    assert result.verdict == "compliant"
    assert result.sites[0].location == "riff:LIST/INFO/AIGC"


def test_it_reads_a_label_in_moov_before_mdat() -> None:
    data = builders.mp4_bytes(LABEL, mdat_first=False)
    assert check_bytes(data).verdict == "compliant"


def test_it_seeks_past_a_large_mdat(tmp_path: object) -> None:
    path = tmp_path / "large.mp4"  # type: ignore[operator]
    builders.write_mp4(str(path), LABEL, mdat_size=200 * 1024 * 1024)
    result = check_path(path)
    assert result.verdict == "compliant"
    assert result.elapsed_ms < 500


def test_it_reads_pdf_info_inside_an_object_stream() -> None:
    data = builders.pdf_bytes(LABEL, object_streams=True)
    assert b"/ObjStm" in data
    assert check_bytes(data).verdict == "compliant"


def test_it_reads_pdf_xmp_metadata() -> None:
    result = check_bytes(builders.pdf_bytes(None, xmp=builders.xmp_packet(LABEL)))
    assert result.verdict == "compliant"
    assert result.sites[0].location == "pdf:Metadata:TC260:AIGC"


def test_it_reads_markdown_front_matter_as_a_block() -> None:
    result = check_bytes(builders.markdown_bytes(LABEL, block=True))
    assert result.verdict == "compliant"
    assert result.label == EXPECTED_FIELDS


def test_it_detects_by_magic_bytes_not_by_name(tmp_path: object) -> None:
    path = tmp_path / "picture.pdf"  # type: ignore[operator]
    path.write_bytes(builders.STANDARD_BUILDERS["png"](LABEL))
    assert check_path(path).format == "png"


def test_it_reports_iptc_digital_source_type_and_c2pa_as_information() -> None:
    packet = builders.xmp_packet(LABEL, extra=builders.IPTC_SOURCE_TYPE_XMP)
    c2pa = builders.png_chunk(b"caBX", b"\x00\x00\x00\x10jumbc2pa")
    data = builders.png_bytes(
        builders.itxt_chunk("XML:com.adobe.xmp", packet.decode()), c2pa
    )
    result = check_bytes(data)
    assert result.info["iptc_digital_source_type"].endswith("trainedAlgorithmicMedia")
    assert result.info["c2pa_manifest"] is True


def test_check_stream_accepts_a_non_seekable_stream() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = builders.STANDARD_BUILDERS["mp3"](LABEL)
    from inspections.labels import check_stream

    assert check_stream(Pipe(data)).verdict == "compliant"  # type: ignore[arg-type]


def test_check_path_reports_a_missing_file_as_inconclusive(tmp_path: object) -> None:
    result = check_path(tmp_path / "missing.jpg")  # type: ignore[operator]
    assert result.verdict == "inconclusive"
    assert "cannot open" in (result.reason or "")
