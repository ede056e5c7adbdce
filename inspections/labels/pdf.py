"""PDF: the Info dictionary key ``/AIGC`` and the catalog's XMP stream.

The file is never read whole: the tail gives ``startxref``, cross-reference
tables are indexed by subsection headers and read entry by entry,
cross-reference and object streams are inflated under a cap, and objects
are parsed from bounded windows with a nesting cap.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from .evidence import Evidence
from .source import BoundedReader, BudgetExceeded, Inconclusive

TAIL_WINDOW = 64 * 1024
OBJECT_WINDOW = 256 * 1024
SCAN_WINDOW = 1024 * 1024
MAX_STREAM_BYTES = 8 * 1024 * 1024
MAX_INFLATED = 16 * 1024 * 1024
MAX_XREF_SECTIONS = 64
MAX_OBJECT_DEPTH = 64
_WHITESPACE = b"\x00\t\n\x0c\r "
_DELIMITERS = b"()<>[]{}/%"
_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)")
_REFERENCE_TAIL = re.compile(rb"\s+(\d+)\s+R(?![^\s()<>\[\]{}/%])")
_STREAM_KEYWORD = re.compile(rb"\s*stream\r?\n")
_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}


class Name(str):
    """A PDF name object (``/Type``), without the slash."""


@dataclass(frozen=True)
class Ref:
    """An indirect reference ``num gen R``."""

    number: int
    generation: int


class _Parser:
    """Parse PDF objects from an in-memory window."""

    def __init__(self, data: bytes, position: int = 0) -> None:
        self.data = data
        self.position = position

    def skip_space(self) -> None:
        data, position = self.data, self.position
        while position < len(data):
            byte = data[position]
            if byte in _WHITESPACE:
                position += 1
            elif byte == 0x25:  # % comment to end of line
                while position < len(data) and data[position] not in b"\r\n":
                    position += 1
            else:
                break
        self.position = position

    def keyword(self) -> bytes:
        self.skip_space()
        start = self.position
        while (
            self.position < len(self.data)
            and self.data[self.position] not in _WHITESPACE
            and self.data[self.position] not in _DELIMITERS
        ):
            self.position += 1
        return self.data[start : self.position]

    def parse(self, depth: int = 0) -> object:
        """Parse one object; nesting deeper than the cap is refused."""
        if depth > MAX_OBJECT_DEPTH:
            raise Inconclusive("pdf: object nesting too deep")
        self.skip_space()
        data = self.data
        if self.position >= len(data):
            raise Inconclusive("pdf: object runs past the read window")
        byte = data[self.position]
        if data.startswith(b"<<", self.position):
            self.position += 2
            result: dict[str, object] = {}
            while True:
                self.skip_space()
                if data.startswith(b">>", self.position):
                    self.position += 2
                    return result
                key = self.parse(depth + 1)
                if not isinstance(key, Name):
                    raise Inconclusive("pdf: dictionary key is not a name")
                result[key] = self.parse(depth + 1)
        if byte == 0x5B:  # [
            self.position += 1
            items: list[object] = []
            while True:
                self.skip_space()
                if data.startswith(b"]", self.position):
                    self.position += 1
                    return items
                items.append(self.parse(depth + 1))
        if byte == 0x28:  # (
            return self._literal_string()
        if byte == 0x3C:  # <
            end = data.find(b">", self.position)
            if end < 0:
                raise Inconclusive("pdf: unterminated hex string")
            digits = bytes(
                b for b in data[self.position + 1 : end] if b not in _WHITESPACE
            )
            self.position = end + 1
            if len(digits) % 2:
                digits += b"0"
            try:
                return bytes.fromhex(digits.decode("latin-1"))
            except ValueError as error:
                raise Inconclusive("pdf: bad hex string") from error
        if byte == 0x2F:  # /
            self.position += 1
            raw = self.keyword()
            return Name(
                re.sub(
                    rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw
                ).decode("latin-1")
            )
        match = _NUMBER.match(data, self.position)
        if match:
            self.position = match.end()
            text = match.group()
            if b"." in text:
                return float(text)
            number = int(text)
            # Look ahead for "gen R" to form an indirect reference.
            saved = self.position
            after = _REFERENCE_TAIL.match(data, saved)
            if after:
                self.position = after.end()
                return Ref(number, int(after.group(1)))
            return number
        word = self.keyword()
        if word in (b"true", b"false"):
            return word == b"true"
        if word == b"null":
            return None
        raise Inconclusive(f"pdf: unexpected token {word[:20]!r}")

    def _literal_string(self) -> bytes:
        data, position = self.data, self.position + 1
        out = bytearray()
        depth = 1
        while position < len(data):
            byte = data[position]
            if byte == 0x5C:  # backslash
                position += 1
                if position >= len(data):
                    break
                escape = data[position]
                if escape in _ESCAPES:
                    out += _ESCAPES[escape]
                    position += 1
                elif 0x30 <= escape <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", data[position : position + 3])
                    assert digits is not None
                    out.append(int(digits.group(), 8) & 0xFF)
                    position += len(digits.group())
                elif escape in b"\r\n":
                    position += 1
                    if escape == 0x0D and data[position : position + 1] == b"\n":
                        position += 1
                else:
                    position += 1
                continue
            if byte == 0x28:
                depth += 1
            elif byte == 0x29:
                depth -= 1
                if depth == 0:
                    self.position = position + 1
                    return bytes(out)
            out.append(byte)
            position += 1
        raise Inconclusive("pdf: unterminated literal string")


def decode_text_string(value: bytes) -> str:
    """Decode a PDF text string (UTF-16 with BOM, UTF-8 with BOM, or Latin-1)."""
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", errors="replace")
    if value.startswith(b"\xef\xbb\xbf"):
        return value[3:].decode("utf-8", errors="replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


@dataclass
class _XrefSection:
    """One cross-reference section: table subsections or a decoded stream."""

    table: list[tuple[int, int, int]]  # (first object, count, entry offset)
    stream_rows: bytes = b""
    widths: tuple[int, int, int] = (0, 0, 0)
    index: tuple[tuple[int, int], ...] = ()


class _Document:
    """Resolve objects of one PDF through its cross-reference chain."""

    def __init__(self, reader: BoundedReader, base: int) -> None:
        self.reader = reader
        self.base = base
        self.sections: list[_XrefSection] = []
        self.trailers: list[dict[str, object]] = []
        self._object_streams: dict[int, tuple[bytes, dict[int, int]]] = {}

    def load_xref_chain(self) -> None:
        size = self.reader.size
        tail = self.reader.read_upto(max(0, size - TAIL_WINDOW), TAIL_WINDOW)
        marker = tail.rfind(b"startxref")
        if marker < 0:
            raise Inconclusive("pdf: no startxref in the last 64 KiB")
        match = re.match(rb"startxref\s+(\d+)", tail[marker:])
        if not match:
            raise Inconclusive("pdf: unreadable startxref")
        pending = [int(match.group(1))]
        seen: set[int] = set()
        while pending:
            offset = pending.pop()
            if offset in seen:
                raise Inconclusive(f"pdf: cross-reference loop at {offset}")
            if len(seen) >= MAX_XREF_SECTIONS:
                raise Inconclusive("pdf: too many cross-reference sections")
            seen.add(offset)
            trailer = self._load_section(self.base + offset)
            self.trailers.append(trailer)
            for key in ("XRefStm", "Prev"):
                value = trailer.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    pending.append(value)

    def _load_section(self, offset: int) -> dict[str, object]:
        window = self.reader.read_upto(offset, OBJECT_WINDOW)
        if window.startswith(b"xref"):
            return self._load_table(offset, window)
        parser = _Parser(window)
        header = re.match(rb"\s*\d+\s+\d+\s+obj", window)
        if not header:
            raise Inconclusive(f"pdf: no cross-reference at offset {offset}")
        parser.position = header.end()
        dictionary = parser.parse()
        if not isinstance(dictionary, dict) or dictionary.get("Type") != "XRef":
            raise Inconclusive(f"pdf: no cross-reference at offset {offset}")
        data = self._stream_data(dictionary, offset, window, parser.position)
        widths = dictionary.get("W")
        if (
            not isinstance(widths, list)
            or len(widths) != 3
            or not all(isinstance(w, int) and 0 <= w <= 8 for w in widths)
        ):
            raise Inconclusive("pdf: bad /W in cross-reference stream")
        index = dictionary.get("Index") or [0, dictionary.get("Size", 0)]
        if not isinstance(index, list) or not all(isinstance(i, int) for i in index):
            raise Inconclusive("pdf: bad /Index in cross-reference stream")
        pairs = tuple(zip(index[0::2], index[1::2]))
        self.sections.append(_XrefSection([], data, tuple(widths), pairs))
        return dictionary

    def _load_table(self, offset: int, window: bytes) -> dict[str, object]:
        position = offset + 4
        table = []
        for _ in range(10_000):
            chunk = self.reader.read_upto(position, 256)
            match = re.match(rb"\s*(\d+)\s+(\d+)[ \t]*\r?\n?", chunk)
            if not match:
                break
            first, count = int(match.group(1)), int(match.group(2))
            entries = position + match.end()
            table.append((first, count, entries))
            position = entries + count * 20
        else:
            raise Inconclusive("pdf: too many cross-reference subsections")
        self.sections.append(_XrefSection(table))
        window = self.reader.read_upto(position, OBJECT_WINDOW)
        match = re.match(rb"\s*trailer", window)
        if not match:
            raise Inconclusive(f"pdf: no trailer after the table at {offset}")
        trailer = _Parser(window, match.end()).parse()
        if not isinstance(trailer, dict):
            raise Inconclusive("pdf: trailer is not a dictionary")
        return trailer

    def _locate(self, number: int) -> tuple[int, int, int] | None:
        """Return (type, field2, field3) for an object, newest section first."""
        for section in self.sections:
            for first, count, entries in section.table:
                if first <= number < first + count:
                    entry = self.reader.read_at(entries + (number - first) * 20, 20)
                    if entry[17:18] != b"n":
                        return None
                    return 1, int(entry[:10]), 0
            row = 0
            width = sum(section.widths)
            for first, count in section.index:
                if first <= number < first + count and width:
                    start = (row + number - first) * width
                    record = section.stream_rows[start : start + width]
                    if len(record) < width:
                        raise Inconclusive("pdf: cross-reference stream truncated")
                    fields, position = [], 0
                    for field_width in section.widths:
                        fields.append(
                            int.from_bytes(
                                record[position : position + field_width], "big"
                            )
                        )
                        position += field_width
                    kind = fields[0] if section.widths[0] else 1
                    return (kind, fields[1], fields[2]) if kind in (1, 2) else None
                row += count
        return None

    def resolve(self, value: object) -> object:
        """Follow an indirect reference (one level) to its object."""
        if not isinstance(value, Ref):
            return value
        return self.load_object(value.number)

    def load_object(self, number: int) -> object:
        location = self._locate(number)
        if location is None:
            return None
        kind, field2, field3 = location
        if kind == 2:
            return self._from_object_stream(field2, number)
        offset = self.base + field2
        window = self.reader.read_upto(offset, OBJECT_WINDOW)
        header = re.match(rb"\s*(\d+)\s+\d+\s+obj", window)
        if not header or int(header.group(1)) != number:
            raise Inconclusive(f"pdf: object {number} not at offset {offset}")
        parser = _Parser(window, header.end())
        value = parser.parse()
        parser.skip_space()
        if isinstance(value, dict) and window.startswith(b"stream", parser.position):
            return _Stream(
                value, self._stream_data(value, offset, window, parser.position)
            )
        return value

    def _stream_data(
        self, dictionary: dict[str, object], offset: int, window: bytes, position: int
    ) -> bytes:
        """Read and inflate a stream body that follows its dictionary."""
        match = _STREAM_KEYWORD.match(window, position)
        if not match:
            raise Inconclusive(f"pdf: stream keyword missing at {offset}")
        length = dictionary.get("Length")
        if isinstance(length, Ref):
            length = self.load_object(length.number)
        if not isinstance(length, int) or length < 0 or length > MAX_STREAM_BYTES:
            raise Inconclusive(f"pdf: stream length {length!r} at {offset}")
        data = self.reader.read_at(offset + match.end(), length)
        filters = dictionary.get("Filter")
        if isinstance(filters, Name):
            filters = [filters]
        if filters is not None and not isinstance(filters, list):
            raise Inconclusive(f"pdf: stream filter {filters!r}")
        for name in filters or []:
            if name != "FlateDecode":
                raise Inconclusive(f"pdf: unsupported stream filter {name}")
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, MAX_INFLATED + 1)
            except zlib.error as error:
                raise Inconclusive(f"pdf: bad compressed stream ({error})") from error
            if len(data) > MAX_INFLATED:
                raise Inconclusive("pdf: stream inflates past the cap")
        parameters = dictionary.get("DecodeParms")
        if isinstance(parameters, dict) and parameters.get("Predictor", 1) >= 10:
            columns = parameters.get("Columns", 1)
            if not isinstance(columns, int) or columns <= 0:
                raise Inconclusive("pdf: bad predictor columns")
            data = _undo_png_predictor(data, columns)
        return data

    def _from_object_stream(self, stream_number: int, number: int) -> object:
        if stream_number not in self._object_streams:
            stream = self.load_object(stream_number)
            if not isinstance(stream, _Stream):
                raise Inconclusive(f"pdf: object stream {stream_number} missing")
            first = stream.dictionary.get("First")
            count = stream.dictionary.get("N")
            if not isinstance(first, int) or not isinstance(count, int):
                raise Inconclusive("pdf: object stream without /First or /N")
            numbers = re.findall(rb"\d+", stream.data[:first])
            offsets = {
                int(numbers[i]): first + int(numbers[i + 1])
                for i in range(0, min(len(numbers) - 1, 2 * count), 2)
            }
            self._object_streams[stream_number] = (stream.data, offsets)
        data, offsets = self._object_streams[stream_number]
        if number not in offsets:
            return None
        return _Parser(data, offsets[number]).parse()


@dataclass
class _Stream:
    dictionary: dict[str, object]
    data: bytes


def _undo_png_predictor(data: bytes, columns: int) -> bytes:
    """Undo the PNG "Up" family predictors used by cross-reference streams."""
    rows, previous = [], bytearray(columns)
    for start in range(0, len(data) - columns, columns + 1):
        kind, row = data[start], bytearray(data[start + 1 : start + 1 + columns])
        if kind == 2:
            for i in range(columns):
                row[i] = (row[i] + previous[i]) & 0xFF
        elif kind != 0:
            raise Inconclusive(f"pdf: unsupported PNG predictor {kind}")
        rows.append(bytes(row))
        previous = row
    return b"".join(rows)


def parse_pdf(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the Info dictionary and XMP of a PDF."""
    evidence.format = "pdf"
    base = reader.read_upto(0, 1024).find(b"%PDF-")
    document = _Document(reader, max(base, 0))
    try:
        document.load_xref_chain()
        _collect_from_document(evidence, document)
    except BudgetExceeded:
        raise
    except Inconclusive as error:
        # Show what a plain scan finds, but the verdict stays inconclusive.
        _scan_windows(evidence, reader)
        raise Inconclusive(error.reason) from error


