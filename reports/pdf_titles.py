"""
Long titles of official documents broken between words. GB/T 9704-2012
7.3.1: 标题回行时，要做到词意完整，排列对称，长短适宜 — a browser (or WeasyPrint)
breaks Chinese between any two characters, so “典型问题” could end one line
with 典 and start the next with 型. jieba segments the title; the lines
break at the word boundaries that balance them best within the block.
jieba (its dictionary loads in about a second) is imported on first use.
"""

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
    total = _width(title)
    if total <= BLOCK_PT:
        return [title]
    words = _words(title)
    fewest = math.ceil(total / BLOCK_PT)
    # A line or two more than the fewest is enough for any title words can set;
    # beyond that (a word wider than the block) the engine breaks it as it can.
    for count in range(fewest, min(fewest + 2, len(words)) + 1):
        lines = _balanced(words, count, target=total / count)
        if lines:
            return lines
    return [title]


def _balanced(words: list[str], count: int, *, target: float) -> list[str] | None:
    """
    `words` set in `count` lines, none wider than the block and none but
    the first starting with a particle, the lines as close to `target`
    wide as can be (least squares, so dynamic programming over the word
    boundaries: polynomial in the number of words); a quotation or a
    document name (“…”, 《…》) split across lines costs as much as a
    whole line's imbalance. None when no such setting exists.
    """
    n = len(words)
    edges = [0.0]
    for word in words:
        edges.append(edges[-1] + _width(word))
    cost = [[math.inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for line in range(1, count + 1):
        for end in range(line, n + 1):
            for start in range(end - 1, line - 2, -1):
                width = edges[end] - edges[start]
                if width > BLOCK_PT:
                    break  # starting further back only widens the line
                if cost[line - 1][start] == math.inf:
                    continue
                text = "".join(words[start:end])
                if line > 1 and text.startswith(NO_LINE_START):
                    continue
                split = text.count("“") != text.count("”") or text.count("《") != text.count("》")
                total = cost[line - 1][start] + (width - target) ** 2 + (BLOCK_PT ** 2 if split else 0.0)
                if total < cost[line][end]:
                    cost[line][end], back[line][end] = total, start
    if cost[count][n] == math.inf:
        return None
    lines, end = [], n
    for line in range(count, 0, -1):
        start = back[line][end]
        lines.append("".join(words[start:end]))
        end = start
    return lines[::-1]
