"""The linked model: records as entities that know what they name and what names them."""

from __future__ import annotations

from calendar import monthrange
import datetime as dt
from calendar import isleap
import re
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeVar, cast

from service_catalogue import credits
from service_catalogue.lazy import cached_property
from service_catalogue.fields import DataPath, parse_date
from service_catalogue.kinds import KIND_BY_NAME, KINDS, KindName
from service_catalogue.validation.loader import Record
from service_catalogue.validation.references import ReferenceField, record_references
from service_catalogue.timeplan import (
    DAY_NAMES,
    WEEKDAYS,
    Duration,
    WeeklyCoverage,
    days_words,
    downtime_budget_minutes,
    format_minutes,
    maintenance_in_covered_time,
)


EntityT = TypeVar("EntityT", bound="Entity")

# The months between two reviews, by `review.frequency`.
REVIEW_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
# The same, in words: "due a year after the last review".
REVIEW_INTERVAL = {"monthly": "a month", "quarterly": "three months", "semiannual": "six months", "annual": "a year"}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 January + 1: 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))

# The lifecycles the schemas allow (their `status` enums); the diff ranks them, the
# analysis and the site read them.
ServiceStatus = Literal["pipeline", "live", "retired"]
AgreementStatus = Literal["draft", "active", "expired", "terminated", "superseded"]
# How an agreement's term stands on the agreement index: its status when that has
# ended it, else whether its period has ended or ends within the warning window.
TermState = Literal["expired", "terminated", "superseded", "ending", ""]


@dataclass(frozen=True)
class Link:
    source: "Entity"
    target: "Entity"
    field: ReferenceField
    path: DataPath  # where in the source's data the reference is


class Entity:
    kind: ClassVar[KindName]  # each subclass says which

    def __init__(self, record: Record, catalogue: "Catalogue"):
        self.record = record
        self.data = record.data
        self.catalogue = catalogue
        self.outgoing: list[Link] = []
        self.incoming: list[Link] = []

    def __repr__(self):
        return f"<{self.kind} {self.id}>"

    id = property(lambda self: self.data["id"])
    title = property(lambda self: self.data["title"])
    summary = property(lambda self: self.data.get("summary", ""))
    description = property(lambda self: self.data.get("description", ""))
    tags = property(lambda self: self.data.get("tags", []))
    links = property(lambda self: self.data.get("links", []))

    def get(self, key, default=None):
        return self.data.get(key, default)

    def __getitem__(self, key):  # lets templates write record.cost for record.data["cost"]
        return self.data[key]

    @property
    def page(self) -> str:
        """The generated page's path inside the section, e.g. services/email.md (a term's: glossary.md)."""
        return KIND_BY_NAME[self.kind].record_page(self.id)

    @property
    def anchor(self) -> str:
        return KIND_BY_NAME[self.kind].record_anchor(self.id)

    @property
    def source(self) -> str:
        return str(self.record.location())

    def targets(self, path: str) -> list["Entity"]:
        return [link.target for link in self.outgoing if link.field.path == path]

    def typed_targets(self, cls: type[EntityT], path: str) -> list[EntityT]:
        """targets, typed by the kind the reference field names. Not filtered by it: a
        reference to another kind fails the checks (ref.kind), so only a catalogue with
        errors, such as a side of a diff, holds one, and the model links what the id
        names even then, as it always has."""
        return cast("list[EntityT]", self.targets(path))

    def target(self, path: str):
        found = self.targets(path)
        return found[0] if found else None

    def sources(self, cls: type[EntityT], path: str) -> list[EntityT]:
        """The entities of one kind whose `path` names this one, each once, by title."""
        seen: set[str] = set()
        result: list[EntityT] = []
        for link in self.incoming:
            source = link.source
            if isinstance(source, cls) and link.field.path == path and source.id not in seen:
                seen.add(source.id)
                result.append(source)
        return sorted(result, key=lambda e: e.title.casefold())

    def resolve(self, target_id):
        return self.catalogue.by_id.get(target_id) if isinstance(target_id, str) else None


