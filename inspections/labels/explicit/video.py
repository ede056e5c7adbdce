"""Explicit labels in video (GB 45438 clause 5.4; rules EXP-01, EXP-04, EXP-05, EXP-08).

The label must be on the opening frame and shown for at least 2 s at
normal speed (the middle or the end may add more). Only what is needed is
decoded, with PyAV:

1. The opening frame is read by OCR (``image.find_labels``): the label's
   text, box, glyph height (EXP-04 under 5 % of the shortest side) and
   contrast (EXP-08).
2. Every frame of the first ``EARLY_S`` seconds is then compared with the
   opening frame inside the label's box, on the label's own ink pixels
   (a cheap luminance comparison, no OCR): the label is shown until the
   first frame where it is gone, and that frame is read by OCR to be sure.
   Shown under 2 s (to the frame): EXP-05.
3. Without a label on the opening frame, frames at 0.5, 1 and 2 s and then
   a sparse sample through the video are read: a label seen later is
   EXP-05 (not on the opening frame), none at all EXP-01. A label that
   appears changes the pixels where it appears: each sampled frame is
   compared with the last frame read whole (on every colour channel, so
   text of any colour counts), and when only some horizontal bands of it
   differ, only those bands (the full width, with a margin, at the scale
   the whole frame would be read) go through OCR. A band holding the AI
   or the generation element sends the whole frame to OCR to be measured;
   a frame that changed almost everywhere (a cut, a moving camera) is read
   whole, as before.

Hostile or huge files end ``inconclusive``: the picture size is checked
before decoding, every frame checks the time budget, and the number of
frames decoded and read is capped.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

from ..result import Finding
from ..source import Inconclusive
from .image import FrameLabels, crop, find_labels, judge, overview_png, png_bytes
from .result import FOUND, MISSING, VIDEO, EvidenceFile, ExplicitResult

MIN_SHOWN_S = 2.0
EARLY_S = 3.0
LATE_PROBES_S = (0.5, 1.0, 2.0)
SPARSE_PROBES = 6
MAX_PIXELS = 3840 * 2160
MAX_EARLY_FRAMES = 400
INK_TOLERANCE = 40.0
# Changed regions of a sampled frame: a pixel whose red, green or blue
# differs by more than CHANGE_LEVEL (under the 30 levels of the faintest
# label of the accuracy corpus) is changed; a block of CHANGE_BLOCK x
# CHANGE_BLOCK pixels with CHANGE_PIXELS of them is changed. Lossy coding
# scatters a few changed pixels around still edges (at most 5 a block in
# H.264 at CRF 23); a label that appears fills blocks with its strokes
# (24 or more in the busiest block, faint or 2 % high).
CHANGE_LEVEL = 12
CHANGE_BLOCK = 8
CHANGE_PIXELS = 10
# A sampled frame this close after the last one decoded is reached by
# decoding on, not by seeking back to a keyframe (often the first one).
DECODE_ON_S = 3.0
BAND_MARGIN = 0.04  # of the frame's height, above and below changed rows
MAX_BAND_SHARE = 0.5  # more of the frame changed: read it whole


@dataclass
class _Reference:
    """The label's ink and background pixels on the opening frame (luminance)."""

    box: tuple[int, int, int, int]
    ink: Any  # boolean mask over the box
    ink_level: float
    background_level: float

    def present_in(self, gray: Any) -> bool:
        """Is the label still drawn where it was, in this frame?"""
        x0, y0, x1, y1 = self.box
        region = gray[y0:y1, x0:x1].astype("float32")
        if region.shape != self.ink.shape:
            return False
        ink = float(region[self.ink].mean())
        background = float(region[~self.ink].mean()) if (~self.ink).any() else self.background_level
        expected = self.ink_level - self.background_level
        if abs(ink - self.ink_level) > INK_TOLERANCE:
            return False
        # The text still stands out from its surroundings as it did.
        return (ink - background) * expected > 0 and abs(ink - background) >= 0.4 * abs(expected)


