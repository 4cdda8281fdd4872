"""Plain prose in Markdown fields skips Python-Markdown and the sanitiser (render/text.py).

The shortcut must give exactly what the converter and sanitiser give, or a field
would render differently when it happens to be plain. Hypothesis writes texts
from the characters the shortcut accepts and the words that come near Markdown
syntax (list markers, rules, colons, URLs), and compares both ways.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service_catalogue.site import text

WORDS = ["Service", "level", "a", "I", "1.", "2)", "-", "--", "---", "x:", ": y", "(see)", '"q"', "'s", "50%",
         "a/b", "http://x.org/a", "e.g.", "Note:", "A.", "i.", "Z", "P1", "to", "and"]
GAPS = [" ", " ", "\n", "\n\n", "  ", "\n\n\n", ""]
CHARACTERS = "aZ09 .,;:?'\"()/%-\n"

prose_like = st.one_of(
    st.text(alphabet=CHARACTERS + "abcxyz", min_size=1, max_size=60),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), min_size=1, max_size=30).map(
        lambda pairs: "".join(word + gap for word, gap in pairs)
    ),
)


@settings(max_examples=400, deadline=None)
@given(prose_like)
def test_the_prose_shortcut_writes_what_markdown_and_the_sanitiser_write(value):
    if not text._PROSE.fullmatch(value):
        return  # not prose: the converter handles it as before
    for raw_html in (False, True):
        assert text._prose_html(value) == text.MarkdownFields(raw_html)._converted(value), repr(value)


def test_the_shortcut_takes_typical_descriptions_and_leaves_markup_alone():
    assert text._PROSE.fullmatch("Email and calendars for staff.\n\nSupported 08:00-18:00 (UK time).\n")
    for markup in ("- a list", "1. first", "a *word*", "see [x](y)", "a <b>", "Title\n=====", "a  \nb", "# Heading"):
        assert not text._PROSE.fullmatch(markup), markup
