"""The glossary matcher against hostile terms (issue 13, item 22).

A term alias of N x "the" followed by "zz" against a description of N x "the"
made the old matcher try, at every word, every length from the longest name
down, joining up to N words each time: cubic in N. The matcher now finds, for
every word, the longest name starting there with an Aho-Corasick automaton over
words (see service_catalogue/glossary.py).

- The new matcher finds exactly what the old one found: the old one is copied
  below as the reference, and Hypothesis compares both on generated terms and
  texts (titles, aliases, abbreviations, plurals, repeated words, punctuation,
  mixed case, unicode, odd gaps).
- Its cost is linear, counted as work at two sizes (N and 4N): the Python lines
  and C functions that run inside `find` and the constructor, not seconds. The
  old matcher goes through the same count and comes out super-linear (about 16x
  the work for 4x the size), which shows that the count sees the difference.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service_catalogue.site import glossary
from service_catalogue.site.glossary import Match, TermMatcher, plural_forms


# --------------------------------------------------------------------------
# The reference: TermMatcher as it was before the fix (glossary.py at a86d0cd),
# unchanged but for its name. Its semantics are the contract of the new one.

_WORDS_AND_GAPS = re.compile(f"({glossary.WORD.pattern})")


class ReferenceMatcher:
    def __init__(self, terms):
        self.folded: dict[str, str] = {}
        self.exact: dict[str, str] = {}
        self.max_words = 1
        self.folded_starts: dict[str, int] = {}
        self.exact_starts: dict[str, int] = {}
        for term in terms:
            names = [term.title, *term.aliases]
            for name in names:
                for form in (name, *plural_forms(name)):
                    self._add(self.folded, _normal(form).casefold(), term.id)
            if term.abbreviation:
                for form in (term.abbreviation, term.abbreviation + "s"):
                    self._add(self.exact, _normal(form), term.id)

    def _add(self, table: dict, key: str, term_id: str) -> None:
        if not key:
            return
        table.setdefault(key, term_id)
        words = key.count(" ") + 1
        self.max_words = max(self.max_words, words)
        starts = self.exact_starts if table is self.exact else self.folded_starts
        first = key.split(" ", 1)[0]
        starts[first] = max(starts.get(first, 0), words)

    def find(self, text: str) -> list[Match]:
        words = glossary.WORD.findall(text)
        exact_starts, folded_starts = self.exact_starts, self.folded_starts
        starts = [i for i, word in enumerate(words) if word in exact_starts or word.casefold() in folded_starts]
        if not starts:
            return []
        parts = ends = None
        matches: list[Match] = []
        free = 0
        for index in starts:
            if index < free:
                continue
            word = words[index]
            longest = max(exact_starts.get(word, 0), folded_starts.get(word.casefold(), 0))
            for count in range(min(longest, len(words) - index), 0, -1):
                phrase = word if count == 1 else " ".join(words[index : index + count])
                term_id = self.exact.get(phrase) or self.folded.get(phrase.casefold())
                if not term_id:
                    continue
                if parts is None:
                    parts = _WORDS_AND_GAPS.split(text)
                    ends = list(accumulate(map(len, parts)))
                first, last = 2 * index + 1, 2 * (index + count) - 1
                if count > 1 and not _only_spaces(parts[first + 1 : last : 2]):
                    continue
                start, end = ends[first - 1], ends[last]
                matches.append(Match(start, end, term_id, text[start:end]))
                free = index + count
                break
        return matches

    def term_ids(self, text: str) -> set[str]:
        return {match.term_id for match in self.find(text)}


def _normal(text: str) -> str:
    return " ".join(text.split())


def _only_spaces(gaps: list[str]) -> bool:
    return all(not gap.strip() for gap in gaps)


# --------------------------------------------------------------------------
# (a) The same matches as the reference


@dataclass(frozen=True)
class Term:
    id: str
    title: str
    abbreviation: str
    aliases: list


# Words that share stems, plurals and case folds with each other: "policy" and
# "policies", "box" and "boxes", "ß" and "ss", "İ" (which folds to two code points,
# the second no word character), the "ﬁ" ligature and "fi", final and other sigma,
# composed and decomposed "é", and words with the hyphens and apostrophes WORD
# keeps inside a word.
VOCABULARY = [
    "the", "The", "THE", "a", "A", "service", "Service", "services", "level", "Level", "agreement",
    "agreements", "SLA", "SLAs", "sla", "policy", "policies", "Policy", "box", "boxes", "fix", "fixes",
    "zz", "zzes", "day", "days", "strasse", "straße", "STRASSE", "İstanbul", "istanbul", "ﬁx", "fi",
    "ΣΟΣ", "σος", "σοσ", "café", "cafe\u0301", "e-mail", "E-Mail", "it's", "it’s", "x1", "_", "9",
]
# Gaps between words: spaces and line breaks (a multi-word name may span them),
# punctuation and other characters (it may not), no gap at all (two words become one).
GAPS = [" ", " ", " ", "  ", "\n", " \n ", "\t", "\u00a0", "\u2003", ", ", ". ", "-", " - ", "'", "’", "(", ")",
        "/", "+", "", "--", " — ", "\u200b"]

words = st.sampled_from(VOCABULARY)
# Names: words joined by any gap, so some hold punctuation or odd spacing, and some are
# empty or only spaces; repeated words come from the small vocabulary.
names = st.lists(st.tuples(words, st.sampled_from(GAPS)), min_size=0, max_size=5).map(
    lambda pairs: "".join(word + gap for word, gap in pairs).strip(" ") if pairs else ""
)
terms = st.lists(
    st.builds(
        lambda number, title, abbreviation, aliases: Term(f"t{number}", title, abbreviation, aliases),
        st.integers(0, 5),  # a few ids, so that some terms share one
        names,
        st.one_of(st.just(""), names, words),
        st.lists(names, max_size=3),
    ),
    min_size=1,
    max_size=6,
)
texts = st.lists(st.tuples(words, st.sampled_from(GAPS)), max_size=40).map(
    lambda pairs: "".join(word + gap for word, gap in pairs)
)


def name_texts(term_list, draw):
    """A text made of the terms' own names (and their plurals) with gaps: many matches, many near misses."""
    pieces = [name for term in term_list for name in (term.title, term.abbreviation, *term.aliases) if name]
    pieces += [form for piece in list(pieces) for form in plural_forms(piece)]
    if not pieces:
        return ""
    chosen = draw(st.lists(st.tuples(st.sampled_from(pieces + VOCABULARY), st.sampled_from(GAPS)), max_size=20))
    return "".join(piece + gap for piece, gap in chosen)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms, texts, st.data())