def _reference(gray: Any, box: tuple[int, int, int, int]) -> _Reference | None:
    import numpy as np

    from .image import _otsu

    x0, y0, x1, y1 = box
    region = gray[y0:y1, x0:x1].astype("float32")
    if region.size == 0:
        return None
    threshold = _otsu(region)
    dark = region <= threshold
    ink = dark if dark.sum() <= dark.size / 2 else ~dark
    if not ink.any() or ink.all():
        return None
    return _Reference(box, ink, float(region[ink].mean()), float(np.mean(region[~ink])))


def _open(source: Any) -> Any:
    import av

    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source)
    try:
        return av.open(handle, mode="r", timeout=5.0)
    except (av.FFmpegError, ValueError, OSError) as error:
        raise Inconclusive(f"the video cannot be opened: {error}"[:200]) from error


def _frame_time(frame: Any, index: int, rate: float, origin: float | None) -> float:
    seconds = frame.time if frame.time is not None else index / (rate or 25.0)
    return float(seconds) - (origin or 0.0)


class _Frames:
    """Decode one video stream in order, with the time budget checked per frame."""

    def __init__(self, container: Any, stream: Any, deadline: float) -> None:
        self.container, self.stream, self.deadline = container, stream, deadline
        self.rate = float(stream.average_rate or stream.guessed_rate or 25.0)
        self.origin: float | None = None
        self.index = 0
        self.last: float | None = None  # the time of the last frame decoded
        self._iterator = container.decode(stream)

    def next(self) -> tuple[float, Any] | None:
        import av

        if time.monotonic() > self.deadline:
            raise Inconclusive("time budget exceeded while decoding the video")
        try:
            frame = next(self._iterator)
        except StopIteration:
            return None
        except av.FFmpegError as error:
            raise Inconclusive(f"the video cannot be decoded: {error}"[:200]) from error
        if self.origin is None:
            self.origin = float(frame.time or 0.0)
        seconds = _frame_time(frame, self.index, self.rate, self.origin)
        self.index += 1
        self.last = seconds
        return seconds, frame

    def seek_to(self, seconds: float) -> tuple[float, Any] | None:
        """The first frame at or after ``seconds`` (from a keyframe before it,
        or, when it is a little ahead, from the last frame decoded)."""
        import av

        ahead = self.last is not None and self.last < seconds <= self.last + DECODE_ON_S
        if not ahead:
            target = int((seconds + (self.origin or 0.0)) / self.stream.time_base) \
                if self.stream.time_base else 0
            try:
                self.container.seek(target, stream=self.stream, backward=True, any_frame=False)
            except (av.FFmpegError, OverflowError, ValueError):
                return None
            self._iterator = self.container.decode(self.stream)
        while True:
            item = self.next()
            if item is None or item[0] >= seconds - 0.5 / self.rate:
                return item


def changed_bands(reference: Any, rgb: Any) -> list[tuple[int, int]] | None:
    """The row ranges (top, bottom) where ``rgb`` differs from ``reference``,
    with a margin; None when the pictures differ in size or in most rows."""
    import numpy as np

    if reference.shape != rgb.shape:
        return None
    height, width = rgb.shape[:2]
    changed = (np.abs(rgb.astype(np.int16) - reference.astype(np.int16)).max(axis=2)
               > CHANGE_LEVEL)
    rows, columns = -(-height // CHANGE_BLOCK), -(-width // CHANGE_BLOCK)
    padded = np.zeros((rows * CHANGE_BLOCK, columns * CHANGE_BLOCK), dtype=bool)
    padded[:height, :width] = changed
    blocks = padded.reshape(rows, CHANGE_BLOCK, columns, CHANGE_BLOCK).sum(axis=(1, 3))
    block_rows = np.flatnonzero((blocks >= CHANGE_PIXELS).any(axis=1))
    from .ocr import WIDEST_STRIP

    margin = max(CHANGE_BLOCK, round(BAND_MARGIN * height))
    # Each band at least 1/WIDEST_STRIP of the width high, so that the OCR
    # engine reads it as it is rather than padded to a larger picture.
    least = min(height, int(width / WIDEST_STRIP) + 1)
    bands: list[tuple[int, int]] = []
    for row in block_rows:
        top = max(0, int(row) * CHANGE_BLOCK - margin)
        bottom = min(height, (int(row) + 1) * CHANGE_BLOCK + margin)
        if bottom - top < least:
            top = max(0, min(top - (least - (bottom - top)) // 2, height - least))
            bottom = top + least
        if bands and top <= bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], bottom))
        else:
            bands.append((top, bottom))
    if sum(bottom - top for top, bottom in bands) > MAX_BAND_SHARE * height:
        return None
    return bands


