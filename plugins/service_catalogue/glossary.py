"""Finding glossary terms in text with one matcher for all terms.

Text is split into words once; every run of up to N words (N = the longest
term) is looked up in a dictionary. The cost grows with the text, not with
the number of terms, so 2,000 terms cost about what 50 do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Text split into gap, word, gap, ..., word, gap: word k is part 2k + 1.
_WORDS_AND_GAPS = re.compile(f"({WORD.pattern})")


def plural_forms(phrase: str) -> list[str]:
    """A simple English plural of the last word: policy -> policies, fix -> fixes, SLA -> SLAs."""
    head, _, last = phrase.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    if not last or not last[-1].isalpha():
        return []
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [prefix + form for form in forms]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term_id: str
    text: str


class TermMatcher:
    """Built once per build from all terms; `find` is linear in the length of the text."""

    def __init__(self, terms):
        self.folded: dict[str, str] = {}  # casefolded title or alias -> term id
        self.exact: dict[str, str] = {}  # abbreviation, exact case -> term id
        self.max_words = 1
        # The first word of every name -> the most words a name starting with it has.
        # Most words of a text start no name: one lookup each rules them out.
        self.folded_starts: dict[str, int] = {}  # casefolded
        self.exact_starts: dict[str, int] = {}  # exact case
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
        table.setdefault(key, term_id)  # the first term keeps a shared plural
        words = key.count(" ") + 1
        self.max_words = max(self.max_words, words)
        starts = self.exact_starts if table is self.exact else self.folded_starts
        first = key.split(" ", 1)[0]
        starts[first] = max(starts.get(first, 0), words)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, longest first at each place, in text order."""
        words = WORD.findall(text)
        exact_starts, folded_starts = self.exact_starts, self.folded_starts
        # Only a word that starts some name can start a match: one lookup rules out the rest.
        starts = [i for i, word in enumerate(words) if word in exact_starts or word.casefold() in folded_starts]
        if not starts:
            return []
        parts = ends = None  # the text's words and gaps, and where each ends: once a name is found
        matches: list[Match] = []
        free = 0  # the first word not inside a match already found
        for index in starts:
            if index < free:
                continue
            word = words[index]
            longest = max(exact_starts.get(word, 0), folded_starts.get(word.casefold(), 0))
            for count in range(min(longest, len(words) - index), 0, -1):
                # Words joined by whitespace only: the text with its spaces made single.
                phrase = word if count == 1 else " ".join(words[index : index + count])
                term_id = self.exact.get(phrase) or self.folded.get(phrase.casefold())
                if not term_id:
                    continue
                if parts is None:
                    parts = _WORDS_AND_GAPS.split(text)
                    ends = list(accumulate(map(len, parts)))
                first, last = 2 * index + 1, 2 * (index + count) - 1  # the first and last word's parts
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


def record_text(data) -> str:
    """All the human text of a record, for finding the terms it uses."""
    parts: list[str] = []

    def collect(value, key=""):
        if isinstance(value, str):
            if key not in ("id", "apiVersion", "kind", "url", "email", "hours", "type", "status") and not key.endswith("_on"):
                parts.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)

    collect(data)
    return "\n".join(parts)