@example(
    [Term("sla", "Service level agreement", "SLA", ["service level agreements"]), Term("service", "Service", "", [])],
    "The service level\nagreement, the SLAs, the service, level agreement.",
    None,
)
@example([Term("a", "the the", "", ["the the the zz"]), Term("b", "the", "THE", [])], "the the the the THE the zz", None)
@example([Term("a", "İstanbul", "", []), Term("b", "ﬁx", "", [])], "i̇stanbul İstanbul fix ﬁx FIX", None)
def test_the_matcher_finds_what_the_reference_finds(term_list, text, data):
    if data is not None and data.draw(st.booleans()):
        text = name_texts(term_list, data.draw)
    reference, matcher = ReferenceMatcher(term_list), TermMatcher(term_list)
    assert matcher.find(text) == reference.find(text), (term_list, text)
    assert matcher.term_ids(text) == reference.term_ids(text)


# --------------------------------------------------------------------------
# (b) Linear work, counted


def counted_work(call) -> int:
    """The work done inside call(): Python lines run and C functions called, in every frame below it.

    Lines count the matcher's own loops; C calls count what each line hands to C
    (a join, a dictionary lookup, a casefold). A C call counts once whatever its
    size, so the old matcher's joins of up to N words make its cubic time show as
    quadratic work here: still far from linear.
    """
    count = 0

    def line_tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return line_tracer

    def call_tracer(frame, event, arg):
        return line_tracer

    def profiler(frame, event, arg):
        nonlocal count
        if event == "c_call":
            count += 1

    previous_trace, previous_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(call_tracer)
    sys.setprofile(profiler)
    try:
        call()
    finally:
        sys.setprofile(previous_profile)
        sys.settrace(previous_trace)
    return count


