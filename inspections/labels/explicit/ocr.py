"""Local OCR with the PP-OCR models shipped inside the rapidocr-onnxruntime wheel.

Nothing is downloaded: the detection and recognition ONNX models are files
of the installed package. The engine is built once per process, on first
use, with one inference thread (workers run one check per core). Images
are scaled down so that their shortest side is at most ``OCR_SHORT_SIDE``
pixels before detection; boxes are mapped back to the original pixels.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

OCR_SHORT_SIDE = 540
MAX_LINES = 60
# The engine pads a picture wider than 8:1 to twice its width / 8 in height
# before detection (letterboxing thin strips): a strip read for speed is
# kept no wider than this, so that it is read at its own size.
WIDEST_STRIP = 7.5
_LOCK = threading.Lock()
_ENGINE: Any = None


@dataclass
class OcrLine:
    """One line of text read, with its box in the original image's pixels."""

    text: str
    score: float
    box: tuple[int, int, int, int]  # x0, y0, x1, y1


def engine() -> Any:
    """The process's OCR engine (built on first use)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            import logging

            from rapidocr_onnxruntime import RapidOCR

            logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            _ENGINE = RapidOCR(
                det_limit_type="min",
                det_limit_side_len=32,  # never scale up: the caller sized the image
                intra_op_num_threads=1,
                inter_op_num_threads=1,
                print_verbose=False,
            )
    return _ENGINE


def read_lines(rgb: Any, *, picture_side: int | None = None) -> list[OcrLine]:
    """Read the text lines of an RGB image (numpy array, H x W x 3).

    ``picture_side`` is the shortest side of the picture that ``rgb`` is a
    strip of: the strip is then scaled as the whole picture would be, so
    that text has the same size in pixels for the detector either way.
    """
    import numpy as np
    from PIL import Image

    height, width = rgb.shape[:2]
    scale = min(1.0, OCR_SHORT_SIDE / max(1, picture_side or min(height, width)))
    small = rgb
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
    # The engine expects OpenCV's BGR order.
    result, _elapsed = engine()(np.ascontiguousarray(small[:, :, ::-1]), use_cls=False)
    lines: list[OcrLine] = []
    for points, text, score in (result or [])[:MAX_LINES]:
        xs = [point[0] / scale for point in points]
        ys = [point[1] / scale for point in points]
        box = (
            max(0, int(min(xs))),
            max(0, int(min(ys))),
            min(width, int(round(max(xs)))),
            min(height, int(round(max(ys)))),
        )
        if box[2] > box[0] and box[3] > box[1]:
            lines.append(OcrLine(str(text), float(score), box))
    return lines


def reread(rgb: Any, box: tuple[int, int, int, int], *, target_height: int = 48) -> list[OcrLine]:
    """Read one small box again, enlarged: tiny labels are often misread."""
    import numpy as np
    from PIL import Image

    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = box
    margin = max(4, (y1 - y0) // 2)
    left, top = max(0, x0 - margin), max(0, y0 - margin)
    region = rgb[top : min(height, y1 + margin), left : min(width, x1 + margin)]
    if region.size == 0:
        return []
    scale = max(1.0, target_height / max(1, y1 - y0))
    size = (max(1, round(region.shape[1] * scale)), max(1, round(region.shape[0] * scale)))
    enlarged = np.asarray(Image.fromarray(region).resize(size, Image.Resampling.BICUBIC))
    result, _elapsed = engine()(np.ascontiguousarray(enlarged[:, :, ::-1]), use_cls=False)
    lines = []
    for points, text, score in (result or [])[:MAX_LINES]:
        xs = [left + point[0] / scale for point in points]
        ys = [top + point[1] / scale for point in points]
        lines.append(OcrLine(str(text), float(score), (
            max(0, int(min(xs))), max(0, int(min(ys))),
            min(width, int(round(max(xs)))), min(height, int(round(max(ys)))))))
    return lines
