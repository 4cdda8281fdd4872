"""What a time zone written as people say it (`PST`, `Pacific Time`, `GMT+1`) means in IANA names.

A calendar's `timezone` is an IANA name. Documents give the hours in abbreviations and
English names instead, which no spelling distance leads to the right zone (`PST` is
closer to `MST` than to `America/Los_Angeles`): this table does. A name that means more
than one zone (`IST` is India's, Ireland's and Israel's time) lists every zone it can
mean and the hint says so; it never picks one.
"""

from __future__ import annotations

import re

# Each name as it is looked up (see spoken_key), and the zones it can mean: (IANA name, where).
_US_PACIFIC = (("America/Los_Angeles", "US Pacific time"),)
_US_MOUNTAIN = (("America/Denver", "US Mountain time"), ("America/Phoenix", "Arizona, which keeps no summer time"))
_US_CENTRAL = (("America/Chicago", "US Central time"),)
_US_EASTERN = (("America/New_York", "US Eastern time"),)
_ATLANTIC = (("America/Halifax", "Atlantic time"),)
_UK = (("Europe/London", "UK time"),)
_IRELAND = (("Europe/Dublin", "Ireland"),)
_INDIA = (("Asia/Kolkata", "India"),)
_CENTRAL_EUROPE = (("Europe/Berlin", "Germany"), ("Europe/Paris", "France"), ("Europe/Madrid", "Spain"),
                   ("Europe/Rome", "Italy"), ("Europe/Amsterdam", "the Netherlands"))
_EASTERN_EUROPE = (("Europe/Athens", "Greece"), ("Europe/Helsinki", "Finland"), ("Europe/Bucharest", "Romania"),
                   ("Europe/Kyiv", "Ukraine"))
_AUSTRALIA_EAST = (("Australia/Sydney", "New South Wales"), ("Australia/Melbourne", "Victoria"),
                   ("Australia/Brisbane", "Queensland, which keeps no summer time"))
_AUSTRALIA_CENTRAL = (("Australia/Adelaide", "South Australia"), ("Australia/Darwin", "Northern Territory, which keeps no summer time"))
_NEW_ZEALAND = (("Pacific/Auckland", "New Zealand"),)

