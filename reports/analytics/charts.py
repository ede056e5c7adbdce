"""
Plotly figures for the analytics dashboards. Each function takes the frame
that `reports.analytics.stats` produced and returns a `plotly.graph_objects.Figure`.

Readable at a glance: bars sorted by value, one colour per category that is
the same on every chart, rates on a percent axis, months as YYYY-MM (no
English month names in the Chinese interface), small samples drawn hollow.
A `drill_url` column, when present, becomes the point's customdata so a
click opens the list of findings or items behind it (static/js/reports).
"""

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe–Ito, then Tableau) assigned per key.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
    "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F", "#76B7B2", "#EDC948",
    "#E15759", "#BAB0AC",
]
FIXED_COLOURS = {
    # Severities read as traffic lights everywhere.
    "high": "#B42318", "medium": "#DC6803", "low": "#067647",
    # Issue categories.
    "EXP": "#0072B2", "IMP": "#E69F00", "PLT": "#009E73", "APP": "#D55E00",
    "AGR": "#CC79A7", "LOG": "#56B4E9", "TMP": "#B42318", "FIL": "#7A5195",
    "CNT": "#444444", "GOV": "#9C755F",
    # Modalities.
    "text": "#0072B2", "image": "#E69F00", "audio": "#009E73", "video": "#D55E00",
    "virtual_scene": "#CC79A7",
    # Enterprise roles.
    "generation_provider": "#0072B2", "dissemination_platform": "#E69F00",
    "app_store": "#009E73", "technical_supporter": "#CC79A7",
}
SEVERITY_ORDER = ["high", "medium", "low"]
MONTH_FORMAT = "%Y-%m"


def colour_for(key) -> str:
    """A stable colour for a category key (same key, same colour, any chart)."""
    key = str(key)
    if key in FIXED_COLOURS:
        return FIXED_COLOURS[key]
    return PALETTE[sum(ord(c) for c in key) % len(PALETTE)]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(fig: go.Figure, *, title: str, x_title: str, y_title: str, percent: bool) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}},
        # Decimal point and thousands separator as written in Chinese and English.
        separators=".,",
        font={"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif", "size": 12},
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        height=380,
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        legend={"orientation": "h", "y": -0.18},
        hovermode="closest",
    )
    fig.update_xaxes(title_text=x_title, gridcolor="#eef1f5")
    fig.update_yaxes(title_text=y_title, gridcolor="#eef1f5", rangemode="tozero")
    if percent:
        fig.update_yaxes(tickformat=".0%")
    return fig


