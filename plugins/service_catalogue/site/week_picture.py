"""A small picture of a breach week: 7 rows of 24 hours, the hours in which a raised ticket
would breach shaded, as inline SVG written at build time.

No script, no links, no fonts and no other files: the picture is text in the page. Its
colours come from the plugin's stylesheet (the .sc-week classes in
assets/service-catalogue.css), which has one set for Material's light scheme and one for
the dark (slate) one; the SVG's own fill attributes are the light set again, so that the
picture still reads where the stylesheet is not loaded (a CSS rule wins over them).
Shaded cells differ by shape as well as colour: every week is a solid cell, some weeks
a pale cell with a diagonal stroke (WCAG 1.4.1, colour is not the only sign).

The text alternative is one sentence, breach_hours_words() in a frame: the SVG's <desc>
(read out with its <title> by a screen reader) and, for a reader who cannot make out the
picture, the same sentence in a <details> under it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from markupsafe import Markup

from service_catalogue.breach_hours import HOURS_PER_DAY, Breach, breach_hours_words, breach_week
from service_catalogue.site.text import attribute

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOUR_TICKS = (0, 6, 12, 18, 24)

# The geometry, in px: day labels on the left, hour ticks above, the legend below.
CELL = 12  # a cell's side
PITCH = 13  # from one cell to the next: a 1 px gap shows the hours apart
LEFT = 30
TOP = 16
GRID_WIDTH = HOURS_PER_DAY * PITCH - (PITCH - CELL)
GRID_HEIGHT = 7 * PITCH - (PITCH - CELL)
WIDTH = LEFT + GRID_WIDTH + 6
LEGEND_TOP = TOP + GRID_HEIGHT + 8
HEIGHT = LEGEND_TOP + CELL + 2
LEGEND_STEP = 80  # from the "every week" key to the "some weeks" one
ZONE_LEFT = LEFT + 2 * LEGEND_STEP + 8  # the zone's name is right-aligned, and starts after the keys
FONT_SIZE = 10

# The light scheme's colours (the stylesheet's .sc-week values, which the tests hold
# these to): the fill attributes that a stylesheet rule overrides.
FALLBACK_FILL = {
    Breach.EVERY_WEEK: "#c62828",
    Breach.SOME_WEEKS: "#c6282833",
    Breach.NEVER: "#00000012",
}
FALLBACK_HATCH = "#c62828"

# Class names by kind of hour, in the order they are drawn.
CELL_CLASS = {
    Breach.NEVER: "sc-week__never",
    Breach.SOME_WEEKS: "sc-week__some",
    Breach.EVERY_WEEK: "sc-week__every",
}
HATCH_CLASS = "sc-week__hatch"

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def breach_sentence(shares: Sequence[float], zone: str) -> str:
    """The picture's text alternative, as plain text."""
    return f"Breaches if raised: {breach_hours_words(shares, zone)}."


def _ident(shares: Sequence[float], zone: str, label: str) -> str:
    """An id for the title and desc that is the same on every build and differs per picture."""
    digest = hashlib.sha256(repr((label, zone, [float(share) for share in shares])).encode("utf-8"))
    return f"sc-week-{digest.hexdigest()[:12]}"


def _square(x: float, y: float) -> str:
    return f"M{x:g} {y:g}h{CELL}v{CELL}h-{CELL}z"


def _stroke(x: float, y: float) -> str:
    """A diagonal across the square at (x, y), bottom left to top right."""
    return f"M{x:g} {y + CELL:g}l{CELL} -{CELL}"


def _shapes(kind: Breach, origins: Sequence[tuple[float, float]]) -> str:
    """The squares of one kind of hour at these top left corners, as one path (168 <rect>s
    would be four times the size), and for some weeks the strokes over them."""
    squares = "".join(_square(x, y) for x, y in origins)
    shapes = f'<path class="{CELL_CLASS[kind]}" fill="{FALLBACK_FILL[kind]}" d="{squares}"/>'
    if kind is Breach.SOME_WEEKS:
        strokes = "".join(_stroke(x, y) for x, y in origins)
        shapes += f'<path class="{HATCH_CLASS}" fill="none" stroke="{FALLBACK_HATCH}" stroke-width="1.5" d="{strokes}"/>'
    return shapes


def week_svg(shares: Sequence[float], zone: str, label: str, ident: str | None = None) -> Markup:
    """The picture of a breach week, as an inline <svg> with a title and a description.

    shares: 168 shares of weeks in breach, Monday 00:00 in `zone` first (breach_hours.py);
    label: plain text naming the target ("P1 resolution of ... against ..."), escaped here;
    ident: the id prefix of the title and desc, unique on the page (by default one made
    from the arguments: two pictures of the same target with the same hours share it).
    """
    week = breach_week(shares)
    if ident is None:
        ident = _ident(shares, zone, label)
    elif not _IDENT.match(ident):
        raise ValueError(f"not an id: {ident!r}")
    # A zone name longer than the legend leaves room for widens the picture (at about
    # 0.6 em a character) rather than run over the legend.
    width = max(WIDTH, ZONE_LEFT + round(0.6 * FONT_SIZE * len(zone)))
    parts = [
        f'<svg class="sc-week__picture" role="img" width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}"'
        f' aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" font-size="{FONT_SIZE}" fill="currentColor">',
        f'<title id="{ident}-title">{attribute(f"Breach hours of the week: {label}")}</title>',
        f'<desc id="{ident}-desc">{attribute(breach_sentence(shares, zone))}</desc>',
    ]
    # Hour ticks above the grid, in the gaps between cells (24 is the end of the day).
    for hour in HOUR_TICKS:
        x = LEFT + hour * PITCH - (PITCH - CELL) / 2
        parts.append(f'<text x="{x:g}" y="{TOP - 5}" text-anchor="middle">{hour:02d}</text>')
        parts.append(f'<path stroke="currentColor" d="M{x:g} {TOP - 3}v3"/>')
    for day, name in enumerate(DAY_LABELS):
        parts.append(f'<text x="0" y="{TOP + day * PITCH + CELL - 2}">{name}</text>')
    for kind in CELL_CLASS:
        origins = [(LEFT + hour % HOURS_PER_DAY * PITCH, TOP + hour // HOURS_PER_DAY * PITCH)
                   for hour, breach in enumerate(week) if breach is kind]
        if origins:
            parts.append(_shapes(kind, origins))
    # The legend: what the two shadings mean, and the zone the hours are in.
    legend_text_y = LEGEND_TOP + CELL - 2
    parts.append("<g>")  # apart from the grid, whose cells are the direct children
    for x, kind in ((LEFT, Breach.EVERY_WEEK), (LEFT + LEGEND_STEP, Breach.SOME_WEEKS)):
        parts.append(_shapes(kind, [(x, LEGEND_TOP)]))
        parts.append(f'<text x="{x + CELL + 4}" y="{legend_text_y}">{kind.value}</text>')
    parts.append(f'<text x="{width}" y="{legend_text_y}" text-anchor="end">{attribute(zone)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def week_picture(shares: Sequence[float], zone: str, label: str, ident: str | None = None) -> Markup:
    """The picture with its sentence under it, for a generated page: one line of HTML.

    A <div> holds both because Markdown keeps a block-level element as raw HTML but not
    an <svg> (it would read the text inside as Markdown); the page must put it on a line
    of its own, with a blank line before and after.
    """
    sentence = attribute(breach_sentence(shares, zone))
    return Markup(
        f'<div class="sc-week">{week_svg(shares, zone, label, ident)}'
        f'<details class="sc-week__words"><summary>In words</summary><p>{sentence}</p></details></div>'
    )
