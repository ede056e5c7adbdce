"""Explicit labels on images (GB 45438 clause 5.2; rules EXP-01, EXP-04, EXP-08).

The image is read by local OCR (``ocr.py``). A line holding the AI element
and the generation element close together is a label; a line with one of
them next to a line with the other (a prompt broken over two lines) is one
too. For each label the checker measures, on the original pixels:

* the glyph height: the rows of the label's box that carry ink (the text
  colour, split from the background by Otsu's threshold; a pixel at least
  a third of the way from the background to the text counts), as a share
  of the image's shortest side (EXP-04 under ``MIN_HEIGHT_RATIO``, 5 %,
  even with one pixel added for the anti-aliased edges);
* the contrast of the text against the background around it, with the
  WCAG 2 formula (L1 + 0.05) / (L2 + 0.05) on the relative luminance of
  the two colours (EXP-08 under ``MIN_CONTRAST``, 3:1, WCAG 2's minimum
  for large text, which a label of 5 % of the shortest side always is);
* where it stands (a corner, an edge or the centre).

Evidence: a PNG crop of each label, and a small overview with the boxes.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from typing import Any

from ..source import Inconclusive
from .result import FOUND, IMAGE, MISSING, EvidenceFile, ExplicitResult, Mark
from .text import ocr_elements

MIN_HEIGHT_RATIO = 0.05
MIN_CONTRAST = 3.0
MAX_PIXELS = 40_000_000
OVERVIEW_SIDE = 640
CROP_MAX_SIDE = 1200
REREAD_BELOW_PX = 40
# Anti-aliased edges make the measured height up to about a pixel short of
# the drawn one: EXP-04 is filed only when the label is short even with
# that pixel added (the doubt goes to the enterprise).
HEIGHT_TOLERANCE_PX = 1


@dataclass
class LabelCandidate:
    """A prompt read on an image or a frame, with its measurements."""

    text: str
    box: tuple[int, int, int, int]
    score: float
    conforming: bool  # both elements present
    height_px: int = 0
    height_ratio: float = 0.0
    contrast: float | None = None
    where: str = ""

    def to_mark(self, **times: float | None) -> Mark:
        return Mark(kind="text", text=self.text, where=self.where,
                    height_ratio=self.height_ratio, contrast=self.contrast,
                    box=self.box, conforming=self.conforming, **times)


@dataclass
class FrameLabels:
    """What OCR found on one picture: the label candidates and every line read."""

    candidates: list[LabelCandidate] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    width: int = 0
    height: int = 0

    @property
    def best(self) -> LabelCandidate | None:
        """The most prominent conforming label, if any."""
        conforming = [c for c in self.candidates if c.conforming]
        return max(conforming, key=lambda c: (c.height_ratio, c.contrast or 0), default=None)


def _heif_opener() -> None:
    """Let Pillow open HEIF (HEVC-coded) images: libheif ships in the pillow-heif wheel."""
    from pillow_heif import register_heif_opener

    # Once per process; the decoder runs single-threaded like the OCR.
    register_heif_opener(thumbnails=False, decode_threads=1)


def decode_image(source: Any) -> Any:
    """The first frame of an image as an RGB numpy array (alpha over white)."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    _heif_opener()
    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        with Image.open(handle) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Inconclusive(f"image of {width}x{height} pixels is too large to read")
            image.seek(0)
            if image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info
            ):
                rgba = image.convert("RGBA")
                canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                canvas.alpha_composite(rgba)
                rgb = canvas.convert("RGB")
            else:
                rgb = image.convert("RGB")
            return np.asarray(rgb)
    except (UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise Inconclusive(f"the image cannot be decoded ({type(error).__name__})") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise Inconclusive(f"the image cannot be decoded: {error}"[:200]) from error


def _luminance(rgb: Any) -> Any:
    """WCAG relative luminance of sRGB colours (array of ... x 3, 0-255)."""
    import numpy as np

    channel = np.asarray(rgb, dtype=np.float64) / 255.0
    linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(first: Any, second: Any) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    light, dark = sorted((float(_luminance(first)), float(_luminance(second))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _otsu(values: Any) -> float:
    import numpy as np

    histogram = np.bincount(values.astype(np.uint8).ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 127.0
    levels = np.arange(256)
    weight_low = np.cumsum(histogram)
    weight_high = total - weight_low
    mean_low = np.cumsum(histogram * levels)
    mean_total = mean_low[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_total * weight_low - mean_low * total) ** 2 / (weight_low * weight_high)
    between = np.nan_to_num(between)
    return float(np.argmax(between))


def _dilate_rows(mask: Any) -> Any:
    """The mask grown by one pixel up and down (edges of strokes next to ink)."""
    import numpy as np

    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    return np.asarray(grown)


def measure(rgb: Any, box: tuple[int, int, int, int]) -> tuple[int, float | None]:
    """Glyph height (ink rows, px) and WCAG contrast of the text in ``box``."""
    import numpy as np

    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 4)
    region = rgb[max(0, y0 - pad) : min(height, y1 + pad), x0:x1]
    if region.size == 0:
        return 0, None
    gray = region.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    threshold = _otsu(gray)
    dark = gray <= threshold
    # The text is the smaller class: the box is mostly background.
    ink = dark if dark.sum() <= dark.size / 2 else ~dark
    if ink.sum() == 0 or ink.all():
        return 0, None
    # Rows of the glyphs: a pixel a third of the way from the background to
    # the text counts, so the anti-aliased edges of the strokes are included.
    ink_level, background_level = float(np.median(gray[ink])), float(np.median(gray[~ink]))
    soft = np.abs(gray - background_level) >= abs(ink_level - background_level) / 3
    rows = (soft & _dilate_rows(ink)).sum(axis=1) >= 1
    tolerance = max(2, int(0.15 * (y1 - y0)))
    runs: list[list[int]] = []
    for index in np.flatnonzero(rows):
        if runs and index - runs[-1][1] <= tolerance:
            runs[-1][1] = int(index)
        else:
            runs.append([int(index), int(index)])
    centre = (y0 + y1) / 2 - max(0, y0 - pad)
    touching = [run for run in runs if run[0] - tolerance <= centre <= run[1] + tolerance]
    run = max(touching or runs, key=lambda r: r[1] - r[0])
    glyph_height = run[1] - run[0] + 1
    # Colours: the text's most extreme half against the background's median.
    background = np.median(region[~ink], axis=0)
    ink_pixels = region[ink].astype(np.float64)
    distance = np.abs(ink_pixels - background).sum(axis=1)
    core = ink_pixels[distance >= np.median(distance)]
    foreground = np.median(core if len(core) else ink_pixels, axis=0)
    return glyph_height, contrast_ratio(foreground, background)


def where_in(box: tuple[int, int, int, int], width: int, height: int) -> str:
    """Name the ninth of the picture the box's centre is in."""
    cx, cy = (box[0] + box[2]) / 2 / max(1, width), (box[1] + box[3]) / 2 / max(1, height)
    row = "top" if cy < 1 / 3 else "bottom" if cy > 2 / 3 else "middle"
    column = "left" if cx < 1 / 3 else "right" if cx > 2 / 3 else "center"
    if row == "middle" and column == "center":
        return "center"
    return f"{row}-{column}"


def _union(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, int, int, int]:
    return (min(first[0], second[0]), min(first[1], second[1]),
            max(first[2], second[2]), max(first[3], second[3]))


def find_labels(rgb: Any) -> FrameLabels:
    """OCR one picture and measure every label candidate on it."""
    from .ocr import read_lines, reread

    height, width = rgb.shape[:2]
    lines = []
    for line in read_lines(rgb):
        has_ai, has_synthesis, paired = ocr_elements(line.text)
        if (has_ai or has_synthesis) and not paired and line.box[3] - line.box[1] < REREAD_BELOW_PX:
            # A small line with one element may be a misread label ("A生成"):
            # read it again, enlarged.
            again = [other for other in reread(rgb, line.box) if ocr_elements(other.text)[2]]
            if again:
                lines.extend(again)
                continue
        lines.append(line)
    found = FrameLabels(lines=[line.text for line in lines], width=width, height=height)
    partial = []
    for line in lines:
        has_ai, has_synthesis, paired = ocr_elements(line.text)
        if paired:
            found.candidates.append(LabelCandidate(line.text, line.box, line.score, True))
        elif has_ai or has_synthesis:
            partial.append((line, has_ai))
    used: set[int] = set()
    for i, (first, first_ai) in enumerate(partial):
        for j, (second, second_ai) in enumerate(partial):
            if j <= i or first_ai == second_ai or i in used or j in used:
                continue
            line_height = max(first.box[3] - first.box[1], second.box[3] - second.box[1])
            vertical_gap = max(second.box[1] - first.box[3], first.box[1] - second.box[3])
            overlap = min(first.box[2], second.box[2]) - max(first.box[0], second.box[0])
            horizontal_gap = max(second.box[0] - first.box[2], first.box[0] - second.box[2])
            stacked = vertical_gap <= 1.5 * line_height and overlap > 0
            side_by_side = (horizontal_gap <= 2 * line_height
                            and min(first.box[3], second.box[3])
                            - max(first.box[1], second.box[1]) > 0.5 * line_height)
            if stacked or side_by_side:
                ordered = sorted((first, second), key=lambda line: (line.box[1], line.box[0]))
                found.candidates.append(LabelCandidate(
                    " ".join(line.text for line in ordered), _union(first.box, second.box),
                    min(first.score, second.score), True))
                used.update((i, j))
    for i, (line, _has_ai) in enumerate(partial):
        if i not in used:
            found.candidates.append(LabelCandidate(line.text, line.box, line.score, False))
    shortest = min(width, height)
    for candidate in found.candidates:
        candidate.height_px, candidate.contrast = measure(rgb, candidate.box)
        candidate.height_ratio = candidate.height_px / max(1, shortest)
        candidate.where = where_in(candidate.box, width, height)
    return found


def png_bytes(rgb: Any, *, max_side: int = CROP_MAX_SIDE) -> bytes:
    """Encode an RGB array as PNG, scaled down to ``max_side``."""
    from PIL import Image

    image = Image.fromarray(rgb)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()


def crop(rgb: Any, box: tuple[int, int, int, int]) -> Any:
    """The box with a margin of half its height around it."""
    height, width = rgb.shape[:2]
    margin = max(4, (box[3] - box[1]) // 2)
    return rgb[max(0, box[1] - margin) : min(height, box[3] + margin),
               max(0, box[0] - margin) : min(width, box[2] + margin)]


def overview_png(rgb: Any, boxes: list[tuple[tuple[int, int, int, int], bool]]) -> bytes:
    """A small copy of the picture with each label's box drawn (red: failing)."""
    from PIL import Image, ImageDraw

    image = Image.fromarray(rgb)
    scale = min(1.0, OVERVIEW_SIDE / max(image.size))
    if scale < 1.0:
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    draw = ImageDraw.Draw(image)
    for box, good in boxes:
        x0, y0, x1, y1 = (round(v * scale) for v in box)
        draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), outline=(0, 170, 0) if good else (220, 0, 0),
                       width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def judge(found: FrameLabels, *, subject: str = "image") -> tuple[list[Mark], list, LabelCandidate | None]:
    """Marks and EXP-01/04/08 findings for one picture's labels."""
    from ..result import Finding

    marks = [candidate.to_mark() for candidate in found.candidates]
    best = found.best
    findings = []
    if best is None:
        partial = [c.text for c in found.candidates]
        detail = (f'; "{partial[0]}" lacks the AI or the 生成/合成 element' if partial else "")
        findings.append(Finding("EXP-01", f"No explicit label was read on the {subject}{detail}",
                                "image_no_label", {"partial": partial[0] if partial else ""}))
        return marks, findings, None
    shortest = min(found.width, found.height)
    if (best.height_px + HEIGHT_TOLERANCE_PX) / max(1, shortest) < MIN_HEIGHT_RATIO:
        findings.append(Finding(
            "EXP-04",
            f'The label "{best.text}" ({best.where}) is {best.height_ratio * 100:.1f} % of the '
            f"{subject}'s shortest side ({best.height_px} of {shortest} px), under 5 %",
            "label_small", {"text": best.text, "percent": f"{best.height_ratio * 100:.1f}",
                            "px": best.height_px, "side": shortest}))
    if best.contrast is not None and best.contrast < MIN_CONTRAST:
        findings.append(Finding(
            "EXP-08",
            f'The label "{best.text}" has a contrast of {best.contrast:.2f}:1 against its '
            f"background, under {MIN_CONTRAST:g}:1 (WCAG 2)",
            "label_low_contrast", {"text": best.text, "contrast": f"{best.contrast:.2f}",
                                   "threshold": f"{MIN_CONTRAST:g}"}))
    return marks, findings, best


def check_image(source: Any, *, deadline: float) -> ExplicitResult:
    """Check one image file (path or bytes) for a visible label."""
    rgb = decode_image(source)
    if time.monotonic() > deadline:
        raise Inconclusive("time budget exceeded while decoding the image")
    found = find_labels(rgb)
    marks, findings, best = judge(found)
    evidence = []
    for index, candidate in enumerate(c for c in found.candidates if c.conforming):
        evidence.append(EvidenceFile(f"crop-{index + 1}.png", "image/png",
                                     f'label "{candidate.text}" at {candidate.where}',
                                     png_bytes(crop(rgb, candidate.box))))
        if index >= 2:
            break
    evidence.append(EvidenceFile(
        "overview.png", "image/png", "the image with the labels read",
        overview_png(rgb, [(c.box, c.conforming and not findings) for c in found.candidates])))
    return ExplicitResult(
        IMAGE, FOUND if best is not None else MISSING, marks=marks, findings=findings,
        evidence=evidence,
        details={"width": int(rgb.shape[1]), "height": int(rgb.shape[0]),
                 "lines": found.lines[:20], "min_height_ratio": MIN_HEIGHT_RATIO,
                 "min_contrast": MIN_CONTRAST})