@dataclass(frozen=True)
class Holiday:
    """One holiday of a calendar: a day without cover, once or every year."""

    date: dt.date  # its date; of a recurring one, the first year it applies
    title: str
    recurring: bool
    calendar: "Calendar"  # the calendar that writes it: the one asked, or one it inherits from

    @classmethod
    def all_of(cls, calendar: "Calendar") -> list["Holiday"]:
        """The holidays a calendar writes itself. One without a real date is left out: only a
        record that failed the schema has one (the base side of a diff may)."""
        found = []
        for data in calendar.data.get("holidays") or ():
            day = parse_date(data.get("date")) if isinstance(data, dict) else None
            if day is not None:
                found.append(cls(day, str(data.get("title", "")), data.get("recurring") is True, calendar))
        return found

    @property
    def leap_day(self) -> bool:
        return (self.date.month, self.date.day) == (2, 29)

    def dates(self, first_year: int, last_year: int) -> list[dt.date]:
        """Its days from first_year to last_year (inclusive). A recurring 29 February falls in
        leap years only, as RFC 5545 reads a yearly rule on that date: moved to 28 February
        it would be a day without cover that nobody wrote."""
        if not self.recurring:
            return [self.date] if first_year <= self.date.year <= last_year else []
        found = []
        for year in range(max(first_year, self.date.year), last_year + 1):
            if self.leap_day and not isleap(year):
                continue
            found.append(self.date.replace(year=year))
        return found

    @property
    def repeats(self) -> str:
        """How it repeats, in words ("every year from 2026"); "" for a holiday of one year."""
        if not self.recurring:
            return ""
        if self.leap_day:
            first = next(year for year in range(self.date.year, self.date.year + 8) if isleap(year))
            return f"every leap year from {first}"
        return f"every year from {self.date.year}"


class Calendar(Entity):
    kind = "Calendar"

    @cached_property
    def coverage(self) -> WeeklyCoverage:
        return WeeklyCoverage.from_calendar_data(self.data)

    @property
    def always(self) -> bool:
        return self.data.get("always") is True

    @property
    def hours_per_week(self) -> float:
        return self.coverage.hours_per_week

    @property
    def weekly_rows(self) -> list[tuple[str, list[tuple[str, str]], float]]:
        """(day name, [(from, to), ...], hours) for each day of the week, in order."""
        rows = []
        for day in WEEKDAYS:
            if self.always:
                windows = [("00:00", "24:00")]
            else:
                windows = sorted(
                    (w["from"], w["to"]) for w in self.data.get("weekly") or () if day in w["days"]
                )
            rows.append((DAY_NAMES[day], windows, self.coverage.minutes_by_day[day] / 60))
        return rows

    @property
    def holidays(self) -> list[dict]:
        """The calendar's own holidays as written, by date (holiday_list adds the inherited ones)."""
        return sorted(self.data.get("holidays") or (), key=lambda h: h["date"])

    @property
    def holidays_from(self) -> list["Calendar"]:
        """The calendars named in `holidays_from`, in the order written."""
        return self.typed_targets(Calendar, "holidays_from[]")

    @cached_property
    def inherited_from(self) -> list["Calendar"]:
        """Every calendar whose holidays this one keeps: holidays_from, and theirs in turn,
        each once, nearest first. A cycle is an error of the checks; a catalogue with one
        (a side of a diff) still ends here, as the calendar itself and each seen one are skipped."""
        found: dict[str, Calendar] = {}
        queue = list(self.holidays_from)
        while queue:
            calendar = queue.pop(0)
            if calendar.id == self.id or calendar.id in found or not isinstance(calendar, Calendar):
                continue
            found[calendar.id] = calendar
            queue.extend(calendar.holidays_from)
        return list(found.values())

    @cached_property
    def holiday_list(self) -> list[Holiday]:
        """The holidays of this calendar: its own and the inherited ones, each with the calendar
        that writes it, by date (own first on a date both have). The one answer to "which
        days does this calendar not cover"."""
        holidays = Holiday.all_of(self)
        for calendar in self.inherited_from:
            holidays.extend(Holiday.all_of(calendar))
        return sorted(holidays, key=lambda h: (h.date, h.calendar is not self))

    def holiday_dates(self, first_year: int, last_year: int) -> list[tuple[dt.date, Holiday]]:
        """Every day without cover from first_year to last_year (inclusive), recurring
        holidays expanded, by date; a day two holidays share is listed for each."""
        found = [(day, holiday) for holiday in self.holiday_list for day in holiday.dates(first_year, last_year)]
        return sorted(found, key=lambda pair: pair[0])

    @property
    def has_recurring_holidays(self) -> bool:
        return any(h.recurring for h in self.holiday_list)

    @property
    def ics_path(self) -> str:
        """The calendar's iCalendar file inside the section, next to its page: service-hours/ID.ics."""
        return self.page.removesuffix(".md") + ".ics"

    @property
    def users(self) -> list[Entity]:
        seen, result = set(), []
        for link in self.incoming:
            if link.source.id not in seen:
                seen.add(link.source.id)
                result.append(link.source)
        return sorted(result, key=lambda e: (e.kind, e.title.casefold()))