def _collect_from_document(evidence: Evidence, document: _Document) -> None:
    trailer = next((t for t in document.trailers if "Info" in t or "Root" in t), {})
    if any("Encrypt" in t for t in document.trailers):
        raise Inconclusive("pdf: encrypted; Info strings cannot be read")
    info = document.resolve(
        next((t["Info"] for t in document.trailers if "Info" in t), None)
    )
    if isinstance(info, dict):
        for key, value in info.items():
            value = document.resolve(value)
            if not isinstance(value, bytes):
                continue
            text = decode_text_string(value)
            if key == "AIGC":
                evidence.add_site("pdf:Info/AIGC", text)
            else:
                evidence.add_text_candidate(f"pdf:Info/{key}", text)
    root = document.resolve(trailer.get("Root"))
    if isinstance(root, dict):
        metadata = document.resolve(root.get("Metadata"))
        if isinstance(metadata, _Stream):
            evidence.add_xmp(metadata.data, "pdf:Metadata")


def _scan_windows(evidence: Evidence, reader: BoundedReader) -> None:
    """Find ``/AIGC (...)`` in the head and tail windows of a broken PDF."""
    head = reader.read_upto(0, SCAN_WINDOW)
    tail_start = max(len(head), reader.size - SCAN_WINDOW)
    for base, window in (
        (0, head),
        (tail_start, reader.read_upto(tail_start, SCAN_WINDOW)),
    ):
        for match in re.finditer(rb"/AIGC\s*(?=[(<])", window):
            try:
                value = _Parser(window, match.end()).parse()
            except Inconclusive:
                continue
            if isinstance(value, bytes):
                evidence.add_site(
                    f"pdf:scan@{base + match.start()}", decode_text_string(value)
                )
