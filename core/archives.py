"""
The one guard for zip-based uploads (DOCX, XLSX, PPTX and any other OOXML
or zip container added later). Plain Python, no Django: the label checker
(`inspections/labels/`) uses it too.

Nothing is inflated whole. The central directory is sized from its end record
before `zipfile` loads it; entry count, name length and folder nesting are
capped; every member is read in small chunks while a running count of
inflated bytes is held against a per-member cap, an archive-wide cap and a
compression-ratio limit; and the whole file has a time budget. A hostile
archive ends in `ArchiveRefused` with the reason, never in memory exhaustion
or a hang.
"""

from __future__ import annotations

import struct
import time
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 64 * 1024
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 65535


class ArchiveRefused(Exception):  # noqa: N818 - a verdict on a file, not a bug
    """The archive breaks one of the limits or cannot be read; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_entries: int = 5000
    max_directory_bytes: int = 4 * 1024 * 1024
    max_name_length: int = 1024
    # Folders in a member's path (word/media/x.png is 2).
    max_nesting: int = 16
    max_member_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 300 * 1024 * 1024
    # Inflated / compressed bytes of one member, checked while inflating once
    # the member is past `ratio_floor` (small members may compress very well).
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024
    seconds: float = 10.0


DEFAULT_LIMITS = Limits()


class GuardedZip:
    """
    A zip archive opened under `limits`. Use `read(name, cap)` for one member
    and `scan()` to inflate every member once (discarding the bytes) before
    handing the file to a library that reads members whole (openpyxl).
    """

    def __init__(self, fileobj: BinaryIO, *, limits: Limits = DEFAULT_LIMITS,
                 deadline: float | None = None) -> None:
        self.limits = limits
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.seconds
        self._inflated_total = 0
        _check_end_record(fileobj, limits)
        try:
            fileobj.seek(0)
            self._zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
                RuntimeError, struct.error) as error:
            raise ArchiveRefused(f"unreadable zip ({error})") from error
        self.infos = self._zip.infolist()
        if len(self.infos) > limits.max_entries:
            raise ArchiveRefused(f"{len(self.infos)} entries (limit {limits.max_entries})")
        for info in self.infos:
            name = info.filename
            if len(name) > limits.max_name_length:
                raise ArchiveRefused("an entry name is too long")
            if name.count("/") - name.endswith("/") > limits.max_nesting:
                raise ArchiveRefused(f"entry nested too deep: {name[:80]}")
            if info.flag_bits & 0x1:
                raise ArchiveRefused("encrypted entry")
        self.names = [info.filename for info in self.infos]

    def __enter__(self) -> GuardedZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ArchiveRefused("time budget exceeded")

    def _stream(self, info: zipfile.ZipInfo, cap: int):
        """Yield the member's inflated bytes chunk by chunk, under every limit."""
        limits = self.limits
        if info.file_size > cap:
            raise ArchiveRefused(f"{info.filename[:80]} declares {info.file_size} bytes")
        inflated = 0
        compressed = max(info.compress_size, 1)
        try:
            with self._zip.open(info) as stream:
                while True:
                    self._check_time()
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        return
                    inflated += len(chunk)
                    self._inflated_total += len(chunk)
                    if inflated > cap:
                        raise ArchiveRefused(f"{info.filename[:80]} inflates past {cap} bytes")
                    if self._inflated_total > limits.max_total_bytes:
                        raise ArchiveRefused("the archive inflates past its total limit")
                    if inflated > limits.ratio_floor and inflated / compressed > limits.max_ratio:
                        raise ArchiveRefused(f"{info.filename[:80]} compression ratio too high")
                    yield chunk
        except ArchiveRefused:
            raise
        except Exception as error:  # noqa: BLE001 - BadZipFile, zlib.error, bad CRC...: the file's fault
            raise ArchiveRefused(f"cannot read {info.filename[:80]} ({error})") from error

    def read(self, name: str, cap: int | None = None) -> bytes:
        """Return one member's bytes, refusing it once it inflates past `cap`."""
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise ArchiveRefused(f"no member {name[:80]}")
        cap = min(cap or self.limits.max_member_bytes, self.limits.max_member_bytes)
        return b"".join(self._stream(info, cap))

    def scan(self) -> None:
        """Inflate every member once under the limits, keeping nothing."""
        for info in self.infos:
            if info.is_dir():
                continue
            for _chunk in self._stream(info, self.limits.max_member_bytes):
                pass


def _check_end_record(fileobj: BinaryIO, limits: Limits) -> None:
    """Size the central directory from the end record before zipfile loads it."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    start = max(0, size - _EOCD_SIZE - _MAX_COMMENT)
    fileobj.seek(start)
    tail = fileobj.read(size - start)
    position = tail.rfind(_EOCD)
    if position < 0 or len(tail) - position < _EOCD_SIZE:
        raise ArchiveRefused("no end of central directory (truncated zip?)")
    entries, directory_size = struct.unpack("<8xHI", tail[position + 2: position + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise ArchiveRefused("zip64 archives are not accepted")
    if entries > limits.max_entries:
        raise ArchiveRefused(f"central directory of {entries} entries (limit {limits.max_entries})")
    if directory_size > limits.max_directory_bytes:
        raise ArchiveRefused(f"central directory of {directory_size} bytes")


def check_archive(fileobj: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Inflate the whole archive under the limits; return its member names."""
    with GuardedZip(fileobj, limits=limits) as archive:
        archive.scan()
        return archive.names