def _empty(fig: go.Figure) -> go.Figure:
    fig.add_annotation(
        text=_("No data for these filters"), showarrow=False, x=0.5, y=0.5,
        xref="paper", yref="paper", font={"size": 14, "color": "#5d6577"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _hover_rate(n_label: str) -> str:
    return (
        "%{x|" + MONTH_FORMAT + "}<br>%{y:.1%} (%{customdata[1]}/%{customdata[2]} " + n_label + ")"
        "<br>95% CI %{customdata[3]:.1%}–%{customdata[4]:.1%}%{customdata[5]}<extra>%{fullData.name}</extra>"
    )


def _rate_customdata(frame: pd.DataFrame, k: str, n: str) -> list:
    small = _(" · small sample")
    urls = frame["drill_url"] if "drill_url" in frame else pd.Series([""] * len(frame))
    return [
        [url, int(kk), int(nn), lo, hi, small if is_small else ""]
        for url, kk, nn, lo, hi, is_small in zip(
            urls, frame[k], frame[n], frame["lower"].fillna(0), frame["upper"].fillna(0),
            frame["small_sample"],
        )
    ]


def rate_over_time(
    frame: pd.DataFrame, *, title: str, y_title: str, by: str | None = None,
    labels: dict | None = None, k: str = "failed", n: str = "checked",
) -> go.Figure:
    """
    A monthly rate with its Wilson 95 % interval: a shaded band for a single
    series, error bars when several groups share the chart.
    """
    labels = labels or {}
    fig = go.Figure(_validate=False)
    _layout(fig, title=title, x_title=_("Month"), y_title=y_title, percent=True)
    data = frame.dropna(subset=["rate"])
    if data.empty:
        return _empty(fig)
    groups = [(None, data)] if by is None else list(data.groupby(by, sort=True))
    # Order the legend by overall rate, worst first.
    if by is not None:
        groups.sort(key=lambda g: -(g[1][k].sum() / max(g[1][n].sum(), 1)))
    for key, group in groups:
        colour = colour_for(key) if key is not None else "#1a56a8"
        name = labels.get(key, str(key)) if key is not None else _("All items")
        group = group.sort_values("month")
        if by is None:
            fig.add_trace(go.Scatter(_validate=False,
                x=list(group["month"]) + list(group["month"])[::-1],
                y=list(group["upper"]) + list(group["lower"])[::-1],
                fill="toself", fillcolor=_rgba(colour, 0.15), line={"width": 0}, mode="lines",
                hoverinfo="skip", name=_("Wilson interval (95%)"), showlegend=True,
            ))
            error = None
        else:
            error = {
                "type": "data", "symmetric": False,
                "array": (group["upper"] - group["rate"]).tolist(),
                "arrayminus": (group["rate"] - group["lower"]).tolist(),
                "thickness": 1, "width": 3, "color": _rgba(colour, 0.6),
            }
        fig.add_trace(go.Scatter(_validate=False,
            x=group["month"], y=group["rate"], mode="lines+markers", name=name,
            line={"color": colour, "width": 2},
            marker={
                "color": ["#fff" if s else colour for s in group["small_sample"]],
                "line": {"color": colour, "width": 2}, "size": 8,
            },
            error_y=error,
            customdata=_rate_customdata(group, k, n),
            hovertemplate=_hover_rate(_("items") if k == "failed" else _("findings")),
        ))
    fig.update_xaxes(tickformat=MONTH_FORMAT, dtick="M1")
    return fig


def sorted_bars(
    frame: pd.DataFrame, *, x: str, y: str, title: str, x_title: str, y_title: str,
    labels: dict | None = None, percent: bool = False, colour_key: str | None = None,
) -> go.Figure:
    """Horizontal bars sorted by value, largest at the top."""
    labels = labels or {}
    fig = go.Figure(_validate=False)
    _layout(fig, title=title, x_title=x_title, y_title=y_title, percent=False)
    if frame.empty:
        return _empty(fig)
    data = frame.sort_values(y, ascending=True)
    keys = data[colour_key] if colour_key else data[x]
    fig.add_trace(go.Bar(_validate=False,
        y=[labels.get(v, str(v)) for v in data[x]], x=data[y], orientation="h",
        marker={"color": [colour_for(k) for k in keys]},
        customdata=[[u] for u in data.get("drill_url", pd.Series([""] * len(data)))],
        hovertemplate="%{y}: %{x" + (":.1%" if percent else ":,") + "}<extra></extra>",
        text=data[y], texttemplate="%{x" + (":.1%" if percent else ":,") + "}",
        textposition="outside", cliponaxis=False,
    ))
    fig.update_layout(height=max(300, 28 * len(data) + 120), margin={"l": 220})
    fig.update_xaxes(rangemode="tozero", **({"tickformat": ".0%"} if percent else {}))
    fig.update_yaxes(rangemode=None)
    return fig


def rectification_time_bars(frame: pd.DataFrame, *, labels: dict) -> go.Figure:
    """Median and 90th percentile working days to rectify, per severity."""
    fig = go.Figure(_validate=False)
    _layout(
        fig, title=_("Time to rectify (working days)"), x_title=_("Severity"),
        y_title=_("Working days"), percent=False,
    )
    if frame.empty:
        return _empty(fig)
    data = frame.set_index("severity").reindex(
        [s for s in SEVERITY_ORDER if s in set(frame["severity"])]
    ).reset_index()
    names = [labels.get(s, s) for s in data["severity"]]
    urls = [[u] for u in data.get("drill_url", pd.Series([""] * len(data)))]
    fig.add_trace(go.Bar(_validate=False,
        x=names, y=data["median"], name=_("Median"),
        marker={"color": [colour_for(s) for s in data["severity"]]},
        customdata=urls, text=data["median"], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f}<extra>" + _("Median") + "</extra>",
    ))
    fig.add_trace(go.Bar(_validate=False,
        x=names, y=data["p90"], name=_("90th percentile"),
        marker={"color": [_rgba(colour_for(s), 0.45) for s in data["severity"]]},
        customdata=urls, text=data["p90"], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f}<extra>" + _("90th percentile") + "</extra>",
    ))
    fig.update_layout(barmode="group")
    return fig


