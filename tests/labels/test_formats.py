"""Every supported container with a valid label, and without one."""

from __future__ import annotations

import io
import struct

import pytest

from inspections.labels import check_path, check_stream
from inspections.labels.detect import detect_format

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


def test_it_reads_the_avi_list_info_child() -> None:
    result = check_bytes(builders.avi_bytes(LABEL))
    assert result.verdict == "compliant"
    assert result.sites[0].location == "riff:LIST/INFO/AIGC"


class CountingFile(io.BytesIO):
    """An in-memory file that counts the bytes the checker reads."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        data = super().read(size)
        self.bytes_read += len(data)
        return data


@pytest.mark.parametrize("doc_type", ["matroska", "webm"])
@pytest.mark.parametrize("tags_first", [False, True], ids=["mkvmerge", "ffmpeg"])
def test_it_reads_matroska_tags_before_or_after_the_clusters(
    doc_type: str, tags_first: bool
) -> None:
    data = builders.mkv_bytes(LABEL, doc_type=doc_type, tags_first=tags_first)
    result = check_bytes(data)
    assert result.verdict == "compliant", result.reason
    assert result.format == {"matroska": "mkv", "webm": "webm"}[doc_type]
    assert result.sites[0].location == "matroska:Segment/Tags/Tag/SimpleTag:AIGC"


def test_it_reads_a_live_webm_with_unknown_segment_and_cluster_sizes() -> None:
    data = builders.mkv_bytes(LABEL, doc_type="webm", unknown_size=True)
    assert builders.EBML_UNKNOWN_SIZE in data
    result = check_bytes(data)
    assert result.verdict == "compliant", result.reason
    assert result.label == EXPECTED_FIELDS


def test_a_long_live_webm_stops_at_its_open_cluster_once_the_tags_are_read() -> None:
    # Tags ahead of an unknown-size Cluster of 150,000 blocks (hours of a
    # browser recording): more elements than the walk's cap, never visited.
    data = builders.mkv_bytes(LABEL, doc_type="webm", unknown_size=True, tags_first=True)
    data += b"\xa3\x81\x00" * 150_000  # SimpleBlocks of one byte
    result = check_bytes(data)
    assert result.verdict == "compliant", result.reason
    assert result.label == EXPECTED_FIELDS


def test_it_skips_a_large_cluster_without_reading_it() -> None:
    data = builders.mkv_bytes(LABEL, cluster_size=8 * 1024 * 1024)
    stream = CountingFile(data)
    result = check_stream(stream, path="large.mkv")
    assert result.verdict == "compliant", result.reason
    assert stream.bytes_read < 4096 < len(data)


def test_it_finds_matroska_tags_in_a_second_segment() -> None:
    first = builders.mkv_bytes(None)
    second = builders.mkv_bytes(LABEL)
    header = len(builders.ebml_header())
    result = check_bytes(first + second[header:])
    assert result.verdict == "compliant", result.reason


def test_it_detects_matroska_by_its_doctype_not_by_the_ebml_magic_alone() -> None:
    assert detect_format(builders.mkv_bytes(None)[:64]) == "mkv"
    assert detect_format(builders.mkv_bytes(None, doc_type="webm")[:64]) == "webm"
    assert detect_format(builders.ebml_header("foo")) is None
    assert detect_format(builders.flv_bytes(None)[:64]) == "flv"
    assert detect_format(b"FLV\x02" + builders.flv_bytes(None)[4:64]) is None


@pytest.mark.parametrize("as_object", [False, True], ids=["ecma-array", "object"])
def test_it_reads_flv_onmetadata_as_an_ecma_array_or_an_object(
    as_object: bool,
) -> None:
    tag = builders.flv_metadata([("AIGC", LABEL)], as_object=as_object)
    result = check_bytes(builders.flv_bytes(script_tags=(tag,)))
    assert result.verdict == "compliant", result.reason
    assert result.sites[0].location == "flv:onMetaData:AIGC"


def test_it_reads_an_flv_label_held_in_an_amf0_long_string() -> None:
    label = LABEL + " " * 70_000
    assert builders.amf_string(label)[:1] == b"\x0c"
    result = check_bytes(builders.flv_bytes(label))
    assert result.verdict == "compliant", result.reason


def test_it_walks_every_amf0_type_before_the_flv_label() -> None:
    values = (
        b"\x00" + struct.pack(">d", 1.5),  # number
        b"\x01\x01",  # boolean
        builders.amf_string("text"),
        b"\x0c" + struct.pack(">I", 4) + b"long",  # long string
        b"\x03" + builders.amf_properties([("a", 1.0), ("b", {"c": None})]),
        builders.amf_ecma_array([("x", "y")]),
        b"\x0a" + struct.pack(">I", 3) + b"\x05\x06" + builders.amf_string("z"),
        b"\x05",  # null
        b"\x06",  # undefined
        b"\x07\x00\x01",  # reference
        b"\x0b" + struct.pack(">dh", 1.7e12, 0),  # date
        b"\x0f" + struct.pack(">I", 5) + b"<x/>\n",  # XML document
        b"\x10" + builders.amf_string("Cls")[1:] + builders.amf_properties([]),
    )
    body = b"".join(
        struct.pack(">H", 2) + f"k{index:x}".encode() + value
        for index, value in enumerate(values)
    )
    properties = body + struct.pack(">H", 4) + b"AIGC" + builders.amf_string(LABEL)
    script = builders.amf_string("onMetaData") + b"\x08" + struct.pack(">I", 14)
    tag = builders.flv_tag(18, script + properties + b"\x00\x00\x09")
    result = check_bytes(builders.flv_bytes(script_tags=(tag,)))
    assert result.verdict == "compliant", result.reason


def test_it_reads_onmetadata_in_the_rtmp_setdataframe_form() -> None:
    script = builders.amf_string("@setDataFrame") + builders.amf_string("onMetaData")
    tag = builders.flv_tag(18, script + builders.amf_ecma_array([("AIGC", LABEL)]))
    assert check_bytes(builders.flv_bytes(script_tags=(tag,))).verdict == "compliant"


def test_it_skips_a_large_flv_video_tag_without_reading_it() -> None:
    video = builders.flv_tag(9, b"\x17" + b"\x00" * (8 * 1024 * 1024))
    data = builders.flv_bytes(LABEL, media_first=video)
    stream = CountingFile(data)
    result = check_stream(stream, path="large.flv")
    assert result.verdict == "compliant", result.reason
    assert stream.bytes_read < 4096 < len(data)


def test_flv_script_tags_after_the_first_media_tag_are_not_read() -> None:
    # onMetaData leads; what follows the media is the stream, not metadata.
    late = builders.flv_metadata([("AIGC", builders.label_json(Label="2"))])
    data = builders.flv_bytes(LABEL) + late
    result = check_bytes(data)
    assert result.verdict == "compliant"
    assert len(result.sites) == 1


def test_an_flv_without_onmetadata_is_walked_to_its_end() -> None:
    media = builders.flv_bytes(None, script_tags=())
    late = builders.flv_metadata([("AIGC", LABEL)])
    result = check_bytes(media + late)
    assert result.verdict == "compliant", result.reason


@pytest.mark.parametrize("name", ["mkv", "webm", "flv"])
def test_uploads_accept_matroska_and_flv_by_content(name: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import check_upload
    from inspections import uploads

    data = builders.STANDARD_BUILDERS[name](LABEL)
    info = check_upload(SimpleUploadedFile("clip.mp4", data), accepts=uploads.CONTENT, what="content")
    assert info.kind == name


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