def _element_in_bands(rgb: Any, bands: list[tuple[int, int]]) -> bool:
    """Does OCR of these bands of the frame read the AI or the generation element?"""
    from .ocr import read_lines
    from .text import ocr_elements

    side = min(rgb.shape[:2])
    for top, bottom in bands:
        for line in read_lines(rgb[top:bottom], picture_side=side):
            has_ai, has_synthesis, _paired = ocr_elements(line.text)
            if has_ai or has_synthesis:
                return True
    return False


def _rgb(frame: Any) -> Any:
    return frame.to_ndarray(format="rgb24")


def _gray(frame: Any) -> Any:
    return frame.to_ndarray(format="gray")


def check_video(source: Any, *, deadline: float) -> ExplicitResult:
    """Check one video file for its visible label."""
    container = _open(source)
    with container:
        if not container.streams.video:
            raise Inconclusive("the file has no video stream")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
        if width * height > MAX_PIXELS:
            raise Inconclusive(f"video of {width}x{height} pixels is larger than checked")
        duration = (float(stream.duration * stream.time_base)
                    if stream.duration and stream.time_base
                    else (container.duration or 0) / 1_000_000)
        frames = _Frames(container, stream, deadline)
        first = frames.next()
        if first is None:
            raise Inconclusive("no frame could be decoded")
        opening_time, opening_frame = first
        if opening_frame.width * opening_frame.height > MAX_PIXELS:
            raise Inconclusive("the frames are larger than checked")
        opening_rgb = _rgb(opening_frame)
        opening = find_labels(opening_rgb)
        details: dict[str, Any] = {
            "width": opening_frame.width, "height": opening_frame.height,
            "duration_s": round(duration, 3), "fps": round(frames.rate, 3),
            "lines_on_opening_frame": opening.lines[:20], "ocr_frames": 1}
        best = opening.best
        if best is not None:
            return _labelled_from_start(frames, opening, opening_rgb, _gray(opening_frame),
                                        details, duration)
        return _not_on_opening_frame(frames, opening, opening_rgb, details, duration)


