"""Build labelled and unlabelled sample files of every supported format.

Everything is made here by code (hand-built bytes, Pillow, pikepdf,
zipfile) so no binary fixture is committed. The integration tests and
``benchmarks/labels.py`` reuse these builders.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
PROVIDER_CODE = "001191440300708461136T1XGW3"  # embeds USCC 91440300708461136T
ENTERPRISE_USCC = "91440300708461136T"
OTHER_VALID_USCC = "91110102MAD55U9H0F"


def label_fields(**overrides: object) -> dict[str, object]:
    """Return a valid inner 7-field label, with fields overridden or dropped.

    Pass ``Field=None`` to drop a field.
    """
    fields: dict[str, object] = {
        "Label": "1",
        "ContentProducer": PROVIDER_CODE,
        "ProduceID": "20250901AB12CD34",
        "ReservedCode1": "",
        "ContentPropagator": PROVIDER_CODE,
        "PropagateID": "20250901AB12CD34",
        "ReservedCode2": "",
    }
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def label_json(wrapped: bool = False, **overrides: object) -> str:
    """Return the label as compact JSON, bare or as ``{"AIGC":{...}}``."""
    fields = label_fields(**overrides)
    value = {"AIGC": fields} if wrapped else fields
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def xml_escape(text: str, *, attribute: bool = False) -> str:
    """Escape text for XML element content or a double-quoted attribute."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def xmp_packet(
    value: str | None,
    *,
    form: str = "element",
    prefix: str = "TC260",
    namespace: str = TC260_NS,
    extra: str = "",
) -> bytes:
    """Return an XMP packet with the AIGC property as element or attribute."""
    attributes = f' xmlns:{prefix}="{namespace}"'
    body = ""
    if value is not None and form == "attribute":
        attributes += f' {prefix}:AIGC="{xml_escape(value, attribute=True)}"'
    elif value is not None:
        body = f"<{prefix}:AIGC>{xml_escape(value)}</{prefix}:AIGC>"
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about=""{attributes}>{body}{extra}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


IPTC_SOURCE_TYPE_XMP = (
    "<Iptc4xmpExt:DigitalSourceType "
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    "</Iptc4xmpExt:DigitalSourceType>"
)


# --- TIFF / EXIF -----------------------------------------------------------


def exif_block(
    *,
    user_comment: str | None = None,
    image_description: str | None = None,
    xmp: bytes | None = None,
    byte_order: str = "<",
) -> bytes:
    """Return a little TIFF structure with IFD0 and an Exif IFD."""
    magic = b"II*\x00" if byte_order == "<" else b"MM\x00*"
    ifd0: list[tuple[int, int, bytes]] = []  # (tag, type, value)
    if image_description is not None:
        ifd0.append((0x010E, 2, image_description.encode("utf-8") + b"\x00"))
    if xmp is not None:
        ifd0.append((0x02BC, 7, xmp))
    exif_entries: list[tuple[int, int, bytes]] = []
    if user_comment is not None:
        exif_entries.append((0x9286, 7, b"ASCII\x00\x00\x00" + user_comment.encode()))
    ifd0.append((0x8769, 4, b"\x00\x00\x00\x00"))  # patched below

    def layout(entries: list[tuple[int, int, bytes]], start: int) -> tuple[bytes, int]:
        table_size = 2 + 12 * len(entries) + 4
        data_offset = start + table_size
        table, data = struct.pack(byte_order + "H", len(entries)), b""
        for tag, kind, value in sorted(entries):
            count = len(value) if kind in (2, 7) else 1
            if len(value) <= 4:
                table += struct.pack(byte_order + "HHI", tag, kind, count)
                table += value.ljust(4, b"\x00")
            else:
                table += struct.pack(
                    byte_order + "HHII", tag, kind, count, data_offset + len(data)
                )
                data += value + (b"\x00" if len(value) % 2 else b"")
        return table + b"\x00\x00\x00\x00" + data, start + table_size + len(data)

    first, end = layout(ifd0, 8)
    exif_offset = end
    ifd0 = [
        (t, k, struct.pack(byte_order + "I", exif_offset) if t == 0x8769 else v)
        for t, k, v in ifd0
    ]
    first, _ = layout(ifd0, 8)
    second, _ = layout(exif_entries, exif_offset)
    return magic + struct.pack(byte_order + "I", 8) + first + second


