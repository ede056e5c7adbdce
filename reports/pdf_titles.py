"""
Long titles of official documents broken between words. GB/T 9704-2012
7.3.1: 标题回行时，要做到词意完整，排列对称，长短适宜 — a browser (or WeasyPrint)
breaks Chinese between any two characters, so “典型问题” could end one line
with 典 and start the next with 型. jieba segments the title; the lines
break at the word boundaries that balance them best within the block.
jieba (its dictionary loads in about a second) is imported on first use.
"""

import itertools
import math
import threading

# The title's type (h1.title in _gbt9704.css): 22 pt, 1 pt letter spacing,
# in the 156 mm text block; a Latin letter or digit is about half as wide.
BLOCK_PT = 156 / 25.4 * 72
CJK_PT = 22 + 1
LATIN_PT = 22 * 0.55 + 1
# Terms of this domain that the general dictionary splits (生成 | 合成).
DOMAIN_WORDS = ("生成合成", "典型问题", "显式标识", "隐式标识", "专项行动", "专项检查", "整改情况",
                "服务提供者", "传播平台")
# A line never starts with a particle or a conjunction.
NO_LINE_START = ("的", "和", "与", "及", "之", "等")
_lock = threading.Lock()
_tokenizer = None


def _width(text: str) -> float:
    return sum(CJK_PT if ord(ch) >= 0x2E80 else LATIN_PT for ch in text)


def _words(title: str) -> list[str]:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for word in DOMAIN_WORDS:
                tokenizer.add_word(word)
            _tokenizer = tokenizer
    return list(_tokenizer.cut(title, HMM=False))


def title_lines(title: str) -> list[str]:
    """The title as the lines it is set in: one if it fits, else balanced lines of whole words."""
    title = title.strip()
    if _width(title) <= BLOCK_PT:
        return [title]
    words = _words(title)
    count = math.ceil(_width(title) / BLOCK_PT)
    best: tuple[float, list[str]] | None = None
    while best is None and count <= len(words):
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
            widths = [_width(line) for line in lines]
            if max(widths) > BLOCK_PT or any(line.startswith(NO_LINE_START) for line in lines[1:]):
                continue
            # Balanced lines; a quotation or a document name (“…”, 《…》) kept whole if it can be.
            score = max(widths) - min(widths) + BLOCK_PT * sum(
                line.count("“") != line.count("”") or line.count("《") != line.count("》") for line in lines)
            if best is None or score < best[0]:
                best = (score, lines)
        count += 1
    # A single word wider than the block: the engine breaks it as it can.
    return best[1] if best else [title]
