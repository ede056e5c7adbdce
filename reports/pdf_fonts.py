"""
Each stored PDF carries only the glyphs it shows.

WeasyPrint subsets a font once per laid-out document and keeps the glyph
ids (HB_SUBSET_FLAGS_RETAIN_GIDS): a Noto CJK subset still has a slot for
each of the font's 65,000 glyphs, 0.5–0.8 MB before compression and
100–200 KB after, even for a page of text; and a document split from a
batch carries the glyphs of every notice of its chunk. `compact_fonts`
subsets each embedded font of one split document again, with HarfBuzz (a
millisecond a font), to the glyphs its pages and forms show:

- a CID-keyed CFF font (Noto CJK, FontFile3 /OpenType) without the empty
  slots: its charset keeps each glyph's CID, which is the code the pages
  show (Identity-H), so nothing else in the file changes;
- any other font (TrueType, a name-keyed CFF) keeping the glyph ids,
  because there the code is the glyph id.

A font it does not understand is left as it is.
"""

from __future__ import annotations

import functools
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

# The PDF operators that matter here, in the order they occur. WeasyPrint
# shows text as hex strings in TJ arrays; any literal string "(...)" sends
# the stream to qpdf's parser instead.
_TOKENS = re.compile(
    rb"/([^\s/<>\[\]()%]+)\s+[-+.\d]+\s+Tf"  # font selection
    rb"|\[([^\]]*)\]\s*TJ"  # shown text, with kerning
    rb"|<([0-9A-Fa-f\s]*)>\s*Tj"  # shown text
    rb"|/([^\s/<>\[\]()%]+)\s+Do"  # a form or an image
)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")

# hb-subset.h
RETAIN_GIDS = 0x2