# --- JPEG ------------------------------------------------------------------


@functools.cache
def _base_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    """Return one JPEG marker segment."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_bytes(
    *,
    xmp: bytes | None = None,
    exif: bytes | None = None,
    segments: tuple[bytes, ...] = (),
) -> bytes:
    """Return a small JPEG with XMP (APP1), EXIF (APP1) and extra segments."""
    base = _base_jpeg()
    inserted = b""
    if exif is not None:
        inserted += jpeg_segment(0xE1, b"Exif\x00\x00" + exif)
    if xmp is not None:
        inserted += jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp)
    inserted += b"".join(segments)
    return base[:2] + inserted + base[2:]


# --- PNG -------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """Return one PNG chunk with its CRC."""
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def itxt_chunk(keyword: str, text: str, *, compressed: bool = False) -> bytes:
    """Return an iTXt chunk (optionally zlib-compressed)."""
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body)
    data = keyword.encode("latin-1") + b"\x00" + bytes([int(compressed), 0])
    return png_chunk(b"iTXt", data + b"\x00\x00" + body)


def text_chunk(keyword: str, text: str) -> bytes:
    """Return a tEXt chunk."""
    return png_chunk(
        b"tEXt", keyword.encode("latin-1") + b"\x00" + text.encode("latin-1")
    )


def ztxt_chunk(keyword: str, text: str) -> bytes:
    """Return a zTXt chunk."""
    return png_chunk(
        b"zTXt",
        keyword.encode("latin-1") + b"\x00\x00" + zlib.compress(text.encode("latin-1")),
    )


def png_bytes(*chunks: bytes, idat_size: int = 0) -> bytes:
    """Return a 1x1 PNG with ancillary chunks before IDAT."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    idat = png_chunk(b"IDAT", pixels)
    padding = png_chunk(b"IDAT", b"") * 0
    if idat_size:
        # A valid image whose pixel data is large: one row, many pixels.
        width = max(1, idat_size // 3)
        header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, 1, 8, 2, 0, 0, 0))
        idat = png_chunk(b"IDAT", zlib.compress(b"\x00" + b"\x80" * (width * 3), 0))
    return (
        b"\x89PNG\r\n\x1a\n"
        + header
        + b"".join(chunks)
        + idat
        + padding
        + png_chunk(b"IEND", b"")
    )


def png_xmp(value: str | None, **xmp_options: object) -> bytes:
    """Return a PNG whose iTXt XMP holds the label."""
    packet = xmp_packet(value, **xmp_options)  # type: ignore[arg-type]
    return png_bytes(itxt_chunk("XML:com.adobe.xmp", packet.decode("utf-8")))


# --- RIFF: WebP, WAV, AVI ---------------------------------------------------


def riff_chunk(chunk_id: bytes, data: bytes) -> bytes:
    """Return one RIFF chunk, padded to an even length."""
    return (
        chunk_id
        + struct.pack("<I", len(data))
        + data
        + (b"\x00" if len(data) % 2 else b"")
    )


def riff_list(list_type: bytes, *chunks: bytes) -> bytes:
    """Return a LIST chunk of the given type."""
    return riff_chunk(b"LIST", list_type + b"".join(chunks))


def riff_file(form: bytes, *chunks: bytes) -> bytes:
    """Return a RIFF file of the given form type."""
    body = form + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


@functools.cache
def _webp_image_chunk() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 200, 10)).save(buffer, "WEBP", lossless=True)
    data = buffer.getvalue()
    return data[12:]  # the VP8L chunk


def webp_bytes(xmp: bytes | None = None) -> bytes:
    """Return a 4x4 extended WebP with an optional XMP chunk."""
    flags = 0x04 if xmp is not None else 0
    vp8x = riff_chunk(
        b"VP8X",
        struct.pack("<I", flags)
        + (3).to_bytes(3, "little")
        + (3).to_bytes(3, "little"),
    )
    chunks = [vp8x, _webp_image_chunk()]
    if xmp is not None:
        chunks.append(riff_chunk(b"XMP ", xmp))
    return riff_file(b"WEBP", *chunks)


