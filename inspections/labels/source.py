"""Bounded random access to the file under inspection.

Every parser reads through a ``BoundedReader`` so that sizes, the total
amount read and the time spent are capped in one place.
"""

from __future__ import annotations

import io
import time
from typing import IO

KIB = 1024
MIB = 1024 * KIB

# One read never exceeds this; metadata carriers are far smaller.
MAX_SINGLE_READ = 16 * MIB
# A whole check never reads more than this, whatever the file claims.
MAX_TOTAL_READ = 64 * MIB
# Nesting deeper than this is treated as hostile, not as a real file.
MAX_NESTING_DEPTH = 32
# Boxes, chunks, segments or frames visited in one file.
MAX_ELEMENTS = 100_000


class Inconclusive(Exception):  # noqa: N818 - it is a verdict, not a bug
    """Signal that the file cannot be checked to the end, with the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BudgetExceeded(Inconclusive):
    """Signal that the per-file time or read budget is spent."""


class BoundedReader:
    """Read exact byte ranges of a seekable binary file under a deadline."""

    def __init__(self, fileobj: IO[bytes], *, deadline: float) -> None:
        self._file = fileobj
        self.deadline = deadline
        self._total_read = 0
        fileobj.seek(0, io.SEEK_END)
        self.size = fileobj.tell()

    @classmethod
    def from_bytes(cls, data: bytes, *, deadline: float) -> BoundedReader:
        """Wrap bytes already in memory (an EXIF block, a decoded stream)."""
        return cls(io.BytesIO(data), deadline=deadline)

    def check_deadline(self) -> None:
        """Raise ``Inconclusive`` once the per-file time budget is spent."""
        if time.monotonic() > self.deadline:
            raise BudgetExceeded("time budget exceeded")

    def read_upto(self, offset: int, length: int) -> bytes:
        """Return at most ``length`` bytes at ``offset`` (short at the end)."""
        self.check_deadline()
        if offset < 0 or length < 0:
            raise Inconclusive(f"negative offset or length at {offset}")
        if length > MAX_SINGLE_READ:
            raise Inconclusive(f"refusing to read {length} bytes at offset {offset}")
        if offset >= self.size:
            return b""
        length = min(length, self.size - offset)
        self._total_read += length
        if self._total_read > MAX_TOTAL_READ:
            raise BudgetExceeded("read budget exceeded")
        self._file.seek(offset)
        return self._file.read(length)

    def read_at(self, offset: int, length: int) -> bytes:
        """Return exactly ``length`` bytes at ``offset`` or raise if truncated."""
        if offset + length > self.size:
            raise Inconclusive(
                f"truncated: {length} bytes wanted at offset {offset}, "
                f"file has {self.size}"
            )
        data = self.read_upto(offset, length)
        if len(data) != length:
            raise Inconclusive(f"short read at offset {offset}")
        return data
