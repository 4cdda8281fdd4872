"""OpenSLO v1 objects: an SLO for each availability target and each metric measured over a
window, of the active agreements, and a Service for each catalogue service they cover.

Each SLO's window is calendar-aligned, as the catalogue's reporting windows are (a
month from its first day, a quarter from January, April, July or October, a week from
Monday, a year from 1 January), in the time zone of the agreement's service hours.

The budgeting method is Occurrences: the catalogue's availability is itself a ratio,
good covered minutes over all covered minutes, and a percentage metric is a share of
good events (messages delivered in time, calls answered). Timeslices would need the
size of a slice and the share of it that must be good, which no record states.

The indicator is a reference (`indicatorRef`) to an SLI that the team defines: the
catalogue says what must be measured, not how a monitoring system measures it, and
a query written here would be an invented one. Each SLO's `service-catalogue/indicator`
annotation says what that SLI must count.

An agreement covering several services measures them together (downtime of any is
downtime), so each of its targets becomes one SLO per service, all naming one SLI.
"""

from __future__ import annotations

import datetime as dt

from service_catalogue.exports.addresses import PageAddresses
from service_catalogue.exports.base import GENERATOR, Export, finished, shortened
from service_catalogue.exports.names import dns_labels
from service_catalogue.exports.yaml_text import documents
from service_catalogue.model import Agreement, Catalogue, Metric

API_VERSION = "openslo/v1"
BUDGETING_METHOD = "Occurrences"
PREFIX = "service-catalogue"
# OpenSLO's duration shorthand for each window of the catalogue (README, "duration-shorthand").
DURATION = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}
# The reference validator's limits (OpenSLO go-sdk, pkg/openslo/v1): displayName at most
# 63 characters; a description at most 1050 (the specification's "Notes").
DISPLAY_NAME = 63
DESCRIPTION = 1050


class _Target:
    """One target of an agreement that becomes an SLO: availability, or a metric."""

    def __init__(self, agreement: Agreement, key: str, title: str, percent: float, window: str, indicator: str, words: str):
        self.agreement, self.key, self.title = agreement, key, title
        self.percent, self.window, self.indicator, self.words = percent, window, indicator, words


def slos(catalogue: Catalogue, addresses: PageAddresses) -> Export:
    notes: list[str] = []
    targets: list[_Target] = []
    skipped = [a for a in catalogue.agreements if a.status != "active"]
    if skipped:
        notes.append(f"{len(skipped)} agreement{'s' * (len(skipped) != 1)} not active (draft, expired, terminated "
                     f"or superseded), left out: {', '.join(a.id for a in skipped)}")
    for agreement in catalogue.agreements:
        if agreement.status == "active":
            targets += _targets(agreement, notes)
    indicator_names = dns_labels({(t.agreement.id, t.key): (t.agreement.id, t.key) for t in targets}, "OpenSLO SLI names")
    slo_keys = {(t.agreement.id, t.key, s.id): (t.agreement.id, t.key, *((s.id,) if len(t.agreement.services) > 1 else ()))
                for t in targets for s in t.agreement.services}
    slo_names = dns_labels(slo_keys, "OpenSLO SLO names")
    services = {s.id: s for t in targets for s in t.agreement.services}
    service_names = dns_labels({i: (i,) for i in services}, "OpenSLO Service names")
    objects: list[dict] = []
    for service_id in sorted(services, key=lambda i: (services[i].title.casefold(), i)):
        service = services[service_id]
        spec = {"description": shortened(service.summary or service.title, DESCRIPTION)}
        objects.append({"apiVersion": API_VERSION, "kind": "Service",
                        "metadata": {"name": service_names[service_id], "displayName": shortened(service.title, DISPLAY_NAME),
                                     "annotations": {f"{PREFIX}/id": service_id}},
                        "spec": spec})
    for target in targets:
        for service in target.agreement.services:
            objects.append(_slo(target, slo_names[(target.agreement.id, target.key, service.id)],
                                service_names[service.id], indicator_names[(target.agreement.id, target.key)], addresses))
    header = (f"OpenSLO v1 objects, made by {GENERATOR} from the service catalogue.\n"
              "Every SLO names its indicator with indicatorRef: define an SLI of that name that measures what the\n"
              f"SLO's {PREFIX}/indicator annotation says. This file writes no query of its own.")
    return finished(documents(objects, header), notes, "the OpenSLO export")