def wav_bytes(
    *,
    aigc: str | None = None,
    info_aigc: str | None = None,
    info_comment: str | None = None,
    frames: int = 800,
) -> bytes:
    """Return a mono 8 kHz WAV with an AIGC chunk and/or LIST/INFO entries."""
    fmt = riff_chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16))
    chunks = [fmt]
    if aigc is not None:
        chunks.append(riff_chunk(b"AIGC", aigc.encode("utf-8")))
    info = []
    if info_aigc is not None:
        info.append(riff_chunk(b"AIGC", info_aigc.encode("utf-8") + b"\x00"))
    if info_comment is not None:
        info.append(riff_chunk(b"ICMT", info_comment.encode("utf-8") + b"\x00"))
    if info:
        chunks.append(riff_list(b"INFO", *info))
    chunks.append(riff_chunk(b"data", b"\x00\x00" * frames))
    return riff_file(b"WAVE", *chunks)


def avi_bytes(info_aigc: str | None = None) -> bytes:
    """Return a skeletal AVI with LIST/INFO/AIGC and a movi list."""
    header = riff_list(b"hdrl", riff_chunk(b"avih", b"\x00" * 56))
    chunks = [header]
    if info_aigc is not None:
        chunks.append(riff_list(b"INFO", riff_chunk(b"AIGC", info_aigc.encode())))
    chunks.append(riff_list(b"movi", riff_chunk(b"00dc", b"\x00" * 64)))
    return riff_file(b"AVI ", *chunks)


# --- GIF -------------------------------------------------------------------


@functools.cache
def _base_gif() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("P", (16, 16), 3).save(buffer, "GIF")
    return buffer.getvalue()


def gif_bytes(xmp: bytes | None = None, comment: str | None = None) -> bytes:
    """Return a GIF with an XMP application extension before the trailer."""
    base = _base_gif()
    assert base.endswith(b";")
    extra = b""
    if xmp is not None:
        magic_trailer = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
        extra += b"\x21\xff\x0bXMP DataXMP" + xmp + magic_trailer
    if comment is not None:
        data = comment.encode("utf-8")
        blocks = b"".join(
            bytes([len(data[i : i + 255])]) + data[i : i + 255]
            for i in range(0, len(data), 255)
        )
        extra += b"\x21\xfe" + blocks + b"\x00"
    return base[:-1] + extra + b";"


# --- TIFF ------------------------------------------------------------------


def tiff_bytes(xmp: bytes | None = None) -> bytes:
    """Return a 4x4 TIFF with XMP in tag 0x02BC (written by Pillow)."""
    from PIL import Image

    buffer = io.BytesIO()
    info = {700: xmp} if xmp is not None else {}
    Image.new("RGB", (4, 4), (1, 2, 3)).save(buffer, "TIFF", tiffinfo=info)
    return buffer.getvalue()


# --- ISOBMFF: MP4, MOV, M4A, HEIF ------------------------------------------


def box(box_type: bytes, *payload: bytes) -> bytes:
    """Return an ISOBMFF box."""
    body = b"".join(payload)
    return struct.pack(">I", len(body) + 8) + box_type + body


