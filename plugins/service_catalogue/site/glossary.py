"""Finding glossary terms in text with one matcher for all terms.

Text is split into words once. For every word, the longest name that starts
there comes from an Aho-Corasick automaton over words, built from the names
read backwards and run over the words from last to first: one step per word,
whatever the names are. So the cost grows with the text (and the matches),
not with the number of terms nor with the length of their names: 2,000 terms
cost about what 50 do, and no name makes a text slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


class _BackwardNames:
    """An Aho-Corasick automaton whose letters are words, over names read backwards.

    Fed the words of a text from last to first, its state after word i stands
    for the longest run of words from word i on that some name ends with;
    `longest[state]` is then the longest whole name that starts at word i, as
    (words, term id), or None. Built in time linear in the total size of the
    names. Each step is amortised O(1): a word lengthens the run by one at most,
    and each failure link followed shortens it.
    """

    def __init__(self, names: dict[str, str]):
        self.next: list[dict[str, int]] = [{}]  # state -> word -> state
        self.fail: list[int] = [0]  # state -> the state of its longest proper suffix
        self.longest: list[tuple[int, str] | None] = [None]
        ends: dict[int, tuple[int, str]] = {}
        for key, term_id in names.items():
            state = 0
            words = key.split(" ")
            for word in reversed(words):
                following = self.next[state].get(word)
                if following is None:
                    following = len(self.next)
                    self.next[state][word] = following
                    self.next.append({})
                state = following
            ends[state] = (len(words), term_id)  # keys are distinct: one name per state
        self.fail = [0] * len(self.next)
        self.longest = [None] * len(self.next)
        queue = list(self.next[0].values())  # breadth first: a state's failure is nearer the root
        for state in queue:
            self.longest[state] = ends.get(state)
        for state in queue:
            for word, following in self.next[state].items():
                fallback = self.fail[state]
                while word not in self.next[fallback] and fallback:
                    fallback = self.fail[fallback]
                self.fail[following] = self.next[fallback].get(word, 0)
                self.longest[following] = ends.get(following) or self.longest[self.fail[following]]
                queue.append(following)


class TermMatcher:
    """Built once per build from all terms; `find` is linear in the length of the text."""

    def __init__(self, terms):
        self.folded: dict[str, str] = {}  # casefolded title or alias -> term id
        self.exact: dict[str, str] = {}  # abbreviation, exact case -> term id
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
        self._folded_names = _BackwardNames(self.folded)
        self._exact_names = _BackwardNames(self.exact)

    def _add(self, table: dict, key: str, term_id: str) -> None:
        if not key:
            return
        table.setdefault(key, term_id)  # the first term keeps a shared plural
        words = key.count(" ") + 1
        starts = self.exact_starts if table is self.exact else self.folded_starts
        first = key.split(" ", 1)[0]
        starts[first] = max(starts.get(first, 0), words)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, longest first at each place, in text order."""
        parts = _WORDS_AND_GAPS.split(text)
        words = parts[1::2]
        exact_starts, folded_starts = self.exact_starts, self.folded_starts
        # Only a word that starts some name can start a match: one lookup rules out the rest.
        starts = [i for i, word in enumerate(words) if word in exact_starts or word.casefold() in folded_starts]
        if not starts:
            return []
        longest = self._longest_names(words, parts, starts)
        matches: list[Match] = []
        free = 0  # the first word not inside a match already found
        offset = part = 0  # where part number `part` starts in the text
        for index in starts:
            if index < free or index not in longest:
                continue
            count, term_id = longest[index]
            first, last = 2 * index + 1, 2 * (index + count)  # the parts of the first word and after the last
            start = offset + sum(map(len, parts[part:first]))
            end = start + sum(map(len, parts[first:last]))
            matches.append(Match(start, end, term_id, text[start:end]))
            free, offset, part = index + count, end, last
        return matches

    def _longest_names(self, words: list[str], parts: list[str], starts: list[int]) -> dict[int, tuple[int, str]]:
        """The longest name starting at each start word that starts one: index -> (words, term id).

        The automata run backwards over windows: from a start word to the last word
        a name starting there could reach. Windows that overlap are run as one, so
        no word is stepped over twice, and most words of a text are in none. An
        automaton runs on a window only if a word in it starts a name it knows.
        """
        exact_starts, folded_starts = self.exact_starts, self.folded_starts
        exact_next, exact_fail, exact_longest = self._exact_names.next, self._exact_names.fail, self._exact_names.longest
        folded_next, folded_fail, folded_longest = self._folded_names.next, self._folded_names.fail, self._folded_names.longest
        longest: dict[int, tuple[int, str]] = {}
        last_word = len(words) - 1
        count = len(starts)
        k = 0
        while k < count:
            first = last = starts[k]
            exact_used = folded_used = False
            while k < count and starts[k] <= last:  # the starts inside this window
                index = starts[k]
                word = words[index]
                exact_reach = exact_starts.get(word, 0)
                folded_reach = folded_starts.get(word.casefold(), 0)
                exact_used = exact_used or exact_reach > 0
                folded_used = folded_used or folded_reach > 0
                last = max(last, min(index + max(exact_reach, folded_reach) - 1, last_word))
                k += 1
            if first == last:  # a window of one word: only a name of one word can start there
                word = words[first]
                term_id = exact_used and self.exact.get(word)
                if term_id:
                    longest[first] = (1, term_id)
                elif folded_used:
                    term_id = self.folded.get(word.casefold())
                    if term_id:
                        longest[first] = (1, term_id)
                continue
            exact_state = folded_state = 0
            for index in range(last, first - 1, -1):
                # A name spans only gaps of white space (part 2k + 2 follows word k):
                # anything else starts the automata again.
                if (exact_state or folded_state) and not parts[2 * index + 2].isspace():
                    exact_state = folded_state = 0
                word = words[index]
                exact_name = folded_name = None
                if exact_used:
                    while True:
                        following = exact_next[exact_state].get(word)
                        if following is not None:
                            exact_state = following
                            break
                        if not exact_state:
                            break
                        exact_state = exact_fail[exact_state]
                    exact_name = exact_longest[exact_state]
                if folded_used:
                    word = word.casefold()
                    while True:
                        following = folded_next[folded_state].get(word)
                        if following is not None:
                            folded_state = following
                            break
                        if not folded_state:
                            break
                        folded_state = folded_fail[folded_state]
                    folded_name = folded_longest[folded_state]
                # The longer name wins; of two of the same length, the abbreviation in its exact case.
                if exact_name and (not folded_name or exact_name[0] >= folded_name[0]):
                    longest[index] = exact_name
                elif folded_name:
                    longest[index] = folded_name
        return longest

    def term_ids(self, text: str) -> set[str]:
        return {match.term_id for match in self.find(text)}


def _normal(text: str) -> str:
    return " ".join(text.split())


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