def _labelled_from_start(frames: _Frames, opening: FrameLabels, opening_rgb: Any,
                         opening_gray: Any, details: dict, duration: float) -> ExplicitResult:
    best = opening.best
    assert best is not None
    marks, findings, _best = judge(opening, subject="opening frame")
    reference = _reference(opening_gray, best.box)
    last_shown, gone_at, gone_rgb = 0.0, None, None
    decoded = 1
    while reference is not None and decoded < MAX_EARLY_FRAMES:
        item = frames.next()
        if item is None:
            break
        seconds, frame = item
        decoded += 1
        gray = _gray(frame)
        if reference.present_in(gray):
            last_shown = seconds
        else:
            # Confirm with OCR: the label may have moved or changed colour.
            rgb = _rgb(frame)
            details["ocr_frames"] += 1
            again = find_labels(rgb).best
            if again is None:
                gone_at, gone_rgb = seconds, rgb
                break
            reference = _reference(gray, again.box)
            last_shown = seconds
        if seconds >= EARLY_S:
            break
    shown = last_shown + 1.0 / frames.rate
    ended = gone_at is None and (duration and shown >= duration - 1.5 / frames.rate)
    details["shown_s"] = round(shown, 3)
    # Still shown when the comparison stopped: it is shown at least that long.
    details["shown_at_least"] = gone_at is None
    details["frames_compared"] = decoded
    for mark in marks:
        if mark.conforming:
            mark.start_s, mark.end_s = 0.0, shown
    evidence = [
        EvidenceFile("opening-frame.png", "image/png", "the opening frame with the label",
                     overview_png(opening_rgb, [(c.box, c.conforming) for c in opening.candidates])),
        EvidenceFile("label-crop.png", "image/png", f'label "{best.text}" on the opening frame',
                     png_bytes(crop(opening_rgb, best.box))),
    ]
    if gone_at is not None and shown < MIN_SHOWN_S - 1e-6:
        findings.append(Finding(
            "EXP-05",
            f'The label "{best.text}" is shown for {shown:.2f} s from the opening frame, '
            f"under {MIN_SHOWN_S:g} s", "video_shown_short",
            {"text": best.text, "seconds": f"{shown:.2f}"}))
        evidence.append(EvidenceFile(f"gone-at-{gone_at:.2f}s.png", "image/png",
                                     f"the frame at {gone_at:.2f} s, the label gone",
                                     png_bytes(gone_rgb, max_side=640)))
    elif gone_at is None and ended and shown < MIN_SHOWN_S - 1e-6:
        findings.append(Finding(
            "EXP-05",
            f"The video lasts {shown:.2f} s, so its label is shown under {MIN_SHOWN_S:g} s",
            "video_too_short", {"seconds": f"{shown:.2f}"}))
    return ExplicitResult(VIDEO, FOUND, marks=marks, findings=findings, evidence=evidence,
                          details=details)


def _not_on_opening_frame(frames: _Frames, opening: FrameLabels, opening_rgb: Any,
                          details: dict, duration: float) -> ExplicitResult:
    probes = list(LATE_PROBES_S)
    if duration > EARLY_S:
        step = (duration - EARLY_S) / SPARSE_PROBES
        probes += [EARLY_S + step * (index + 0.5) for index in range(SPARSE_PROBES)]
    seen: tuple[float, FrameLabels, Any] | None = None
    # The last frame read whole, without a label: what later frames are compared with.
    reference = opening_rgb
    sampled = 0
    details["frames_read_in_bands"] = 0
    for probe in probes:
        if duration and probe >= duration:
            break
        item = frames.seek_to(probe)
        if item is None:
            break
        seconds, frame = item
        rgb = _rgb(frame)
        sampled += 1
        bands = changed_bands(reference, rgb)
        if bands is not None and not _element_in_bands(rgb, bands):
            details["frames_read_in_bands"] += 1
            continue
        details["ocr_frames"] += 1
        found = find_labels(rgb)
        if found.best is not None:
            seen = (seconds, found, rgb)
            break
        reference = rgb
    details["frames_sampled"] = sampled
    evidence = [EvidenceFile("opening-frame.png", "image/png", "the opening frame",
                             overview_png(opening_rgb, [(c.box, False) for c in opening.candidates]))]
    if seen is None:
        marks, findings, _best = judge(opening, subject="video")
        findings = [Finding("EXP-01", "No explicit label was read on the opening frame or on "
                                      f"{sampled} frames sampled through the video",
                            "video_no_label", {"frames": sampled})]
        return ExplicitResult(VIDEO, MISSING, marks=marks, findings=findings, evidence=evidence,
                              details=details)
    seconds, found, rgb = seen
    best = found.best
    assert best is not None
    marks, findings, _best = judge(found, subject="frame")
    for mark in marks:
        mark.start_s = seconds
    findings.insert(0, Finding(
        "EXP-05", f'The label is not on the opening frame; "{best.text}" is first seen at '
                  f"{seconds:.2f} s", "video_label_late",
        {"text": best.text, "seconds": f"{seconds:.2f}"}))
    evidence.append(EvidenceFile(f"label-at-{seconds:.2f}s.png", "image/png",
                                 f"the label first seen at {seconds:.2f} s",
                                 overview_png(rgb, [(best.box, False)])))
    return ExplicitResult(VIDEO, FOUND, marks=marks, findings=findings, evidence=evidence,
                          details=details)