def full_box(box_type: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    """Return an ISOBMFF full box."""
    return box(box_type, bytes([version]) + flags.to_bytes(3, "big"), *payload)


def mdta_meta(items: dict[str, str]) -> bytes:
    """Return ``meta`` with an mdta ``keys`` table and ``ilst`` values."""
    keys = b"".join(
        struct.pack(">I", 8 + len(name.encode())) + b"mdta" + name.encode()
        for name in items
    )
    ilst = b"".join(
        box(
            struct.pack(">I", index),
            box(b"data", struct.pack(">II", 1, 0), value.encode("utf-8")),
        )
        for index, value in enumerate(items.values(), start=1)
    )
    return full_box(
        b"meta",
        0,
        0,
        full_box(b"hdlr", 0, 0, b"\x00" * 4, b"mdta", b"\x00" * 12, b"\x00"),
        full_box(b"keys", 0, 0, struct.pack(">I", len(items)), keys),
        box(b"ilst", ilst),
    )


def freeform_meta(name: str, value: str) -> bytes:
    """Return an iTunes-style ``meta`` with a ``----`` freeform atom."""
    item = box(
        b"----",
        full_box(b"mean", 0, 0, b"com.apple.iTunes"),
        full_box(b"name", 0, 0, name.encode()),
        box(b"data", struct.pack(">II", 1, 0), value.encode()),
    )
    return full_box(
        b"meta",
        0,
        0,
        full_box(b"hdlr", 0, 0, b"\x00" * 4, b"mdir", b"appl", b"\x00" * 8, b"\x00"),
        box(b"ilst", item),
    )


def mp4_bytes(
    label: str | None = None,
    *,
    brand: bytes = b"isom",
    mdat_size: int = 1024,
    mdat_first: bool = True,
    udta_extra: bytes = b"",
    meta: bytes | None = None,
) -> bytes:
    """Return an MP4 with the label as mdta key ``AIGC`` in moov/udta/meta.

    ``mdat_first`` puts a ``mdat`` of ``mdat_size`` bytes before ``moov``,
    as ffmpeg does without ``+faststart``.
    """
    ftyp = box(b"ftyp", brand, struct.pack(">I", 512), brand, b"mp41")
    mvhd = full_box(b"mvhd", 0, 0, b"\x00" * 96)
    udta_children = udta_extra
    if meta is not None:
        udta_children += meta
    elif label is not None:
        udta_children += mdta_meta({"AIGC": label})
    moov = box(b"moov", mvhd, box(b"udta", udta_children) if udta_children else b"")
    mdat = struct.pack(">I", mdat_size + 8) + b"mdat"
    parts = [ftyp]
    if mdat_first:
        return b"".join([*parts, mdat, b"\x00" * mdat_size, moov])
    return b"".join([*parts, moov, mdat, b"\x00" * mdat_size])


def write_mp4(path: str, label: str | None, *, mdat_size: int) -> None:
    """Write an MP4 with a large mdat before moov without building it in memory."""
    head = mp4_bytes(label, mdat_size=0)
    ftyp_size = struct.unpack(">I", head[:4])[0]
    with open(path, "wb") as handle:
        handle.write(head[:ftyp_size])
        handle.write(struct.pack(">I", mdat_size + 8) + b"mdat")
        handle.seek(mdat_size, io.SEEK_CUR)  # sparse zeros
        handle.write(head[ftyp_size + 8 :])


def heif_bytes(xmp: bytes | None, *, brand: bytes = b"heic") -> bytes:
    """Return a skeletal HEIF/AVIF whose XMP is a ``mime`` item in ``mdat``."""
    ftyp = box(b"ftyp", brand, b"\x00\x00\x00\x00", b"mif1", brand)
    infe = full_box(
        b"infe",
        2,
        0,
        struct.pack(">HH", 1, 0),
        b"mime",
        b"XMP\x00",
        b"application/rdf+xml\x00",
    )
    iinf = full_box(
        b"iinf", 0, 0, struct.pack(">H", 1 if xmp else 0), infe if xmp else b""
    )
    hdlr = full_box(b"hdlr", 0, 0, b"\x00" * 4, b"pict", b"\x00" * 12, b"\x00")
    payload = xmp or b""

    def meta_box(data_offset: int) -> bytes:
        iloc = full_box(
            b"iloc",
            1,
            0,
            bytes([0x44, 0x00]),
            struct.pack(">H", 1),
            struct.pack(">HHH", 1, 0, 0),
            struct.pack(">H", 1),
            struct.pack(">II", data_offset, len(payload)),
        )
        return full_box(b"meta", 0, 0, hdlr, iinf, iloc)

    draft = meta_box(0)
    data_offset = len(ftyp) + len(draft) + 8
    return ftyp + meta_box(data_offset) + box(b"mdat", payload)


# --- Matroska / WebM (EBML) ---------------------------------------------------

EBML_UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"


def ebml_size(size: int) -> bytes:
    """Return ``size`` as the shortest EBML variable-length integer."""
    length = 1
    while size >= (1 << (7 * length)) - 1:  # all ones means "unknown"
        length += 1
    return ((1 << (7 * length)) | size).to_bytes(length, "big")


def ebml(element_id: int, *payload: bytes, unknown_size: bool = False) -> bytes:
    """Return one EBML element (``unknown_size`` as live writers leave it)."""
    body = b"".join(payload)
    element = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return (
        element + (EBML_UNKNOWN_SIZE if unknown_size else ebml_size(len(body))) + body
    )


def ebml_uint(element_id: int, value: int) -> bytes:
    """Return an EBML unsigned-integer element."""
    return ebml(
        element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    )


def ebml_header(doc_type: str = "matroska") -> bytes:
    """Return the EBML header as mkvmerge and ffmpeg write it."""
    return ebml(
        0x1A45DFA3,
        ebml_uint(0x4286, 1),  # EBMLVersion
        ebml_uint(0x42F7, 1),  # EBMLReadVersion
        ebml_uint(0x42F2, 4),  # EBMLMaxIDLength
        ebml_uint(0x42F3, 8),  # EBMLMaxSizeLength
        ebml(0x4282, doc_type.encode()),  # DocType
        ebml_uint(0x4287, 4),  # DocTypeVersion
        ebml_uint(0x4285, 2),  # DocTypeReadVersion
    )


def simple_tag(
    name: str,
    value: str | None = None,
    *,
    binary: bytes | None = None,
    nested: tuple[bytes, ...] = (),
) -> bytes:
    """Return a SimpleTag with TagName, TagString or TagBinary, and children."""
    parts = [ebml(0x45A3, name.encode("utf-8"))]
    if value is not None:
        parts.append(ebml(0x4487, value.encode("utf-8")))
    if binary is not None:
        parts.append(ebml(0x4485, binary))
    return ebml(0x67C8, *parts, *nested)


def mkv_tags(*simple_tags: bytes) -> bytes:
    """Return a Tags element with one Tag (target: the whole file)."""
    targets = ebml(0x63C0, ebml_uint(0x68CA, 50))  # TargetTypeValue 50
    return ebml(0x1254C367, ebml(0x7373, targets, *simple_tags))


def mkv_cluster(payload_size: int = 64, *, unknown_size: bool = False) -> bytes:
    """Return a Cluster with a Timestamp and one SimpleBlock of zeros."""
    block = b"\x81\x00\x00\x80" + b"\x00" * payload_size  # track 1, keyframe
    return ebml(
        0x1F43B675,
        ebml_uint(0xE7, 0),
        ebml(0xA3, block),
        unknown_size=unknown_size,
    )


def mkv_bytes(
    label: str | None = None,
    *,
    doc_type: str = "matroska",
    tags: bytes | None = None,
    tags_first: bool = False,
    cluster_size: int = 64,
    unknown_size: bool = False,
) -> bytes:
    """Return a skeletal Matroska/WebM with the label as SimpleTag ``AIGC``.

    By default Tags follow the Cluster, as mkvmerge writes them;
    ``tags_first`` puts them before it, as ffmpeg does. ``unknown_size``
    leaves the Segment and Cluster sizes unknown, as live writers do.
    """
    if tags is None:
        simple_tags = [simple_tag("ENCODER", "labelwatch-builders")]
        if label is not None:
            simple_tags.append(simple_tag("AIGC", label))
        tags = mkv_tags(*simple_tags)
    info = ebml(
        0x1549A966,
        ebml_uint(0x2AD7B1, 1_000_000),  # TimestampScale
        ebml(0x4D80, b"labelwatch"),  # MuxingApp
        ebml(0x5741, b"labelwatch"),  # WritingApp
    )
    codec = b"V_VP9" if doc_type == "webm" else b"V_MPEG4/ISO/AVC"
    track = ebml(0xAE, ebml_uint(0xD7, 1), ebml_uint(0x83, 1), ebml(0x86, codec))
    tracks = ebml(0x1654AE6B, track)
    cluster = mkv_cluster(cluster_size, unknown_size=unknown_size)
    body = (
        [info, tracks, tags, cluster] if tags_first else [info, tracks, cluster, tags]
    )
    return ebml_header(doc_type) + ebml(0x18538067, *body, unknown_size=unknown_size)


# --- FLV (AMF0) --------------------------------------------------------------


def amf_string(text: str) -> bytes:
    """Return an AMF0 string, or a long string past 65535 bytes."""
    data = text.encode("utf-8")
    if len(data) > 0xFFFF:
        return b"\x0c" + struct.pack(">I", len(data)) + data
    return b"\x02" + struct.pack(">H", len(data)) + data


def amf_value(value: object) -> bytes:
    """Return an AMF0 value: number, boolean, string, None or a dict object."""
    if value is None:
        return b"\x05"
    if isinstance(value, bool):
        return b"\x01" + bytes([value])
    if isinstance(value, int | float):
        return b"\x00" + struct.pack(">d", value)
    if isinstance(value, str):
        return amf_string(value)
    if isinstance(value, dict):
        return b"\x03" + amf_properties(list(value.items()))
    raise TypeError(f"no AMF0 form for {type(value).__name__}")


def amf_properties(items: list[tuple[str, object]]) -> bytes:
    """Return AMF0 object properties and the end marker."""
    body = b""
    for key, value in items:
        name = key.encode("utf-8")
        body += struct.pack(">H", len(name)) + name + amf_value(value)
    return body + b"\x00\x00\x09"


def amf_ecma_array(items: list[tuple[str, object]]) -> bytes:
    """Return an AMF0 ECMA array (what ffmpeg writes for onMetaData)."""
    return b"\x08" + struct.pack(">I", len(items)) + amf_properties(items)


def flv_tag(tag_type: int, data: bytes, timestamp: int = 0) -> bytes:
    """Return one FLV tag followed by its PreviousTagSize."""
    header = bytes([tag_type]) + len(data).to_bytes(3, "big")
    header += (timestamp & 0xFFFFFF).to_bytes(3, "big") + bytes([timestamp >> 24])
    header += b"\x00\x00\x00"  # StreamID
    return header + data + struct.pack(">I", 11 + len(data))


def flv_metadata(items: list[tuple[str, object]], *, as_object: bool = False) -> bytes:
    """Return an ``onMetaData`` script data tag (ECMA array or object)."""
    value = b"\x03" + amf_properties(items) if as_object else amf_ecma_array(items)
    return flv_tag(18, amf_string("onMetaData") + value)


def flv_bytes(
    label: str | None = None,
    *,
    script_tags: tuple[bytes, ...] | None = None,
    video_size: int = 64,
    media_first: bytes = b"",
) -> bytes:
    """Return an FLV with the label as ``onMetaData`` key ``AIGC``.

    ``script_tags`` replaces the onMetaData tag; ``media_first`` goes
    between the header and the script tags.
    """
    if script_tags is None:
        items: list[tuple[str, object]] = [
            ("duration", 0.04),
            ("width", 16.0),
            ("height", 16.0),
            ("videocodecid", 7.0),
            ("stereo", False),
            ("encoder", "labelwatch-builders"),
        ]
        if label is not None:
            items.append(("AIGC", label))
        script_tags = (flv_metadata(items),)
    header = b"FLV\x01\x05" + struct.pack(">I", 9) + struct.pack(">I", 0)
    video = flv_tag(9, b"\x17\x00\x00\x00\x00" + b"\x00" * video_size)
    audio = flv_tag(8, b"\xaf\x01" + b"\x00" * 16, timestamp=23)
    return header + media_first + b"".join(script_tags) + video + audio


# --- MP3 (ID3v2) -----------------------------------------------------------


def _synchsafe(value: int) -> bytes:
    return bytes(
        [(value >> 21) & 0x7F, (value >> 14) & 0x7F, (value >> 7) & 0x7F, value & 0x7F]
    )


def id3_frame(frame_id: str, data: bytes, version: int = 3) -> bytes:
    """Return one ID3v2.3 or v2.4 frame."""
    size = _synchsafe(len(data)) if version == 4 else struct.pack(">I", len(data))
    return frame_id.encode() + size + b"\x00\x00" + data


def txxx_frame(
    description: str, value: str, *, version: int = 3, encoding: int = 3
) -> bytes:
    """Return a TXXX frame in UTF-8 (3), UTF-16 (1) or Latin-1 (0)."""
    if encoding == 1:
        body = ("\ufeff" + description).encode("utf-16-le") + b"\x00\x00"
        body += ("\ufeff" + value).encode("utf-16-le")
    else:
        codec = "utf-8" if encoding == 3 else "latin-1"
        body = description.encode(codec) + b"\x00" + value.encode(codec)
    return id3_frame("TXXX", bytes([encoding]) + body, version)


def id3_tag(*frames: bytes, version: int = 3) -> bytes:
    """Return an ID3v2 tag with the given frames."""
    body = b"".join(frames) + b"\x00" * 16  # padding
    return b"ID3" + bytes([version, 0, 0]) + _synchsafe(len(body)) + body


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def mp3_bytes(
    label: str | None = None,
    *,
    version: int = 3,
    encoding: int = 3,
    frames: int = 4,
    description: str = "AIGC",
) -> bytes:
    """Return an MP3 with ``TXXX:AIGC`` and a few silent MPEG frames."""
    tag = id3_tag(
        *(
            [txxx_frame(description, label, version=version, encoding=encoding)]
            if label is not None
            else []
        ),
        id3_frame("TIT2", b"\x03sample", version),
        version=version,
    )
    return tag + MP3_FRAME * frames


# --- FLAC and Ogg ----------------------------------------------------------


def vorbis_comment(comments: dict[str, str], vendor: str = "labelwatch") -> bytes:
    """Return a Vorbis comment structure."""
    data = struct.pack("<I", len(vendor)) + vendor.encode()
    data += struct.pack("<I", len(comments))
    for key, value in comments.items():
        entry = f"{key}={value}".encode()
        data += struct.pack("<I", len(entry)) + entry
    return data


def flac_bytes(comments: dict[str, str] | None = None) -> bytes:
    """Return a FLAC stream header with STREAMINFO and a VORBIS_COMMENT."""
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\x00" * 6
    streaminfo += ((44100 << 44) | (1 << 36) | (15 << 36) | 1000).to_bytes(8, "big")
    streaminfo += b"\x00" * 16
    blocks = [(0, streaminfo)]
    if comments is not None:
        blocks.append((4, vorbis_comment(comments)))
    data = b"fLaC"
    for index, (kind, body) in enumerate(blocks):
        last = 0x80 if index == len(blocks) - 1 else 0
        data += bytes([last | kind]) + len(body).to_bytes(3, "big") + body
    return data + b"\xff\xf8" + b"\x00" * 64


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def ogg_page(
    packet: bytes, *, serial: int, sequence: int, flags: int, granule: int = 0
) -> bytes:
    """Return one Ogg page holding one whole packet."""
    lacing = bytes([255] * (len(packet) // 255) + [len(packet) % 255])
    header = (
        b"OggS\x00"
        + bytes([flags])
        + struct.pack("<qII", granule, serial, sequence)
        + b"\x00\x00\x00\x00"
        + bytes([len(lacing)])
        + lacing
    )
    page = header + packet
    crc = _ogg_crc(page)
    return page[:22] + struct.pack("<I", crc) + page[26:]


def ogg_opus_bytes(comments: dict[str, str] | None = None) -> bytes:
    """Return an Ogg Opus header (OpusHead, OpusTags) and one audio page."""
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 312, 48000, 0, 0)
    tags = b"OpusTags" + vorbis_comment(comments or {})
    return (
        ogg_page(head, serial=7, sequence=0, flags=2)
        + ogg_page(tags, serial=7, sequence=1, flags=0)
        + ogg_page(b"\xf8\xff\xfe", serial=7, sequence=2, flags=4, granule=960)
    )


# --- PDF -------------------------------------------------------------------


def pdf_bytes(
    info_aigc: str | None = None,
    *,
    xmp: bytes | None = None,
    object_streams: bool = False,
    extra_info: dict[str, str] | None = None,
) -> bytes:
    """Return a one-page PDF with ``/AIGC`` in Info and/or an XMP stream."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if info_aigc is not None:
        pdf.docinfo[pikepdf.Name("/AIGC")] = pikepdf.String(info_aigc)
    for key, value in (extra_info or {}).items():
        pdf.docinfo[pikepdf.Name("/" + key)] = pikepdf.String(value)
    if xmp is not None:
        stream = pikepdf.Stream(pdf, xmp)
        stream[pikepdf.Name.Type] = pikepdf.Name.Metadata
        stream[pikepdf.Name.Subtype] = pikepdf.Name("/XML")
        pdf.Root[pikepdf.Name.Metadata] = pdf.make_indirect(stream)
    buffer = io.BytesIO()
    mode = (
        pikepdf.ObjectStreamMode.generate
        if object_streams
        else pikepdf.ObjectStreamMode.disable
    )
    pdf.save(buffer, object_stream_mode=mode, deterministic_id=True)
    return buffer.getvalue()


# --- OOXML -----------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
    '2006/main"><w:body><w:p><w:r><w:t>Sample</w:t></w:r></w:p></w:body>'
    "</w:document>"
)


def custom_xml(properties: dict[str, str], vt_type: str = "lpwstr") -> bytes:
    """Return docProps/custom.xml with string properties."""
    items = "".join(
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
        f'pid="{pid}" name="{xml_escape(name, attribute=True)}">'
        f"<vt:{vt_type}>{xml_escape(value)}</vt:{vt_type}></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/docPropsVTypes">{items}</Properties>'
    ).encode()


def docx_bytes(label: str | None = None, *, custom: bytes | None = None) -> bytes:
    """Return a minimal DOCX with the label in docProps/custom.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", _DOCUMENT)
        if custom is not None:
            archive.writestr("docProps/custom.xml", custom)
        elif label is not None:
            archive.writestr("docProps/custom.xml", custom_xml({"AIGC": label}))
    return buffer.getvalue()


# --- Text ------------------------------------------------------------------


def markdown_bytes(label: str | None = None, *, block: bool = False) -> bytes:
    """Return Markdown with the label in YAML front matter.

    ``block`` writes the fields as an indented mapping instead of JSON.
    """
    lines = ["---", "title: Sample"]
    if label is not None and block:
        lines.append("AIGC:")
        for key, value in json.loads(label).items():
            lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    elif label is not None:
        lines.append(f"AIGC: {label}")
    lines += ["---", "", "# Heading", "", "本内容由AI生成。"]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- Catalogue -------------------------------------------------------------

# format name -> builder(label JSON or None) -> bytes, each putting the label
# in the format's standard place.
STANDARD_BUILDERS: dict[str, Callable[[str | None], bytes]] = {
    "jpeg": lambda label: jpeg_bytes(xmp=xmp_packet(label)),
    "png": lambda label: png_xmp(label),
    "webp": lambda label: webp_bytes(xmp_packet(label)),
    "gif": lambda label: gif_bytes(xmp_packet(label)),
    "tiff": lambda label: tiff_bytes(xmp_packet(label)),
    "mp4": lambda label: mp4_bytes(label),
    "mov": lambda label: mp4_bytes(label, brand=b"qt  "),
    "m4a": lambda label: mp4_bytes(label, brand=b"M4A "),
    "heif": lambda label: heif_bytes(xmp_packet(label) if label else None),
    "avif": lambda label: heif_bytes(
        xmp_packet(label) if label else None, brand=b"avif"
    ),
    "mp3": lambda label: mp3_bytes(label),
    "wav": lambda label: wav_bytes(aigc=label),
    "avi": lambda label: avi_bytes(label),
    "mkv": lambda label: mkv_bytes(label),
    "webm": lambda label: mkv_bytes(label, doc_type="webm"),
    "flv": lambda label: flv_bytes(label),
    "flac": lambda label: flac_bytes({"AIGC": label} if label else {}),
    "ogg": lambda label: ogg_opus_bytes({"AIGC": label} if label else {}),
    "pdf": lambda label: pdf_bytes(label),
    "docx": lambda label: docx_bytes(label),
    "markdown": lambda label: markdown_bytes(label),
}
