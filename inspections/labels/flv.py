"""FLV: key ``AIGC`` of the ``onMetaData`` script data tag (AMF0).

PG-20257A puts the label under the ``onMetaData`` key ``AIGC`` as an AMF0
string (or long string) holding the JSON. Tags are walked from the header:
script data is read and decoded, audio and video payloads are skipped
unread. Writers put ``onMetaData`` at the head of the file, so the walk
stops at the first audio or video tag after it (as ExifTool does); a file
without one is walked to its end.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import Any

from .evidence import Evidence
from .source import MAX_ELEMENTS, MAX_NESTING_DEPTH, BoundedReader, Inconclusive

MAX_SCRIPT_TAG = 8 * 1024 * 1024
TAG_AUDIO, TAG_VIDEO, TAG_SCRIPT = 8, 9, 18
METADATA = "onMetaData"

# AMF0 type markers (Adobe AMF0 specification, section 2.1).
_NUMBER, _BOOLEAN, _STRING, _OBJECT = 0x00, 0x01, 0x02, 0x03
_NULL, _UNDEFINED, _REFERENCE, _ECMA_ARRAY = 0x05, 0x06, 0x07, 0x08
_OBJECT_END, _STRICT_ARRAY, _DATE, _LONG_STRING = 0x09, 0x0A, 0x0B, 0x0C
_UNSUPPORTED, _XML_DOCUMENT, _TYPED_OBJECT = 0x0D, 0x0F, 0x10


class AmfError(ValueError):
    """Raised when AMF0 data is cut short or uses a type not decoded here."""


class Amf0Reader:
    """Decode AMF0 values from bytes, reporting each object property.

    ``on_property(path, key, value)`` is called as soon as a property is
    decoded, so what came before a bad value is kept.
    """

    def __init__(
        self, data: bytes, on_property: Callable[[str, str, Any], None]
    ) -> None:
        self.data = data
        self.position = 0
        self.on_property = on_property
        self.count = 0

    def _take(self, length: int) -> bytes:
        end = self.position + length
        if end > len(self.data):
            raise AmfError(f"AMF0 data cut short at byte {self.position}")
        chunk = self.data[self.position : end]
        self.position = end
        return chunk

    def _string(self, length_size: int) -> str:
        (length,) = struct.unpack(
            ">H" if length_size == 2 else ">I", self._take(length_size)
        )
        return self._take(length).decode("utf-8", errors="replace")

    def value(self, path: str, depth: int = 0) -> Any:
        """Decode the next value; objects become dicts (the last key wins)."""
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise AmfError("too many AMF0 values")
        if depth > MAX_NESTING_DEPTH:
            raise AmfError("AMF0 nesting too deep")
        marker = self._take(1)[0]
        if marker == _NUMBER:
            return struct.unpack(">d", self._take(8))[0]
        if marker == _BOOLEAN:
            return self._take(1)[0] != 0
        if marker == _STRING:
            return self._string(2)
        if marker in (_LONG_STRING, _XML_DOCUMENT):
            return self._string(4)
        if marker in (_NULL, _UNDEFINED, _UNSUPPORTED):
            return None
        if marker == _REFERENCE:
            self._take(2)  # an index into earlier objects; not resolved
            return None
        if marker == _DATE:
            milliseconds = struct.unpack(">d", self._take(8))[0]
            self._take(2)  # time zone, reserved
            return milliseconds
        if marker == _ECMA_ARRAY:
            self._take(4)  # the count is only a hint
            return self._properties(path, depth)
        if marker == _OBJECT:
            return self._properties(path, depth)
        if marker == _TYPED_OBJECT:
            self._string(2)  # class name
            return self._properties(path, depth)
        if marker == _STRICT_ARRAY:
            (count,) = struct.unpack(">I", self._take(4))
            if count > len(self.data) - self.position:
                raise AmfError(f"AMF0 strict array of {count} values")
            return [self.value(f"{path}[{index}]", depth + 1) for index in range(count)]
        raise AmfError(f"unsupported AMF0 type 0x{marker:02x}")

    def _properties(self, path: str, depth: int) -> dict[str, Any]:
        """Decode properties up to the end marker (or the end of the data)."""
        result: dict[str, Any] = {}
        while self.position < len(self.data):
            key = self._string(2)
            at_end = self.position >= len(self.data)
            if not key and (at_end or self.data[self.position] == _OBJECT_END):
                self.position += 1
                return result
            value = self.value(f"{path}/{key}", depth + 1)
            self.on_property(path, key, value)
            result[key] = value
        return result  # some writers omit the end marker of the last array


class _ScriptCollector:
    """Turn the properties of script data tags into sites."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.labels = 0

    def on_property(self, path: str, key: str, value: Any) -> None:
        where = f"flv:{path}:{key}"
        if key.upper() != "AIGC":
            if isinstance(value, str):
                self.evidence.add_text_candidate(where, value)
            return
        self.labels += 1
        if self.labels > 1:
            where += f"#{self.labels}"
        # Only a string under onMetaData's own AIGC key is the named place.
        standard = path == METADATA and key == "AIGC" and isinstance(value, str)
        if isinstance(value, str):
            self.evidence.add_site(where, value, standard=standard)
        elif isinstance(value, dict):
            # An AMF0 object with the fields, not the JSON text the guide names.
            raw = json.dumps(value, ensure_ascii=False, default=str)
            self.evidence.add_site(where, raw, standard=False, parsed=value)
        else:
            raw = json.dumps(value, ensure_ascii=False, default=str)
            self.evidence.add_site(where, raw, standard=False)

    def collect(self, data: bytes, offset: int) -> bool:
        """Decode one script data tag; return True if it is onMetaData."""
        amf = Amf0Reader(data, self.on_property)
        try:
            name = amf.value("")
            if name == "@setDataFrame":  # the RTMP form, kept by some recorders
                name = amf.value("")
            if not isinstance(name, str):
                raise AmfError("the script data does not start with a name")
            if amf.position < len(data):
                amf.value(name)
        except AmfError as error:
            # The verdict cannot be firm now, so reading on would not help.
            self.evidence.add_problem(f"flv: {error} in the script tag at {offset}")
            return True
        return name == METADATA


