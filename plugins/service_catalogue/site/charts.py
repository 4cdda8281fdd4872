"""The performance pages' charts: SVG drawn at build time by matplotlib, put inline in the page.

No script and nothing fetched: the page holds the drawing itself. Its colours are
the page's, in light and in dark mode: matplotlib draws with stand-in colours,
which are then written as CSS variables (the theme's text colour, and the
stylesheet's --sc-chart-* for the series), so the chart follows Material's
colour scheme as the text around it does. Every chart is an `img` with a title
and a description, and the page puts a table with the same figures beside it.

Record text never reaches a chart's drawing: its labels are window labels and
priority ids (which the format restricts), and the title is escaped into
the accessible name only.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence

# Stand-in colour -> the CSS it becomes. Ink is the theme's text colour; the series are
# the stylesheet's (site/assets/service-catalogue.css), which picks each for both schemes.
_INK, _FAINT = "#010101", "#020202"
SERIES = {
    "#030303": "var(--sc-chart-1)",
    "#040404": "var(--sc-chart-2)",
    "#050505": "var(--sc-chart-3)",
    "#060606": "var(--sc-chart-target)",
}
_COLOURS = {_INK: "var(--md-default-fg-color)", _FAINT: "var(--md-default-fg-color--lighter)", **SERIES}
_SERIES = list(SERIES)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.fonttype": "none",  # text stays text: selectable, and read by screen readers
        "svg.hashsalt": "service-catalogue",  # the same ids in every build
        "font.family": "sans-serif",
        "font.size": 9,
        "text.color": _INK, "axes.labelcolor": _INK, "axes.edgecolor": _FAINT,
        "xtick.color": _INK, "ytick.color": _INK, "grid.color": _FAINT,
        "axes.facecolor": "none", "figure.facecolor": "none", "savefig.facecolor": "none",
        "axes.spines.top": False, "axes.spines.right": False,
    })
    return plt


def _finished(figure, title: str, description: str) -> str:
    """The figure as inline SVG: stand-in colours made CSS, its XML prologue and metadata
    dropped, and an accessible name and description."""
    plt = _pyplot()
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    for stand_in, css in _COLOURS.items():
        svg = svg.replace(stand_in, css)
    svg = re.sub(r"\n\s*\n", "\n", svg)  # a blank line would end Markdown's HTML block
    name = html.escape(title, quote=True)
    head = (f'<svg role="img" aria-label="{name}" class="sc-chart__drawing"'
            if svg.startswith("<svg") else "<svg")
    svg = head + svg[len("<svg"):]
    end = svg.index(">") + 1
    return f"{svg[:end]}<title>{name}</title><desc>{html.escape(description)}</desc>{svg[end:]}"


def attainment_chart(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]],
                     target: float | None = None, ylabel: str = "% met", least_range: float = 10.0) -> str:
    """Percent met per window, one line per series (response, resolution, availability)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 2.6))
    positions = list(range(len(labels)))
    for colour, (name, values) in zip(_SERIES, series.items()):
        points = [(x, v) for x, v in zip(positions, values) if v is not None]
        if points:
            axes.plot([x for x, _ in points], [v for _, v in points], marker="o", color=colour, label=name, linewidth=1.6)
    if target is not None:
        axes.axhline(target, color=_SERIES[3], linestyle="--", linewidth=1, label=f"target {target:g}%")
    axes.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    axes.set_ylabel(ylabel)
    axes.grid(axis="y", linewidth=0.5)
    known = [v for values in series.values() for v in values if v is not None] + ([target] if target is not None else [])
    low = min(known, default=0.0)
    gap = max(100.0 - low, least_range)
    axes.set_ylim(bottom=max(0.0, 100.0 - gap * 1.25), top=100.0 + gap * 0.1)
    axes.ticklabel_format(axis="y", useOffset=False, style="plain")
    axes.legend(frameon=False, fontsize=8, loc="best")
    words = "; ".join(f"{name}: " + ", ".join(f"{label} {'-' if v is None else f'{v:g}%'}" for label, v in zip(labels, values))
                      for name, values in series.items())
    return _finished(figure, title, f"Percent of clocks met per window. {words}")


def burn_down_chart(title: str, start: float, end: float, budget: float, steps: Sequence[tuple[float, float]]) -> str:
    """The downtime budget left through one availability window: it falls at each outage."""
    import datetime as dt

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 2.4))
    times = [start] + [at for at, _ in steps] + [end]
    left = [budget] + [budget - used for _, used in steps]
    left.append(left[-1])
    days = [dt.datetime.fromtimestamp(t, dt.timezone.utc) for t in times]
    axes.step(days, left, where="post", color=_SERIES[0], linewidth=1.6, label="budget left")
    axes.axhline(0, color=_SERIES[3], linestyle="--", linewidth=1, label="budget spent")
    axes.set_ylabel("minutes left")
    axes.grid(axis="y", linewidth=0.5)
    figure.autofmt_xdate()
    axes.legend(frameon=False, fontsize=8, loc="lower left")
    description = (f"Downtime budget of {budget:.1f} minutes, {left[-1]:.1f} left at the end"
                   + (f" after {len(steps)} outage{'s' * (len(steps) != 1)}" if steps else ", with no outage"))
    return _finished(figure, title, description + ".")


def missed_chart(title: str, labels: Sequence[str], met: Sequence[int], missed: Sequence[int]) -> str:
    """Agreements that met and missed their targets, per window, stacked."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 2.6))
    positions = list(range(len(labels)))
    axes.bar(positions, met, color=_SERIES[0], label="met every target")
    axes.bar(positions, missed, bottom=met, color=_SERIES[1], label="missed a target")
    axes.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    axes.set_ylabel("agreements")
    axes.legend(frameon=False, fontsize=8)
    words = ", ".join(f"{label}: {m} met, {x} missed" for label, m, x in zip(labels, met, missed))
    return _finished(figure, title, f"Agreements per month. {words}.")


def budget_chart(title: str, names: Sequence[str], used_percent: Sequence[float]) -> str:
    """The share of each agreement's downtime budget used in its latest window: one bar each,
    a line at 100% (spent). Names are ids (the format restricts them), not titles."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 0.6 + 0.22 * len(names)))
    positions = list(range(len(names)))
    shown = [min(value, 200.0) for value in used_percent]  # past twice the budget, the bar stops
    colours = [_SERIES[1] if value > 100 else _SERIES[0] for value in used_percent]
    axes.barh(positions, shown, color=colours)
    axes.axvline(100, color=_SERIES[3], linestyle="--", linewidth=1)
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    axes.set_xlabel("% of the downtime budget used")
    words = ", ".join(f"{name} {value:.0f}%" for name, value in zip(names, used_percent))
    return _finished(figure, title, f"Downtime budget used in each agreement's latest window: {words}.")