def adversarial(n: int):
    """The issue's case: an alias of n x "the" and then "zz", a description of n x "the"."""
    return [Term("zed", "Zed", "", ["the " * n + "zz"])], "the " * n


def adversarial_mixed(n: int):
    """Worse still for a matcher that retries: names of n words that do match, in both cases,
    and near misses of them, separated by line breaks and by punctuation."""
    term = Term("zed", "Zed", "THE " * n + "ZZ", ["the " * n + "zz", "the " * n, "the zz " * n])
    text = "the " * n + "zz\n" + "the " * n + "THE " * n + "the zz " * n + ", zz the ".join(["the zz"] * n)
    return [term], text


def growth(matcher_class, case, n: int) -> tuple[float, float]:
    """How much more work 4n costs than n: building the matcher, and finding in the text."""
    work = {}
    for size in (n, 4 * n):
        term_list, text = case(size)
        built = []
        build = counted_work(lambda: built.append(matcher_class(term_list)))
        find = counted_work(lambda: built[0].find(text))
        work[size] = (build, find)
    return work[4 * n][0] / work[n][0], work[4 * n][1] / work[n][1]


# Four times the size is four times the work, plus a little for what does not grow.
LINEAR = 4.5


@pytest.mark.parametrize("case", [adversarial, adversarial_mixed])
def test_finding_terms_is_linear_whatever_the_terms(case):
    build, find = growth(TermMatcher, case, 250)
    assert find <= LINEAR, f"finding in 4x the text with 4x longer names took {find:.1f}x the work"
    assert build <= LINEAR, f"building from 4x longer names took {build:.1f}x the work"


def test_the_issues_largest_case_is_found():
    term_list, text = adversarial(2000)  # the issue's largest: 66 s before
    assert TermMatcher(term_list).find(text) == []
    term_list, text = adversarial_mixed(40)
    assert TermMatcher(term_list).find(text) == ReferenceMatcher(term_list).find(text)
    n = 2000  # the reference would take minutes
    term_list, text = adversarial_mixed(n)
    assert [m.text for m in TermMatcher(term_list).find(text)] == [
        "the " * n + "zz", "the " * (n - 1) + "the", "THE " * (n - 1) + "THE", "the zz " * (n - 1) + "the zz"
    ]


def test_the_reference_was_super_linear():
    """The same count on the old matcher: about 4x4 = 16x the work for 4x the size."""
    _, find = growth(ReferenceMatcher, adversarial, 60)
    assert find > 3 * LINEAR, f"the reference took only {find:.1f}x the work: the count cannot tell"


def test_many_short_names_and_long_texts_are_linear():
    """Typical-looking terms against long text: the work follows the text and the names' size."""

    def work(n):
        term_list = [Term(f"t{i}", f"word{i} level", f"W{i}", [f"word{i}"]) for i in range(n)]
        text = " ".join(f"word{i % n} level W{i % n} the" for i in range(4 * n))
        built = []
        return counted_work(lambda: built.append(TermMatcher(term_list))), counted_work(lambda: built[0].find(text))

    (build_small, find_small), (build_big, find_big) = work(100), work(400)
    assert build_big / build_small <= LINEAR and find_big / find_small <= LINEAR


# --------------------------------------------------------------------------
# Semantics kept, by hand (the property test above covers them in bulk)


def test_exact_abbreviation_wins_over_a_folded_name_of_the_same_length():
    term_list = [Term("title", "Rpo", "", []), Term("abbr", "Recovery point objective", "RPO", [])]
    found = [(m.text, m.term_id) for m in TermMatcher(term_list).find("RPO rpo Rpo")]
    assert found == [("RPO", "abbr"), ("rpo", "title"), ("Rpo", "title")]


def test_a_name_does_not_span_punctuation_but_a_shorter_one_still_matches():
    term_list = [Term("long", "service level agreement", "", []), Term("short", "service level", "", [])]
    matcher = TermMatcher(term_list)
    assert [(m.text, m.term_id) for m in matcher.find("a service level, agreement")] == [("service level", "short")]
    assert [(m.text, m.term_id) for m in matcher.find("a service level\n agreement")] == [("service level\n agreement", "long")]
