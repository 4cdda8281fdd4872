"""What a rule is, whichever stage runs it: a stable id, what it says in words, an anchor.

The service level checks (analysis/rules.py) and the judges of a change
(diff/rules.py) are rules of this one shape, each with what its stage needs
besides: `check --list-rules`, `diff --help`, the health page and the docs
list both kinds by id and summary, and link to a rule's section by its anchor.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str  # stable: shown in every output, documented and switched off under it
    summary: str  # in words: what an analysis rule finds; when a diff rule says weakened

    @property
    def anchor(self) -> str:
        """An HTML id for the rule's section (dots would start a class in attr_list)."""
        return self.id.replace(".", "-")