# What a priority's row is for, and how section 6.2 titles a table of them.
PriorityScope = Literal["incidents", "requests"]
PRIORITY_SCOPES: tuple[PriorityScope, ...] = ("incidents", "requests")
PRIORITY_TABLE_TITLES: dict[PriorityScope, str] = {"incidents": "Incidents", "requests": "Service requests"}


class Priority:
    def __init__(self, agreement: "Agreement", data: dict):
        self.agreement = agreement
        self.data = data
        self.id = data["id"]
        self.title = data.get("title", "")
        self.description = data.get("description", "")
        self.examples: list[str] = data.get("examples") or []
        self.applies_to: PriorityScope = data.get("applies_to", "incidents")
        # None where the document states no target: the page says "no target".
        self.response = Duration.parse(data.get("response"))
        self.resolution = Duration.parse(data.get("resolution"))
        # None where neither the priority nor the agreement states service hours: its
        # minutes and hours then count elapsed time.
        self.calendar = agreement.resolve(data.get("hours")) or agreement.calendar

    @property
    def name(self) -> str:
        """What the document calls it: its `title` ("Critical", format 1.1) when given, else its id."""
        return self.data.get("title") or self.id

    @property
    def own_hours(self) -> bool:
        return "hours" in self.data

    @property
    def best_effort(self) -> bool:
        """Neither a response nor a resolution target: the document promises none."""
        return self.response is None and self.resolution is None

    @property
    def coverage(self) -> WeeklyCoverage | None:
        return self.calendar.coverage if self.calendar else None

    def minutes(self, which: str) -> float | None:
        """The target in minutes of the calendar that applies (elapsed minutes where none
        does); None where there is no target, or a day or week with no calendar to say how long."""
        duration = getattr(self, which)
        return duration.covered_minutes(self.coverage) if duration is not None else None

    def time_words(self, which: str) -> str:
        """A target as the 6.2 table shows it: "4 hours", "1 service day (10 hours)", "no target"."""
        duration = getattr(self, which)
        if duration is None:
            return "no target (best effort)" if self.best_effort else "no target"
        return duration.words(self.coverage)

    @property
    def response_minutes(self):
        return self.minutes("response")

    @property
    def resolution_minutes(self):
        return self.minutes("resolution")


