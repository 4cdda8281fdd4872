"""Service level analysis over the linked model: consistency checks across the agreement
chain (SLA -> OLA -> UC), terms and reviews, coverage, lifecycle, and the figures of
the "Service level health" page.

    findings = analyse(catalogue, as_of=date(2026, 11, 29), disabled={"term.ending-soon"})

Modules: findings (the Finding), rules (the rules and analyse), figures (derived
figures), health (the health page's numbers); the report package writes findings as
text, JSON or GitHub annotations, cli/check.py is `service-catalogue check`.
Names below are imported on first use.
"""

from importlib import import_module

_EXPORTS = {
    "Finding": "findings",
    "RULES": "rules",
    "Rule": "rules",
    "UnknownRuleError": "rules",
    "analyse": "rules",
    "run_rules": "rules",
    "check_rule_ids": "rules",
    "Ceiling": "figures",
    "HealthFigures": "health",
    "availability_ceiling": "figures",
    "composite_availability": "figures",
    "health_figures": "health",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