SPOKEN_ZONES: dict[str, tuple[tuple[str, str], ...]] = {
    "pst": _US_PACIFIC, "pdt": _US_PACIFIC, "pt": _US_PACIFIC, "pacific": _US_PACIFIC, "us pacific": _US_PACIFIC,
    "mdt": _US_MOUNTAIN, "mt": _US_MOUNTAIN, "mountain": _US_MOUNTAIN, "us mountain": _US_MOUNTAIN,
    "mst": _US_MOUNTAIN,  # the zone `MST` exists, but as UTC-7 all year; `mst` in another case is the time
    "cst": (("America/Chicago", "US Central time"), ("Asia/Shanghai", "China"), ("America/Havana", "Cuba")),
    "cdt": _US_CENTRAL, "ct": _US_CENTRAL, "central": _US_CENTRAL, "us central": _US_CENTRAL,
    "est": _US_EASTERN, "edt": _US_EASTERN, "et": _US_EASTERN, "eastern": _US_EASTERN, "us eastern": _US_EASTERN,
    "akst": (("America/Anchorage", "Alaska"),), "akdt": (("America/Anchorage", "Alaska"),),
    "alaska": (("America/Anchorage", "Alaska"),), "alaskan": (("America/Anchorage", "Alaska"),),
    "hawaii": (("Pacific/Honolulu", "Hawaii"),), "hawaiian": (("Pacific/Honolulu", "Hawaii"),),
    "hdt": (("Pacific/Honolulu", "Hawaii"),),
    "ast": (("America/Halifax", "Atlantic time"), ("Asia/Riyadh", "Arabia")),
    "adt": _ATLANTIC, "atlantic": _ATLANTIC,
    "nst": (("America/St_Johns", "Newfoundland"),), "ndt": (("America/St_Johns", "Newfoundland"),),
    "newfoundland": (("America/St_Johns", "Newfoundland"),),
    "gmt": (("Europe/London", "UK time, with summer time"), ("UTC", "no summer time")),
    "greenwich mean": (("Europe/London", "UK time, with summer time"), ("UTC", "no summer time")),
    "bst": (("Europe/London", "British Summer Time"), ("Asia/Dhaka", "Bangladesh")),
    "british": _UK, "uk": _UK, "united kingdom": _UK, "london": _UK, "great britain": _UK,
    "ist": (("Asia/Kolkata", "India"), ("Europe/Dublin", "Ireland"), ("Asia/Jerusalem", "Israel")),
    "india": _INDIA, "indian": _INDIA, "irish": _IRELAND, "ireland": _IRELAND,
    "wet": (("Europe/Lisbon", "Portugal"),), "west": (("Europe/Lisbon", "Portugal"),),
    "western european": (("Europe/Lisbon", "Portugal"),),
    "cet": _CENTRAL_EUROPE, "cest": _CENTRAL_EUROPE, "met": _CENTRAL_EUROPE, "mest": _CENTRAL_EUROPE,
    "central european": _CENTRAL_EUROPE, "w. europe": _CENTRAL_EUROPE, "romance": _CENTRAL_EUROPE,
    "eet": _EASTERN_EUROPE, "eest": _EASTERN_EUROPE, "eastern european": _EASTERN_EUROPE,
    "msk": (("Europe/Moscow", "Moscow"),), "moscow": (("Europe/Moscow", "Moscow"),),
    "gst": (("Asia/Dubai", "Gulf time"),), "gulf": (("Asia/Dubai", "Gulf time"),),
    "pkt": (("Asia/Karachi", "Pakistan"),),
    "ict": (("Asia/Bangkok", "Indochina time"),), "wib": (("Asia/Jakarta", "western Indonesia"),),
    "sgt": (("Asia/Singapore", "Singapore"),),
    "hkt": (("Asia/Hong_Kong", "Hong Kong"),), "hong kong": (("Asia/Hong_Kong", "Hong Kong"),),
    "pht": (("Asia/Manila", "the Philippines"),), "china": (("Asia/Shanghai", "China"),),
    "jst": (("Asia/Tokyo", "Japan"),), "kst": (("Asia/Seoul", "Korea"),), "korea": (("Asia/Seoul", "Korea"),),
    "awst": (("Australia/Perth", "Western Australia"),),
    "acst": _AUSTRALIA_CENTRAL, "acdt": (("Australia/Adelaide", "South Australia"),),
    "aest": _AUSTRALIA_EAST, "aedt": _AUSTRALIA_EAST[:2], "australian eastern": _AUSTRALIA_EAST,
    "nzst": _NEW_ZEALAND, "nzdt": _NEW_ZEALAND, "new zealand": _NEW_ZEALAND,
    "sast": (("Africa/Johannesburg", "South Africa"),), "south africa": (("Africa/Johannesburg", "South Africa"),),
    "wat": (("Africa/Lagos", "West Africa"),), "cat": (("Africa/Maputo", "Central Africa"),),
    "eat": (("Africa/Nairobi", "East Africa"),),
    "brt": (("America/Sao_Paulo", "Brasília time"),), "art": (("America/Argentina/Buenos_Aires", "Argentina"),),
    "utc": (("UTC", "no summer time"),), "coordinated universal": (("UTC", "no summer time"),),
}

# "Pacific Standard Time", "Pacific Time (US & Canada)", "central european summer time":
# the words around the name that say nothing about which zone it is.
_ASIDE = re.compile(r"\s*\([^)]*\)")
_TIME_WORDS = re.compile(r"\s+(?:standard|daylight|summer)?\s*time$")
_OFFSET = re.compile(r"(?:gmt|utc)\s*([+-−])\s*([0-9]{1,2})(?::?([0-9]{2}))?")


def spoken_key(name: str) -> str:
    """The name folded as the table holds it: lower case, single spaces, no "Standard Time"."""
    key = " ".join(name.casefold().split())
    return _TIME_WORDS.sub("", _ASIDE.sub("", key)).strip()


def spoken_zones(name: str) -> tuple[tuple[str, str], ...]:
    """The zones an abbreviation or English name can mean, each with where it is kept; () if unknown."""
    return SPOKEN_ZONES.get(spoken_key(name), ())


def offset_hint(name: str) -> str | None:
    """What to write for a fixed offset (`GMT+1`, `UTC-05:00`), or None for anything else."""
    match = _OFFSET.fullmatch(spoken_key(name))
    if not match:
        return None
    sign = "-" if match[1] in "-−" else "+"
    hours, minutes = int(match[2]), int(match[3] or 0)
    shown = f"UTC{sign}{hours:02d}:{minutes:02d}"
    advice = (
        f"`{name}` is an offset, not a zone: write the zone of the place whose hours these are (such as "
        "`Europe/Paris` or `America/New_York`), which follows that place's summer time"
    )
    # The Etc/ zones are the fixed offsets, in whole hours from UTC-12 to UTC+14, signed the POSIX way.
    if minutes == 0 and (hours <= 14 if sign == "+" else hours <= 12):
        if hours == 0:
            return f"{advice}; for {shown} all year round, `UTC`"
        etc = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
        return f"{advice}; for {shown} all year round, `{etc}` (the Etc names count the other way)"
    return advice