class Metric:
    """A target other than availability: a number with a unit, or a duration of covered time."""

    def __init__(self, agreement: "Agreement", data: dict):
        self.agreement = agreement
        self.data = data
        self.id = data["id"]
        self.title = data.get("title", "")
        self.description = data.get("description", "")
        self.direction = data.get("direction", "")
        self.window = data.get("window", "")
        target = data.get("target")
        self.duration = Duration.parse(target) if isinstance(target, str) else None
        self.number = target if isinstance(target, (int, float)) and not isinstance(target, bool) else None
        self.unit = data.get("unit", "")
        # The calendar a duration target counts in: the metric's own hours, else the agreement's.
        self.hours = agreement.resolve(data.get("hours")) or agreement.calendar
        self.calendar = self.hours if self.duration else None  # a number target counts no time

    @property
    def own_hours(self) -> bool:
        return "hours" in self.data

    @property
    def target_minutes(self) -> float | None:
        """A duration target in minutes of the calendar that applies; None for a number."""
        if self.duration is None:
            return None
        return self.duration.covered_minutes(self.calendar.coverage if self.calendar else None)

    def target_words(self) -> str:
        if self.duration is not None:
            return self.duration.words(self.calendar.coverage if self.calendar else None)
        return f"{self.number:g} {self.unit}".strip() if self.number is not None else ""


class MaintenanceWindow:
    """A recurring window of planned maintenance, in the agreement's time zone."""

    def __init__(self, agreement: "Agreement", data: dict):
        self.agreement = agreement
        self.data = data
        self.title = data["title"]
        self.notice = Duration.parse(data.get("notice"))

    @property
    def when(self) -> str:
        """"Sunday, 02:00 to 06:00"."""
        return f"{days_words(self.data['days'])}, {self.data['from']} to {self.data['to']}"

    @property
    def notice_words(self) -> str:
        if self.notice is None:
            return "not stated"
        calendar = self.agreement.calendar
        return self.notice.words(calendar.coverage if calendar is not None else None)


class ClockStop:
    """A condition that stops the clock of response or resolution targets (or both)."""

    TARGETS = ("response", "resolution")  # what applies_to may name; absent: both

    def __init__(self, data: dict):
        self.data = data
        self.id = data["id"]
        self.when = data["when"]
        self.applies_to = tuple(target for target in self.TARGETS if target in (data.get("applies_to") or self.TARGETS))

    @property
    def applies_to_words(self) -> str:
        return " and ".join(self.applies_to) if len(self.applies_to) > 1 else f"{self.applies_to[0]} only"