def _targets(agreement: Agreement, notes: list[str]) -> list[_Target]:
    found = []
    calendar = agreement.calendar
    availability = agreement.get("availability")
    wanted = ([("availability", availability)] if availability else []) + [(m.id, m) for m in agreement.metric_targets if m.window]
    if wanted and calendar is None:
        notes.append(f"Agreement `{agreement.id}` states no service hours, so no time zone to align its windows to: "
                     "its targets are left out")
        return []
    services = ", ".join(s.title for s in agreement.services)
    if availability:
        target = availability["target"]
        if target >= 100:
            notes.append(f"Agreement `{agreement.id}`: an availability target of 100% leaves no error budget, and "
                         "OpenSLO's targetPercent must be below 100; left out")
        else:
            maintenance = ", less its maintenance windows" if agreement.maintenance_windows else ""
            indicator = (f"A ratio of minutes of the agreement's service hours ({calendar.title}{maintenance}): good, the "
                         f"minutes in which no unplanned outage of {services} held (any one of them down is down); "
                         "total, all those minutes.")
            found.append(_Target(agreement, "availability", "availability", target, availability["window"], indicator,
                                 f"{target:g}% availability"))
    for metric in agreement.metric_targets:
        if metric.window:
            made = _metric_target(agreement, metric, notes)
            if made:
                found.append(made)
    return found


def _metric_target(agreement: Agreement, metric: Metric, notes: list[str]) -> _Target | None:
    where = f"Agreement `{agreement.id}`, metric `{metric.id}`"
    if metric.number is None or metric.unit != "%":
        notes.append(f"{where}: a threshold ({metric.target_words()} {metric.direction}) is not a share of good "
                     "events, and an OpenSLO objective needs the share in which it must hold, which the agreement "
                     "does not state; left out")
        return None
    number = float(metric.number)
    if metric.direction == "at-least":
        percent, indicator = number, f"A ratio of events: good, those that meet \"{metric.title}\"; total, all of them."
    else:  # at most a share of bad events is at least the rest of them good
        percent = round(100 - number, 6)
        indicator = (f"A ratio of events: good, those that do not count towards \"{metric.title}\" (it is at most "
                     f"{number:g}%, so at least {percent:g}% of the events are good); total, all of them.")
    if not 0 <= percent < 100:
        notes.append(f"{where}: a target that allows no bad event leaves no error budget, and OpenSLO's "
                     "targetPercent must be below 100; left out")
        return None
    return _Target(agreement, metric.id, metric.title or metric.id, percent, metric.window, indicator,
                   f"{metric.target_words()} {metric.direction}")


def _slo(target: _Target, name: str, service: str, indicator: str, addresses: PageAddresses) -> dict:
    agreement = target.agreement
    calendar = agreement.calendar
    assert calendar is not None  # targets without service hours were left out
    annotations = {f"{PREFIX}/agreement": agreement.id, f"{PREFIX}/target": target.key,
                   f"{PREFIX}/indicator": f"Define the SLI `{indicator}`. {target.indicator}"}
    page = addresses.of(agreement)
    if page:
        annotations[f"{PREFIX}/page"] = page
    description = (f"{agreement.type} {agreement.title}: {target.title}, {target.words} per {target.window}, "
                   f"measured in the time zone of {calendar.title} ({calendar.data['timezone']}).")
    return {
        "apiVersion": API_VERSION,
        "kind": "SLO",
        "metadata": {"name": name, "displayName": shortened(f"{agreement.title}: {target.title}", DISPLAY_NAME),
                     "annotations": annotations},
        "spec": {
            "description": shortened(description, DESCRIPTION),
            "service": service,
            "indicatorRef": indicator,
            "budgetingMethod": BUDGETING_METHOD,
            "timeWindow": [{"duration": DURATION[target.window], "isRolling": False,
                            "calendar": {"startTime": f"{_window_start(target.window, agreement.start).isoformat()} 00:00:00",
                                         "timeZone": calendar.data["timezone"]}}],
            "objectives": [{"displayName": shortened(target.words, DISPLAY_NAME), "targetPercent": target.percent}],
        },
    }


def _window_start(window: str, start: dt.date) -> dt.date:
    """The first day of the window the agreement starts in: the windows' alignment."""
    if window == "day":
        return start
    from service_catalogue.performance.windows import window_bounds  # numpy: only when an SLO is made

    return window_bounds(window, start, start)[0][0]
