"""Hostile files built in memory: zip bombs that are small on disk and huge inflated."""

import io
import struct
import zipfile
import zlib

MIB = 1024 * 1024


def _deflated_zeros(total: int) -> bytes:
    """A raw deflate stream of `total` zero bytes, built without inflating them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor starts afresh, so the bytes for one
    # MiB of zeros are the same every time and can be repeated.
    block = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail_size = total % MIB
    tail = compressor.compress(b"\0" * tail_size) + compressor.flush(zlib.Z_FINISH)
    return block * (total // MIB) + tail


def zip_bomb(*, member: str = "[Content_Types].xml", inflated: int = 1024 * MIB,
             declared: int | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """
    A DOCX-looking zip whose `member` inflates to `inflated` bytes of zeros
    (about 1 MiB on disk per GiB). `declared` lies about the inflated size.
    The CRC is not that of the content: readers must stop long before the end.
    """
    members = {"word/document.xml": b"<w:document/>"} | (extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    head = buffer.getvalue()
    # Take the small archive's central directory and prepend one more entry.
    end = head.rfind(b"PK\x05\x06")
    entries, cd_size, cd_offset = struct.unpack("<HII", head[end + 10: end + 20])
    local_part, directory = head[:cd_offset], head[cd_offset: cd_offset + cd_size]
    data = _deflated_zeros(inflated)
    name = member.encode()
    size = inflated if declared is None else declared
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, 0,
                        len(data), size, len(name), 0) + name
    new_offset = len(local_part)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, 0,
                          len(data), size, len(name), 0, 0, 0, 0, 0, new_offset) + name
    body = local_part + local + data
    directory = directory + central
    end_record = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + 1, entries + 1,
                             len(directory), len(body), 0)
    return body + directory + end_record
