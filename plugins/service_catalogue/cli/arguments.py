"""The arguments that several commands share, their types, and the Options they make.

Each shared argument stores under the name of the Options field it fills
(catalogue, as_of, disabled_rules, ending_days, allow_raw_html, max_file_size,
templates), so `options(args)` makes the one Options of a run from whatever
arguments a command has. The types turn what was typed into a value or refuse
it as a usage error (exit 2, with the usage line).

The catalogue folder is `--catalogue DIR` in every command; `validate` and
`check` also take it as their positional CATALOGUE_DIR, as they always did.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
from pathlib import Path

from service_catalogue.analysis.rules import check_rule_ids
from service_catalogue.fields import parse_date
from service_catalogue.options import DEFAULT_ENDING_DAYS, Options
from service_catalogue.validation.loader import DEFAULT_MAX_FILE_BYTES, MAX_FILE_SIZE_LIMIT

_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def size(text: str) -> int:
    """A number of bytes: 1048576, 512KiB, 2MiB, 1GiB (at most 1GiB)."""
    match = re.fullmatch(r"\s*([0-9]+)\s*(?:([kKmMgG])i?[bB]?)?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a size such as 1048576, 512KiB or 2MiB, got {text!r}")
    value = int(match.group(1)) * _UNITS[(match.group(2) or "").lower()]
    if value > MAX_FILE_SIZE_LIMIT:
        raise argparse.ArgumentTypeError(f"at most 1GiB ({MAX_FILE_SIZE_LIMIT} bytes), got {text!r}")
    return value


def date(text: str) -> dt.date:
    """A date written YYYY-MM-DD."""
    value = parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"expected a date written YYYY-MM-DD, got {text!r}")
    return value


def days(text: str) -> int:
    """A whole number of days, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of days (0 or more), got {text!r}")
    return value


def rule_ids(text: str) -> list[str]:
    """The rule ids in one --disable value, which may separate several with commas.

    Whether each names a rule is checked when the Options are made, so that an
    unknown id gets its own message with a did-you-mean, not the usage line."""
    return [part.strip() for part in text.split(",") if part.strip()]


def section(text: str) -> str:
    """The folder of the catalogue's pages inside the site: a relative path inside it."""
    from service_catalogue.site.pages import check_section  # the site's imports only when it is rendered

    try:
        return check_section(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected a folder inside OUTDIR, such as `catalogue` or `docs/catalogue`, not {text!r}: {exc}"
        ) from None


def folder_or_none(text: str) -> Path | None:
    """A folder; "" for none (as an unset option)."""
    return Path(text) if text else None


class _CatalogueFolder(argparse.Action):
    """Stores the catalogue folder, which the positional CATALOGUE_DIR and --catalogue
    both name: given both ways, the two must agree."""

    def __call__(self, parser, namespace, values, option_string=None):
        if values is None:  # the optional positional, not given
            return
        given = getattr(namespace, self.dest, None)
        if given is not None and given != values:
            raise argparse.ArgumentError(
                self, f"the catalogue folder is given twice, as '{given}' and '{values}': give it once"
            )
        setattr(namespace, self.dest, values)


def add_catalogue(parser: argparse.ArgumentParser, *, positional: bool = False,
                  help: str = "the catalogue folder (default: catalogue)") -> None:
    """--catalogue DIR, and with positional=True the optional positional CATALOGUE_DIR as well."""
    if positional:
        parser.add_argument("catalogue", nargs="?", type=Path, default=None, action=_CatalogueFolder,
                            metavar="CATALOGUE_DIR", help="the folder of YAML records (default: catalogue)")
    parser.add_argument("--catalogue", dest="catalogue", type=Path, default=None, action=_CatalogueFolder,
                        metavar="DIR", help=help)


def add_section(parser: argparse.ArgumentParser, help: str) -> None:
    """--section PATH: the folder of the catalogue's pages in the site (Options.section)."""
    parser.add_argument("--section", default="catalogue", metavar="PATH", type=section, help=help)


def add_as_of(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--as-of", type=date, default=None, metavar="YYYY-MM-DD", help=help)


def add_disable(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--disable", dest="disabled_rules", action="extend", type=rule_ids, default=[], metavar="RULE",
                        help="switch a rule off by its id; repeat it, or separate ids with commas")


def add_ending_days(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--ending-days", type=days, default=DEFAULT_ENDING_DAYS, metavar="N", help=help)


def add_max_file_size(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-file-size", type=size, default=DEFAULT_MAX_FILE_BYTES, metavar="BYTES",
                        help="refuse files larger than this (default: 1MiB; accepts KiB, MiB and GiB; at most 1GiB)")


def add_allow_raw_html(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-raw-html", action="store_true",
                        help="pass raw HTML in Markdown fields through unsanitised: only for trusted catalogues")


def options(args: argparse.Namespace) -> Options:
    """The Options of a run, from the arguments the command has; the rest keep their defaults.

    Raises UnknownRuleError for a --disable id that names no rule, and ReportInputError for
    a --reports file whose `reports:` block is wrong."""
    given = {
        field.name: getattr(args, field.name)
        for field in dataclasses.fields(Options)
        if getattr(args, field.name, None) is not None
    }
    if "disabled_rules" in given:
        given["disabled_rules"] = check_rule_ids(given["disabled_rules"])
    if isinstance(given.get("reports"), Path):  # --reports FILE: the `reports:` block in it
        from service_catalogue.performance.inputs import inputs_from_file

        given["reports"] = inputs_from_file(given["reports"])
    return Options(**given)