def parse_flv(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from the script data tags of an FLV file."""
    evidence.format = "flv"
    header = reader.read_at(0, 9)
    if header[:3] != b"FLV" or header[3] != 1:
        raise Inconclusive(f"flv: unsupported version {header[3]}")
    (data_offset,) = struct.unpack(">I", header[5:9])
    if data_offset < 9 or data_offset > reader.size:
        raise Inconclusive(f"flv: header size {data_offset}")
    collector = _ScriptCollector(evidence)
    offset = data_offset + 4  # PreviousTagSize0
    seen_metadata = False
    for index in range(MAX_ELEMENTS):
        if offset >= reader.size:
            if index == 0:
                raise Inconclusive("flv: no tags")
            return
        head = reader.read_at(offset, 11)
        tag_type, encrypted = head[0] & 0x1F, head[0] & 0x20
        size = int.from_bytes(head[1:4], "big")
        start = offset + 11
        if start + size > reader.size:
            raise Inconclusive(f"flv: tag at {offset} runs past the end")
        if tag_type == TAG_SCRIPT:
            if encrypted:
                evidence.add_problem(f"flv: encrypted script tag at {offset}")
            elif size > MAX_SCRIPT_TAG:
                raise Inconclusive(f"flv: {size}-byte script tag")
            else:
                data = reader.read_at(start, size)
                seen_metadata = collector.collect(data, offset) or seen_metadata
        elif tag_type in (TAG_AUDIO, TAG_VIDEO):
            if seen_metadata:
                return
        else:
            raise Inconclusive(f"flv: unknown tag type {tag_type} at {offset}")
        offset = start + size + 4  # PreviousTagSize
    raise Inconclusive("flv: too many tags")
