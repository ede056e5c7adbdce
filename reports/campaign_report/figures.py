"""
Small static SVG bar charts for the campaign report PDF. Drawn directly as
SVG (no browser, no network), so a report renders in well under a second.
"""

from html import escape


def bar_chart_svg(rows: list[tuple[str, float]], *, title: str, unit: str = "",
                  width: int = 560, bar_height: int = 18, color: str = "#2b5797") -> str:
    """A horizontal bar chart of (label, value) rows as an inline SVG string."""
    rows = rows or [("—", 0)]
    label_w, pad, top = 150, 8, 26
    peak = max((v for _l, v in rows), default=0) or 1
    height = top + len(rows) * (bar_height + pad) + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, sans-serif" font-size="11">',
        f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    scale = (width - label_w - 70) / peak
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_height + pad)
        w = max(0.0, value * scale)
        text = f"{value:g}{unit}"
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_height * 0.72:.1f}" text-anchor="end">{escape(str(label))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{color}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height * 0.72:.1f}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