class Agreement(Entity):
    kind = "Agreement"

    type = property(lambda self: self.data["type"])

    @property
    def status(self) -> AgreementStatus:
        return self.data["status"]

    @property
    def provider(self):
        return self.resolve(self.data.get("provider"))

    @property
    def customer(self):
        return self.resolve(self.data.get("customer"))

    @property
    def services(self) -> list["Service"]:
        return self.typed_targets(Service, "services[]")

    @property
    def calendar(self):
        return self.resolve(self.data.get("hours"))

    @property
    def start(self):
        return parse_date((self.data.get("period") or {}).get("start"))

    @property
    def end(self):
        return parse_date((self.data.get("period") or {}).get("end"))

    @cached_property
    def priorities(self) -> list[Priority]:
        return [Priority(self, p) for p in self.data.get("priorities") or ()]

    @property
    def priority_tables(self) -> list[tuple[PriorityScope, str, list[Priority]]]:
        """(applies_to, table title, priorities) for each kind of ticket the priorities are for."""
        return [
            (scope, PRIORITY_TABLE_TITLES[scope], rows)
            for scope in PRIORITY_SCOPES
            if (rows := [p for p in self.priorities if p.applies_to == scope])
        ]

    @property
    def counts_service_weeks(self) -> bool:
        """Some priority's target is in weeks: the 6.2 note then says how long a week is."""
        return any(d is not None and d.unit == "w" for p in self.priorities for d in (p.response, p.resolution))

    @property
    def priorities_heading(self) -> str:
        """What section 6.2 is titled for what it holds: "Incidents", "Service requests", or both."""
        tables = self.priority_tables
        if len(tables) == 1:
            return tables[0][1]
        return "Incidents and service requests"

    @cached_property
    def metric_targets(self) -> list[Metric]:
        return [Metric(self, m) for m in self.data.get("metrics") or ()]

    @property
    def review_due(self) -> tuple[dt.date, str] | None:
        """When the next review is due, and the field that says so: `review.next` as
        written, else `review.last` plus one `review.frequency` ("review.last"); None
        when neither is given. The one place the due date is worked out: the page's
        section 4, the health page and `term.review-overdue` all read it."""
        review = self.data.get("review")
        if not isinstance(review, dict):
            return None
        written = parse_date(review.get("next"))
        if written is not None:
            return written, "review.next"
        last = parse_date(review.get("last"))
        months = REVIEW_MONTHS.get(str(review.get("frequency")))
        if last is None or months is None:
            return None
        return add_months(last, months), "review.last"

    @property
    def definitions(self) -> list[dict]:
        """The agreement's own definitions (`definitions`), as written."""
        return list(self.data.get("definitions") or ())

    @cached_property
    def overridden_terms(self) -> frozenset[str]:
        """The ids of the glossary terms one of this agreement's own definitions stands for:
        a term whose title, abbreviation or an alias is its `term`, in any case. On this
        agreement's page they are neither linked nor listed from the glossary."""
        own = {" ".join(str(d.get("term", "")).split()).casefold() for d in self.definitions}
        own.discard("")
        if not own:
            return frozenset()
        return frozenset(term.id for term in self.catalogue.terms if own & term.names)

    @property
    def underpinned_by(self) -> list["Agreement"]:
        return self.typed_targets(Agreement, "underpinned_by[]")

    @property
    def underpins(self) -> list["Agreement"]:
        return self.sources(Agreement, "underpinned_by[]")

    @property
    def supersedes(self):
        return self.target("supersedes")

    @property
    def superseded_by(self) -> list["Agreement"]:
        return self.sources(Agreement, "supersedes")

    @property
    def offerings(self) -> list[tuple["Service", dict]]:
        """The service offerings that name this agreement."""
        result = []
        for link in self.incoming:
            if link.field.path == "offerings[].agreement" and isinstance(link.source, Service):  # only services have it
                result.append((link.source, link.source.data["offerings"][link.path[1]]))
        return result

    @cached_property
    def maintenance_windows(self) -> list[MaintenanceWindow]:
        availability = self.data.get("availability") or {}
        return [MaintenanceWindow(self, w) for w in availability.get("maintenance_windows") or ()]

    @cached_property
    def maintenance(self) -> WeeklyCoverage | None:
        """The planned maintenance inside the service hours, per weekday; None without
        windows or without service hours (the time the windows take from nothing stated)."""
        if not self.maintenance_windows or not self.calendar:
            return None
        return maintenance_in_covered_time(self.calendar.data, [w.data for w in self.maintenance_windows])

    @property
    def maintenance_hours_per_week(self) -> float | None:
        return self.maintenance.hours_per_week if self.maintenance is not None else None

    @property
    def covered_hours_less_maintenance(self) -> float | None:
        if self.maintenance is None:  # no windows, or no service hours to take them from
            return None
        return self.calendar.hours_per_week - self.maintenance.hours_per_week

    @cached_property
    def clock_stops(self) -> list[ClockStop]:
        return [ClockStop(c) for c in self.data.get("clock_stops") or ()]

    @property
    def downtime_budget_minutes(self):
        availability = self.data.get("availability")
        if not availability or not self.calendar:
            return None
        return downtime_budget_minutes(
            availability["target"], availability["window"], self.calendar.coverage, self.maintenance
        )

    @property
    def allowed_unavailability(self) -> str:
        """100 - target, written without float noise: 99.95 -> "0.05"."""
        return f"{round(100 - self.data['availability']['target'], 6):g}"

    @property
    def downtime_budget(self) -> str:
        minutes = self.downtime_budget_minutes
        return format_minutes(minutes) if minutes is not None else ""

    @property
    def credit_tables(self) -> list[credits.CreditTable]:
        """The credit tiers with a threshold, one table per measure, mildest tier first."""
        return credits.credit_tables(self.data)

    @property
    def credits_in_words(self) -> list[dict]:
        return credits.credits_in_words(self.data)

    @property
    def credit_terms_sentences(self) -> list[str]:
        return credits.terms_sentences(self.data)

    def ends_within(self, as_of: dt.date, days: int) -> bool:
        if self.end is None:
            return False
        try:
            horizon = as_of + dt.timedelta(days=days)
        except OverflowError:  # past 9999-12-31: every later end date is within
            horizon = dt.date.max
        return as_of <= self.end <= horizon

    def term_state(self, as_of: dt.date, warn_days: int) -> TermState:
        """'expired', 'ending' (within warn_days) or '' for the agreement index."""
        if self.status in ("expired", "terminated", "superseded"):
            return self.status
        if self.end is not None and self.end < as_of:
            return "expired"
        if self.ends_within(as_of, warn_days):
            return "ending"
        return ""


