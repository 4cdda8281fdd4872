"""The picture of a breach week (site/week_picture.py).

The SVG is parsed as XML, as a browser would read it inline; its cells are read back
from the paths' geometry into (day, hour) pairs. The colours are held to WCAG 1.4.11
(3:1 for graphics, 4.5:1 for the small labels) against the backgrounds of the Material
version installed, light and slate, with both stylesheets read and resolved as CSS is.
"""

from __future__ import annotations

import colorsys
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import material
import pytest

from helpers.breach_weeks import HOLIDAY_MONDAYS, MIXED, SGT, WEEKDAY_EVENINGS
from service_catalogue.breach_hours import Breach
from service_catalogue.site import week_picture as wp
from service_catalogue.site.week_picture import breach_sentence, week_picture, week_svg

STYLESHEET = Path(wp.__file__).parent / "assets" / "service-catalogue.css"
MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
HOSTILE = "<script>alert(1)</script> & \"double\" 'single' {{ x }} *em* _u_ `c`"


def svg_of(shares, zone=SGT, label="P1 resolution of Campus Network SLA against Trunkline UC", **kw) -> ET.Element:
    return ET.fromstring(str(week_svg(shares, zone, label, **kw)))


def squares(path: ET.Element) -> list[tuple[int, int]]:
    """The (day, hour) of each square of a cell path, from its corner."""
    found = re.findall(r"M([\d.]+) ([\d.]+)h12v12h-12z", path.get("d", ""))
    assert "".join(f"M{x} {y}h12v12h-12z" for x, y in found) == path.get("d"), "a path holds something but squares"
    return [((int(y) - wp.TOP) // wp.PITCH, (int(x) - wp.LEFT) // wp.PITCH) for x, y in found]


def grid_cells(svg: ET.Element) -> dict[str, list[tuple[int, int]]]:
    """The cells of the grid (not of the legend) by class."""
    return {path.get("class"): squares(path) for path in svg.findall("path")  # the legend is in a <g>
            if path.get("class", "").startswith("sc-week__") and "h12v12" in path.get("d", "")}


def hours_of(shares, wanted) -> list[tuple[int, int]]:
    return [divmod(i, 24) for i, share in enumerate(shares) if wanted(share)]


# -- the picture -------------------------------------------------------------------


@pytest.mark.parametrize("shares", [WEEKDAY_EVENINGS, MIXED, HOLIDAY_MONDAYS, [0.0] * 168, [1.0] * 168])
def test_the_shaded_cells_are_the_breaching_hours(shares):
    cells = grid_cells(svg_of(shares))
    every, some = hours_of(shares, lambda s: s == 1.0), hours_of(shares, lambda s: 0 < s < 1)
    never = hours_of(shares, lambda s: s == 0)
    assert cells.get("sc-week__every", []) == every
    assert cells.get("sc-week__some", []) == some
    assert cells.get("sc-week__never", []) == never
    assert sorted(every + some + never) == [(d, h) for d in range(7) for h in range(24)]


def test_weekday_evenings_shade_78_cells_solid_and_none_struck():
    svg = svg_of(WEEKDAY_EVENINGS)
    cells = grid_cells(svg)
    assert len(cells["sc-week__every"]) == 5 * 6 + 2 * 24 == 78
    assert "sc-week__some" not in cells
    assert (0, 18) in cells["sc-week__every"] and (0, 17) in cells["sc-week__never"]  # Monday 18:00, 17:00
    # Only the legend's key is struck through.
    assert [p.get("class") for p in svg.iter("path") if p.get("class") == "sc-week__hatch"] == ["sc-week__hatch"]


def test_some_weeks_cells_are_struck_through_each():
    svg = svg_of(MIXED)
    (hatch,) = [p for p in svg.findall("path") if p.get("class") == "sc-week__hatch"]  # the grid's, not the key's
    strokes = re.findall(r"M([\d.]+) ([\d.]+)l12 -12", hatch.get("d"))
    assert [((int(y) - 12 - wp.TOP) // wp.PITCH, (int(x) - wp.LEFT) // wp.PITCH) for x, y in strokes] == [
        (2, hour) for hour in range(9, 17)
    ]
    assert hatch.get("fill") == "none" and hatch.get("stroke")


def test_a_picture_needs_a_week_of_shares():
    with pytest.raises(ValueError):
        week_svg([0.0] * 167, SGT, "x")
    with pytest.raises(ValueError):
        week_picture([0.0] * 167 + [2.0], SGT, "x")


def test_title_desc_and_names_for_assistive_technology():
    svg = svg_of(MIXED)
    assert svg.tag == "svg" and svg.get("role") == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert list(svg)[:2] == [title, desc], "title and desc come first"
    assert svg.get("aria-labelledby") == title.get("id") and svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Breach hours of the week: P1 resolution of Campus Network SLA against Trunkline UC"
    assert desc.text == ("Breaches if raised: Monday to Friday 18:00–24:00, Saturday and Sunday all day"
                         " (Asia/Singapore); on some weeks only: Wednesday 09:00–17:00.")


def test_day_labels_hour_ticks_legend_and_zone():
    texts = [t.text for t in svg_of(MIXED, zone="Europe/London").iter("text")]
    assert texts == ["00", "06", "12", "18", "24", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
                     "every week", "some weeks", "Europe/London"]


def test_the_picture_is_small_and_a_long_zone_name_widens_it():
    svg = svg_of(MIXED)
    assert 300 <= int(svg.get("width")) <= 400 and svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"
    wide = svg_of(MIXED, zone="America/Argentina/ComodRivadavia")
    assert int(wide.get("width")) > int(svg.get("width"))


@pytest.mark.parametrize("shares", [MIXED, [1.0] * 168])
def test_no_script_no_links_no_network(shares):
    out = str(week_picture(shares, SGT, HOSTILE))
    for needle in ("<script", "href=", "http", "url(", "@import", "<style", "<image", "<foreignObject", "<use"):
        assert needle not in out, needle
    root = ET.fromstring(out)  # the whole fragment, svg and words, is well-formed
    assert not [name for element in root.iter() for name in element.attrib if name.lower().startswith("on")]


def test_a_hostile_label_and_zone_stay_text():
    out = str(week_picture(MIXED, "Asia/<b>Singapore</b>", HOSTILE + "\x00\x1b[31m"))
    root = ET.fromstring(out)
    svg = root.find("svg")
    # The text reads back as written, but for the control characters (U+FFFD: XML has none).
    assert svg.find("title").text == f"Breach hours of the week: {HOSTILE}\ufffd\ufffd[31m"
    assert [t.text for t in svg.iter("text")][-1] == "Asia/<b>Singapore</b>"
    assert "<script" not in out and "<b>" not in out and "{{" not in out and "\x00" not in out
    assert root.find("details/p").text == svg.find("desc").text


def test_the_words_under_the_picture_are_its_desc():
    root = ET.fromstring(str(week_picture(HOLIDAY_MONDAYS, SGT, "x")))
    assert root.tag == "div" and root.get("class") == "sc-week"
    assert root.find("details/summary").text == "In words"
    assert root.find("details/p").text == breach_sentence(HOLIDAY_MONDAYS, SGT) == (
        "Breaches if raised: on some weeks only: Monday all day (Asia/Singapore).")


def test_ids_are_the_same_every_build_and_differ_per_picture():
    first = week_svg(MIXED, SGT, "P1 resolution")
    assert week_svg(list(MIXED), SGT, "P1 resolution") == first
    ids = {svg_of(MIXED, label=label).find("title").get("id") for label in ("P1 resolution", "P2 resolution")}
    ids |= {svg_of(WEEKDAY_EVENINGS, label="P1 resolution").find("title").get("id")}
    assert len(ids) == 3
    assert svg_of(MIXED, ident="target-3").find("desc").get("id") == "target-3-desc"
    with pytest.raises(ValueError):
        week_svg(MIXED, SGT, "x", ident='a" onload="x')


def test_markdown_keeps_the_picture_as_it_is():
    """A page puts it on a line of its own: Markdown passes the <div> through untouched,
    also when the label holds Markdown's punctuation (an <svg> alone would be read as text)."""
    out = str(week_picture(MIXED, SGT, HOSTILE))
    extensions = ["md_in_html", "attr_list", "pymdownx.details", "abbr"]  # as the example site's mkdocs.yml
    page = markdown.markdown(f"Before.\n\n{out}\n\nAfter.", extensions=extensions)
    assert out in page


# -- the colours -------------------------------------------------------------------


def _declarations(block: str) -> dict[str, str]:
    return {name.strip(): value.strip() for name, value in re.findall(r"([-\w]+)\s*:\s*([^;]+)", block)}


def _block(css: str, selector: str) -> dict[str, str]:
    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert found, f"no {selector} in the stylesheet"
    return _declarations(found.group(1))


def _material(name: str) -> str:
    (path,) = MATERIAL_CSS.glob(f"{name}.*.min.css")
    return path.read_text("utf-8")


def scheme(slate: bool) -> dict[str, str]:
    """The custom properties in effect in .sc-week under Material's light or slate scheme."""
    ours = STYLESHEET.read_text("utf-8")
    props = _block(_material("main"), ":root,[data-md-color-scheme=default]")
    if slate:
        props |= _block(_material("palette"), "[data-md-color-scheme=slate]")
    props |= _block(ours, ".sc-week")
    if slate:
        props |= _block(ours, '[data-md-color-scheme="slate"] .sc-week')
    return props


def resolve(value: str, props: dict[str, str]) -> str:
    while "var(" in value:
        value = re.sub(r"var\((--[-\w]+)\)", lambda m: props[m.group(1)], value)
    return value


def rgba(value: str) -> tuple[float, float, float, float]:
    value = value.strip()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i:i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return (*channels[:3], channels[3] if len(channels) == 4 else 1.0)  # type: ignore[return-value]
    found = re.fullmatch(r"hsla?\(\s*([\d.]+)(?:deg)?\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*(?:,\s*([\d.]+))?\s*\)", value)
    assert found, f"not a colour this test reads: {value}"
    h, s, l, a = found.groups()
    r, g, b = colorsys.hls_to_rgb(float(h) / 360, float(l) / 100, float(s) / 100)
    return r, g, b, float(a) if a else 1.0


def over(colour, background):
    """colour composited over an opaque background."""
    *c, a = colour
    return tuple(a * x + (1 - a) * y for x, y in zip(c, background[:3])) + (1.0,)


def luminance(colour) -> float:
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("slate", [False, True], ids=["light", "slate"])
def test_the_shading_reads_in_light_and_dark(slate):
    props = scheme(slate)
    background = rgba(resolve(props["--md-default-bg-color"], props))
    assert background[3] == 1.0
    assert (background[:3] == (1.0, 1.0, 1.0)) is not slate

    def colour(name):
        return over(rgba(resolve(props[name], props)), background)

    every, some, never = colour("--sc-week-every"), colour("--sc-week-some"), colour("--sc-week-never")
    assert contrast(every, background) >= 3, "a breaching cell against the page"
    assert contrast(every, never) >= 3, "a breaching cell against the cell next to it"
    assert contrast(every, some) >= 3, "the stroke (the every-week colour) across a some-weeks cell"
    picture = _block(STYLESHEET.read_text("utf-8"), ".sc-week__picture")
    labels = over(rgba(resolve(picture["color"], props)), background)
    assert contrast(labels, background) >= 4.5, "the day and hour labels are small text"


def test_the_svgs_own_colours_are_the_light_schemes():
    props = scheme(slate=False)
    assert {kind: rgba(resolve(props[f"--sc-week-{kind.name.split('_')[0].lower()}"], props)) for kind in Breach} == {
        kind: rgba(fill) for kind, fill in wp.FALLBACK_FILL.items()
    }
    assert rgba(wp.FALLBACK_HATCH) == rgba(resolve(props["--sc-week-every"], props))


def test_the_stylesheet_styles_every_class_the_picture_uses():
    css = STYLESHEET.read_text("utf-8")
    used = set(re.findall(r'class="([^"]+)"', str(week_picture(MIXED, SGT, "x"))))
    for css_class in used:
        assert re.search(rf"\.{css_class}\b", css), css_class