@functools.cache
def _harfbuzz():
    """HarfBuzz's subsetter (the library WeasyPrint subsets with), through cffi."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("""
        typedef struct hb_blob_t hb_blob_t;
        typedef struct hb_face_t hb_face_t;
        typedef struct hb_set_t hb_set_t;
        typedef struct hb_subset_input_t hb_subset_input_t;
        typedef uint32_t hb_codepoint_t;
        hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data,
                                  void *destroy);
        void hb_blob_destroy(hb_blob_t *blob);
        const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
        hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
        void hb_face_destroy(hb_face_t *face);
        hb_blob_t *hb_face_reference_blob(hb_face_t *face);
        hb_subset_input_t *hb_subset_input_create_or_fail(void);
        void hb_subset_input_destroy(hb_subset_input_t *input);
        hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
        hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
        void hb_set_clear(hb_set_t *set);
        void hb_set_add_sorted_array(hb_set_t *set, const hb_codepoint_t *sorted_codepoints,
                                     unsigned int num_codepoints);
        void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
        hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
    """)
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        return None
    # The names WeasyPrint's loader tries; the one it found is already mapped.
    for name in ("libharfbuzz-subset.so.0", "harfbuzz-subset", "libharfbuzz-subset-0",
                 "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"):
        try:
            return ffi, ffi.dlopen(name)
        except OSError:
            continue
    return None


def subset_font(data: bytes, glyphs: list[int], *, retain_gids: bool) -> bytes | None:
    """`data` (an OpenType or TrueType font) cut to `glyphs`, or None when HarfBuzz cannot."""
    loaded = _harfbuzz()
    if loaded is None:
        return None
    ffi, hb = loaded
    # HB_MEMORY_MODE_READONLY: HarfBuzz reads `data` in place, while `data` lives.
    blob = hb.hb_blob_create(data, len(data), 1, ffi.NULL, ffi.NULL)
    face = hb.hb_face_create(blob, 0)
    request = hb.hb_subset_input_create_or_fail()
    result = None
    try:
        if request == ffi.NULL:
            return None
        # Glyphs only: no glyph comes along for its Unicode value.
        hb.hb_set_clear(hb.hb_subset_input_unicode_set(request))
        wanted = sorted(set(glyphs) | {0})
        hb.hb_set_add_sorted_array(hb.hb_subset_input_glyph_set(request),
                                   ffi.new("hb_codepoint_t[]", wanted), len(wanted))
        hb.hb_subset_input_set_flags(request, RETAIN_GIDS if retain_gids else 0)
        subset = hb.hb_subset_or_fail(face, request)
        if subset == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(subset)
        length = ffi.new("unsigned int *")
        result = bytes(ffi.buffer(hb.hb_blob_get_data(out, length), length[0])) or None
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(subset)
    finally:
        if request != ffi.NULL:
            hb.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
    return result


def _index_end(data: bytes, offset: int) -> tuple[int, int, int]:
    """A CFF INDEX at `offset`: (offset of its data, offset size, end)."""
    count = struct.unpack_from(">H", data, offset)[0]
    if count == 0:
        return offset + 2, 0, offset + 2
    size = data[offset + 2]
    offsets = offset + 3
    last = int.from_bytes(data[offsets + count * size:offsets + (count + 1) * size], "big")
    start = offsets + (count + 1) * size - 1
    return start, size, start + last


def _cff_table(data: bytes) -> tuple[int, int] | None:
    """Where the CFF table of an OpenType font lies: (offset, length)."""
    if data[:4] != b"OTTO":
        return None
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"CFF ":
            return offset, length
    return None


def is_cid_keyed_cff(data: bytes) -> bool:
    """True when `data` is an OpenType font whose CFF is CID-keyed (its Top DICT starts with ROS)."""
    try:
        found = _cff_table(data)
        if found is None:
            return False
        offset = found[0]
        header_size = data[offset + 2]
        _names, _size, after_names = _index_end(data, offset + header_size)
        start, size, _end = _index_end(data, after_names)
        if size == 0:
            return False
        top = start + int.from_bytes(data[after_names + 3:after_names + 3 + size], "big")
        # Skip the operands to the first operator (CFF spec, table 3).
        position = top
        while True:
            b0 = data[position]
            if b0 == 12:
                return data[position + 1] == 30  # ROS
            if b0 <= 21:
                return False
            if b0 == 28:
                position += 3
            elif b0 == 29:
                position += 5
            elif b0 == 30:
                position += 1
                while data[position] & 0x0F != 0x0F and data[position] >> 4 != 0x0F:
                    position += 1
                position += 1
            elif b0 >= 247:
                position += 2
            else:
                position += 1
    except (IndexError, struct.error):
        return False


def _codes(shown: list[bytes]) -> set[int]:
    """The two-byte codes (Identity-H) of hex strings."""
    # An odd number of digits ends in an implied 0 (PDF 7.3.4.3); fromhex skips whitespace.
    raw = bytes.fromhex(b"".join(s + b"0" if len(s) % 2 else s for s in shown).decode())
    return set(struct.unpack(f">{len(raw) // 2}H", raw[:len(raw) // 2 * 2]))


def _shown_by_parser(content, resources, used: dict, visit) -> None:
    import pikepdf

    font = None
    for instruction in pikepdf.parse_content_stream(content):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, name = instruction.operands, str(instruction.operator)
        if name == "Tf":
            font = resources.get("/Font", {}).get(operands[0])
        elif name in ("TJ", "Tj", "'", '"'):
            shown = operands[0] if name == "TJ" else [operands[-1]]
            codes = used.setdefault(font.objgen, (font, set()))[1] if font is not None else set()
            for item in shown:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    codes.update(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2))
        elif name == "Do":
            visit(operands[0])


def _collect(content, resources, used: dict, seen: set, drawn: dict) -> None:
    """
    Add the codes each Type0 font of `content` (a page or form) shows to
    `used`, forms included, and the names of the images and forms it draws
    to `drawn` (by the resource dictionary they are named in).
    """
    if resources is None:
        return
    # A direct dictionary (a form's own) belongs to this content alone.
    key = resources.objgen if resources.is_indirect else ("direct", len(drawn))
    names = drawn.setdefault(key, (resources, set()))[1]

    def visit(name) -> None:
        name = str(name)
        names.add(name)
        xobject = resources.get("/XObject", {}).get(name)
        if xobject is not None and xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _collect(xobject, xobject.get("/Resources", resources), used, seen, drawn)

    import pikepdf

    if isinstance(content, pikepdf.Page):  # its contents: one stream or several
        streams = content.obj.get("/Contents")
        if streams is None:
            return
        parts = streams if isinstance(streams, pikepdf.Array) else [streams]
        data = b"\n".join(part.read_bytes() for part in parts)
    else:
        data = content.read_bytes()
    if b"(" in data:
        _shown_by_parser(content, resources, used, visit)
        return
    fonts = resources.get("/Font", {})
    shown: dict[bytes, list[bytes]] = {}
    current: list[bytes] | None = None
    for match in _TOKENS.finditer(data):
        font_name, array, single, form = match.groups()
        if font_name is not None:
            current = shown.setdefault(font_name, [])
        elif form is not None:
            visit("/" + form.decode())
        elif current is not None:
            current.extend(_HEX.findall(array) if array is not None else [single])
    for font_name, strings in shown.items():
        font = fonts.get("/" + font_name.decode())
        if font is not None and strings:
            used.setdefault(font.objgen, (font, set()))[1].update(_codes(strings))


@dataclass(frozen=True)
class _Program:
    """An embedded font program: its bytes, and how the codes the pages show find its glyphs."""

    data: bytes
    cid_keyed: bool
    # code (CID) -> glyph id, for a program this module cut; None: the code is the glyph id.
    glyph_of: dict[int, int] | None = None

    def glyphs(self, codes: set[int]) -> list[int]:
        if self.glyph_of is None:
            return sorted(codes)
        return sorted(self.glyph_of[code] for code in codes if code in self.glyph_of)


# The programs met last, by their stored bytes: every document split from
# one bundle carries the same ones, inflated and examined once.
_programs: dict[bytes, _Program] = {}


def _program(stream) -> _Program:
    raw = stream.read_raw_bytes()
    found = _programs.pop(raw, None)
    if found is None:
        data = stream.read_bytes()
        found = _Program(data, stream.get("/Subtype") == "/OpenType" and is_cid_keyed_cff(data))
    _remember(raw, found)
    return found


def _remember(raw: bytes, program: _Program) -> None:
    """Keep `program` as the most recently used (the least recently used go beyond 8)."""
    _programs[raw] = program
    while len(_programs) > 8:
        del _programs[next(iter(_programs))]


def _sfnt(data: bytes | None, table: bytes) -> bool:
    """True when `data` is a font file with a `table` (HarfBuzz makes an empty one of what it cannot read)."""
    if not data or data[:4] not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
        return False
    count = struct.unpack_from(">H", data, 4)[0]
    return any(data[12 + 16 * i:16 + 16 * i] == table for i in range(count))


def _cid_glyphs(data: bytes) -> dict[int, int]:
    """CID -> glyph id of a CID-keyed CFF OpenType font, from its charset (fontTools names glyphs cidNNNNN)."""
    import io

    from fontTools.ttLib import TTFont

    order = TTFont(io.BytesIO(data), lazy=True).getGlyphOrder()
    return {int(name[3:]): glyph for glyph, name in enumerate(order) if name.startswith("cid") and name[3:].isdigit()}


def compact_fonts(pdf: pikepdf.Pdf, *, bundle: bool = False) -> None:
    """
    Cut every embedded Type0 font of `pdf` to the glyphs its pages and forms
    show (in place). A `bundle` cut first and then split is cut again per
    document from its small programs, which is quicker: its programs are
    kept (the last few) for the documents split from it.
    """
    import pikepdf

    used: dict = {}
    seen: set = set()
    drawn: dict = {}
    for page in pdf.pages:
        _collect(page, page.obj.get("/Resources"), used, seen, drawn)
    # WeasyPrint names every image of a bundle (each notice's QR code, the
    # seal) in one resource dictionary that all its pages share.
    for resources, names in drawn.values():
        xobjects = resources.get("/XObject")
        if xobjects is not None:
            for name in [key for key in xobjects.keys() if key not in names]:
                del xobjects[name]
    for font, codes in used.values():
        if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H" or not codes:
            continue
        descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        if descriptor is None:
            continue
        key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
        if key is None:
            continue
        stream = descriptor[key]
        program = _program(stream)
        glyphs = program.glyphs(codes)
        smaller = subset_font(program.data, glyphs, retain_gids=not program.cid_keyed)
        if smaller is None or not _sfnt(smaller, b"CFF " if key == "/FontFile3" else b"glyf") \
                or len(smaller) >= len(program.data):
            continue
        glyph_of = None
        if program.cid_keyed and bundle:
            # Renumbered glyphs: the charset keeps each one's CID (the code
            # the pages show), and the documents split from the bundle find
            # their glyphs by it. Every code must still find its glyph.
            glyph_of = _cid_glyphs(smaller)
            if not codes <= glyph_of.keys():
                continue
        if program.cid_keyed:
            # The bare CFF (PDF 9.9, FontFile3 /CIDFontType0C): every reader
            # finds a CID's glyph through the charset of a CID-keyed CFF,
            # whereas inside an OpenType wrapper some (poppler) take the code
            # for the glyph id. No hmtx or vmtx either: widths are in /W.
            offset, length = _cff_table(smaller) or (0, len(smaller))
            stored = smaller[offset:offset + length]
            replacement = pikepdf.Stream(pdf, stored)
            replacement.Subtype = pikepdf.Name.CIDFontType0C
        else:
            stored = smaller
            replacement = pikepdf.Stream(pdf, stored)
            if "/Subtype" in stream:
                replacement.Subtype = stream.Subtype
            if key == "/FontFile2":
                replacement.Length1 = len(stored)
        descriptor[key] = replacement
        if bundle:
            # A copy of this font in a document split from `pdf` is found
            # again by its bytes, and cut from the OpenType program.
            _remember(stored, _Program(smaller, program.cid_keyed, glyph_of))