class Service(Entity):
    kind = "Service"

    type = property(lambda self: self.data["type"])
    category = property(lambda self: self.data.get("category") or "Uncategorised")

    @property
    def status(self) -> ServiceStatus:
        return self.data["status"]

    @property
    def owner(self):
        return self.resolve(self.data.get("owner"))

    @property
    def consumers(self):
        return self.targets("consumers[]")

    @property
    def support_calendar(self):
        return self.resolve((self.data.get("support") or {}).get("hours"))

    @property
    def dependencies(self) -> list[tuple["Service", dict]]:
        return [(self.resolve(d["service"]), d) for d in self.data.get("depends_on") or () if self.resolve(d["service"])]

    @property
    def dependants(self) -> list[tuple["Service", dict]]:
        result = []
        for link in self.incoming:
            if link.field.path == "depends_on[].service" and isinstance(link.source, Service):  # only services have it
                result.append((link.source, link.source.data["depends_on"][link.path[1]]))
        return sorted(result, key=lambda pair: pair[0].title.casefold())

    @property
    def agreements(self) -> list[Agreement]:
        return self.sources(Agreement, "services[]")

    @property
    def offerings(self) -> list[tuple[dict, Agreement | None]]:
        return [(o, self.resolve(o.get("agreement"))) for o in self.data.get("offerings") or ()]

    @property
    def requests(self) -> list[tuple[dict, Duration | None]]:
        return [(r, Duration.parse(r.get("fulfilment"))) for r in self.data.get("requests") or ()]


class Party(Entity):
    kind = "Party"

    type = property(lambda self: self.data["type"])

    @property
    def parent(self):
        return self.resolve(self.data.get("parent"))

    @property
    def children(self):
        return self.sources(Party, "parent")

    @property
    def services_owned(self):
        return self.sources(Service, "owner")

    @property
    def services_consumed(self):
        return self.sources(Service, "consumers[]")

    @property
    def agreements_as_provider(self):
        return self.sources(Agreement, "provider")

    @property
    def agreements_as_customer(self):
        return self.sources(Agreement, "customer")

    @property
    def other_roles(self) -> list[tuple[Entity, str]]:
        """Agreements naming the party as stakeholder, approver, escalation or report recipient."""
        skip = {"owner", "consumers[]", "provider", "customer", "parent"}
        seen, result = set(), []
        for link in self.incoming:
            key = (link.source.id, link.field.path)
            if link.field.path in skip or key in seen:
                continue
            seen.add(key)
            result.append((link.source, link.field.relation))
        return sorted(result, key=lambda pair: (pair[0].title.casefold(), pair[1]))