def codes_over_time(frame: pd.DataFrame, *, titles: dict) -> go.Figure:
    """Monthly findings of the top issue codes, one line per code."""
    fig = go.Figure(_validate=False)
    _layout(fig, title=_("Top issue codes over time"), x_title=_("Month"),
            y_title=_("Findings"), percent=False)
    if frame.empty:
        return _empty(fig)
    for code, group in frame.groupby("issue_code", sort=False):
        group = group.sort_values("month")
        fig.add_trace(go.Scatter(_validate=False,
            x=group["month"], y=group["findings"], mode="lines+markers",
            name=f"{code} {titles.get(code, '')}".strip(),
            line={"color": colour_for(code)},
            customdata=[[u] for u in group.get("drill_url", pd.Series([""] * len(group)))],
            hovertemplate="%{x|" + MONTH_FORMAT + "}: %{y:,}<extra>%{fullData.name}</extra>",
        ))
    fig.update_xaxes(tickformat=MONTH_FORMAT, dtick="M1")
    fig.update_layout(height=440, legend={"orientation": "v", "y": 1, "x": 1.02})
    return fig


def monthly_comparison(frame: pd.DataFrame, *, value: str, title: str, y_title: str) -> go.Figure:
    """This month's values as bars, with last year's as a dashed line (YoY)."""
    fig = go.Figure(_validate=False)
    _layout(fig, title=title, x_title=_("Month"), y_title=y_title, percent=False)
    if frame.empty:
        return _empty(fig)
    # The unfinished month is drawn pale: a few days, not a month.
    partial = frame["partial"] if "partial" in frame.columns else pd.Series([False] * len(frame))
    fig.add_trace(go.Bar(_validate=False,
        x=frame["month"], y=frame[value], name=_("This period"),
        marker={"color": ["#a9c1e6" if p else "#1a56a8" for p in partial]},
        customdata=[[u] for u in frame.get("drill_url", pd.Series([""] * len(frame)))],
        hovertemplate="%{x|" + MONTH_FORMAT + "}: %{y:,}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(_validate=False,
        x=frame["month"], y=frame["last_year"], name=_("Same month last year"),
        mode="lines+markers", line={"color": "#E69F00", "dash": "dash"},
        hovertemplate="%{x|" + MONTH_FORMAT + "}: %{y:,}<extra></extra>",
    ))
    fig.update_xaxes(tickformat=MONTH_FORMAT, dtick="M1")
    return fig


def campaign_rates(frame: pd.DataFrame) -> go.Figure:
    """Violation rate per campaign (chronological) with Wilson error bars."""
    fig = go.Figure(_validate=False)
    _layout(fig, title=_("Campaign versus campaign: violation rate"), x_title=_("Campaign"),
            y_title=_("Violation rate"), percent=True)
    data = frame.dropna(subset=["rate"])
    if data.empty:
        return _empty(fig)
    fig.add_trace(go.Bar(_validate=False,
        x=data["campaign"], y=data["rate"],
        marker={
            "color": ["#fff" if s else colour_for(c) for s, c in zip(data["small_sample"], data["code"])],
            "line": {"color": [colour_for(c) for c in data["code"]], "width": 2},
        },
        error_y={
            "type": "data", "symmetric": False,
            "array": (data["upper"] - data["rate"]).tolist(),
            "arrayminus": (data["rate"] - data["lower"]).tolist(),
            "color": "#5d6577",
        },
        customdata=_rate_customdata(data, "failed", "checked"),
        hovertemplate="%{x}<br>%{y:.1%} (%{customdata[1]}/%{customdata[2]})"
        "<br>95% CI %{customdata[3]:.1%}–%{customdata[4]:.1%}%{customdata[5]}<extra></extra>",
    ))
    return fig


def figure_json(fig: go.Figure) -> dict:
    """The figure as plain JSON data for `json_script` (numpy types converted)."""
    import json

    return json.loads(fig.to_json())