class Term(Entity):
    kind = "Term"

    @property
    def initial(self) -> str:
        first = self.title.strip()[:1].upper()
        return first if first.isalpha() else "#"

    abbreviation = property(lambda self: self.data.get("abbreviation", ""))
    aliases = property(lambda self: self.data.get("aliases", []))
    definition = property(lambda self: self.data["definition"])

    @property
    def see_also(self):
        return self.targets("see_also[]")

    @cached_property
    def names(self) -> frozenset[str]:
        """Its title, abbreviation and aliases, white space made single and casefolded."""
        written = [self.title, self.abbreviation, *self.aliases]
        return frozenset(" ".join(name.split()).casefold() for name in written if isinstance(name, str) and name.strip())

    @cached_property  # the tooltip of each use of the term, and glossary.json's summary
    def short_definition(self) -> str:
        if self.summary:
            return self.summary
        first = " ".join(self.definition.strip().split("\n\n")[0].split())
        return first_sentence(first).rstrip(".") + "."


# A full stop after one of these (or after a single letter: "U.S.", "J. Smith") ends no
# sentence. Compared without case and without the stop.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc cf vs al approx ca dr mr mrs ms prof st no nos inc ltd co corp dept fig jr sr mt vol ed".split()
)
# A sentence ends at ., ! or ? (and any closing quotes or brackets) before white space and
# what can start a sentence: a capital, a digit, an opening quote or bracket.
_SENTENCE_END = re.compile(r"""[.!?]['"’”)\]]*(?=\s+['"‘“(\[]*[A-Z0-9])""")


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence; all of it when it has one sentence.

    "An agency of the U.S. federal government. It ..." -> "An agency of the U.S. federal
    government.": a stop after an abbreviation, an initial or inside a number ends nothing.
    """
    for end in _SENTENCE_END.finditer(text):
        if text[end.start()] == ".":
            word = text[: end.start()].rsplit(None, 1)[-1] if text[: end.start()].strip() else ""
            word = word.lstrip("(\"'‘“[")
            if len(word) == 1 and word.isalpha() or "." in word or word.casefold() in _ABBREVIATIONS:
                continue
        return text[: end.end()]
    return text


# kinds.py names each kind's class (it cannot import this module, which imports it);
# the names become the classes here, and a name the table has and this module has not
# fails at import.
_CLASS_BY_NAME: dict[str, type[Entity]] = {cls.__name__: cls for cls in (Service, Agreement, Party, Calendar, Term)}
ENTITY_CLASSES: dict[str, type[Entity]] = {kind.name: _CLASS_BY_NAME[kind.entity_class] for kind in KINDS}


class Catalogue:
    """All valid records, linked both ways."""

    def __init__(self, records: list[Record]):
        self.by_id: dict[str, Entity] = {}
        self._of_kind: dict[str, list[Entity]] = {}  # sorted once: the model does not change
        for record in records:
            if record.id not in self.by_id:
                self.by_id[record.id] = ENTITY_CLASSES[record.kind](record, self)
        for entity in self.by_id.values():
            for field, path, target_id in record_references(entity.record):
                target = self.by_id.get(target_id)
                if target is None:
                    continue
                link = Link(entity, target, field, path)
                entity.outgoing.append(link)
                target.incoming.append(link)

    def of_kind(self, kind: KindName) -> list[Entity]:
        found = self._of_kind.get(kind)
        if found is None:
            found = self._of_kind[kind] = sorted(
                (e for e in self.by_id.values() if e.kind == kind), key=lambda e: e.title.casefold()
            )
        return list(found)  # a copy, so a caller may change it

    def _of_class(self, cls: type[EntityT]) -> list[EntityT]:
        """of_kind, typed by the kind's class: every entity of a kind is one (ENTITY_CLASSES)."""
        return cast("list[EntityT]", self.of_kind(cls.kind))

    @property
    def services(self) -> list[Service]:
        return self._of_class(Service)

    @property
    def agreements(self) -> list[Agreement]:
        return self._of_class(Agreement)

    @property
    def parties(self) -> list[Party]:
        return self._of_class(Party)

    @property
    def calendars(self) -> list[Calendar]:
        return self._of_class(Calendar)

    @property
    def terms(self) -> list[Term]:
        return self._of_class(Term)

    def __len__(self):
        return len(self.by_id)
