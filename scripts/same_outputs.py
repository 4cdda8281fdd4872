"""Do two revisions of service-catalogue produce the same outputs? `python scripts/same_outputs.py BASE`.

A redesign must keep every behaviour: the example site byte for byte, both
JSON exports, and every command's output and exit code. This writes all of
them for the working tree and for BASE (a git revision, checked out in a
temporary worktree), each with the same Python environment, and prints every
difference; it exits 1 when there is one.

    python scripts/same_outputs.py HEAD~3            # compare with an older revision
    python scripts/same_outputs.py HEAD --keep out   # keep both output folders in out/

The outputs: the example site built with `use_directory_urls` true and
false; `validate`, `check` and `diff` in every format, on the example
catalogue and on a broken and a changed copy of it; `render`; `new`; `init`;
and every command's `--help`. Paths in the outputs are relative to a scratch
folder of the same name in both runs, so they compare as they are.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-29"

# (name, arguments): run with cwd = the scratch folder, which holds `catalogue/`
# (the example), `broken/` and `changed/` (copies with a mistake and with a change).
COMMANDS = [
    ("version", ["--version"]),
    ("help", ["--help"]),
    *[(f"help-{c}", [c, "--help"]) for c in ("validate", "new", "init", "render", "check", "diff")],
    *[(f"validate-{f}", ["validate", "catalogue", "--format", f]) for f in ("text", "json", "github")],
    *[(f"validate-broken-{f}", ["validate", "broken", "--format", f]) for f in ("text", "json", "github")],
    ("validate-missing", ["validate", "no-such-folder"]),
    *[(f"check-{f}", ["check", "catalogue", "--as-of", AS_OF, "--format", f]) for f in ("text", "json", "github")],
    ("check-disabled", ["check", "catalogue", "--as-of", AS_OF, "--disable", "term.review-overdue"]),
    ("check-unknown-rule", ["check", "catalogue", "--as-of", AS_OF, "--disable", "no.such-rule"]),
    *[(f"diff-{f}", ["diff", "catalogue", "changed", "--format", f]) for f in ("text", "markdown", "json")],
    ("diff-fail-on-any", ["diff", "catalogue", "changed", "--fail-on", "any"]),
    ("diff-broken", ["diff", "catalogue", "broken"]),
    ("render", ["render", "rendered", "--catalogue", "catalogue", "--as-of", AS_OF]),
    ("new", ["new", "Service", "fresh-service", "--catalogue", "new-catalogue"]),
    ("new-bad-kind", ["new", "Servce", "x"]),
    ("init", ["init", "initialised", "--site-name", "Acme IT"]),
]


def scratch_folder(root: Path) -> Path:
    """The inputs every run starts from: the example catalogue and two copies of it."""
    scratch = root / "scratch"
    shutil.copytree(REPO / "catalogue", scratch / "catalogue")
    shutil.copytree(REPO / "catalogue", scratch / "broken")
    shutil.copytree(REPO / "catalogue", scratch / "changed")
    service = sorted((scratch / "broken" / "services").glob("*.yaml"))[0]
    service.write_text(service.read_text("utf-8").replace("status: live", "status: alive", 1) + "\nowner_typo: x\n", "utf-8")
    agreement = scratch / "changed" / "agreements" / "sla-collaboration.yaml"
    text = agreement.read_text("utf-8")
    for old, new in (("resolution: 4h", "resolution: 8h"), ("target: 99.95", "target: 99.5")):
        assert old in text, f"{agreement.name} no longer holds {old!r}: choose another change"
        text = text.replace(old, new, 1)
    agreement.write_text(text, "utf-8")
    return scratch


def run_outputs(source: Path, out: Path, python: str) -> None:
    """Every output of the code in `source` (a checkout), written under out/."""
    env = dict(os.environ, PYTHONPATH=f"{source / 'plugins'}{os.pathsep}{source}", NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    env.pop("CI", None)
    with tempfile.TemporaryDirectory() as work:
        scratch = scratch_folder(Path(work))
        commands = out / "commands"
        commands.mkdir(parents=True)
        for name, args in COMMANDS:
            proc = subprocess.run(
                [python, "-m", "service_catalogue", *args], cwd=scratch, env=env, capture_output=True, text=True, timeout=300
            )
            (commands / f"{name}.txt").write_text(
                f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout}--- stderr ---\n{proc.stderr}", "utf-8"
            )
        for folder in ("rendered", "new-catalogue", "initialised"):
            if (scratch / folder).exists():
                shutil.copytree(scratch / folder, out / folder)
        for directory_urls in ("true", "false"):
            project = Path(work) / f"site-{directory_urls}"
            project.mkdir()
            for part in ("docs", "catalogue"):
                shutil.copytree(source / part, project / part)
            for extra in ("hooks",):
                if (source / extra).exists():
                    shutil.copytree(source / extra, project / extra)
            config = (source / "mkdocs.yml").read_text("utf-8") + f"\nuse_directory_urls: {directory_urls}\n"
            (project / "mkdocs.yml").write_text(config, "utf-8")
            proc = subprocess.run(
                [python, "-m", "mkdocs", "build", "--strict", "-d", str(out / f"site-directory-urls-{directory_urls}")],
                cwd=project, env=env, capture_output=True, text=True, timeout=600,
            )
            # Less the lines that name a time or the temporary folder.
            log = "\n".join(
                line for line in proc.stderr.splitlines()
                if "Documentation built in" not in line and "Building documentation to directory" not in line
            )
            (out / f"site-directory-urls-{directory_urls}.log").write_text(f"exit {proc.returncode}\n{log}\n", "utf-8")


def _readable(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data  # gzip headers hold a time stamp


def compare(base: Path, head: Path, limit: int = 40) -> int:
    """Print the differences between two output folders; returns how many files differ."""
    names = sorted({p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}
                   | {p.relative_to(head).as_posix() for p in head.rglob("*") if p.is_file()})
    differing = 0
    for name in names:
        a, b = base / name, head / name
        if not a.exists() or not b.exists():
            differing += 1
            print(f"only in {'head' if b.exists() else 'base'}: {name}")
            continue
        old, new = _readable(a), _readable(b)
        if old == new:
            continue
        differing += 1
        print(f"differs: {name}")
        if differing <= limit:
            lines = difflib.unified_diff(
                old.decode("utf-8", "replace").splitlines(), new.decode("utf-8", "replace").splitlines(),
                f"base/{name}", f"head/{name}", n=1, lineterm="",
            )
            for line in list(lines)[:30]:
                print(f"    {line[:200]}")
    print(f"{len(names)} files compared, {differing} differ")
    return differing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the git revision to compare the working tree with")
    parser.add_argument("--keep", metavar="DIR", help="keep both output folders here (base/ and head/)")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as work:
        work = Path(args.keep).resolve() if args.keep else Path(work)
        worktree = work / "base-checkout"
        for folder in (work / "base", work / "head", worktree):
            shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), args.base], cwd=REPO, check=True)
        # The editable install maps the data package service_catalogue.json_schemas to
        # this tree's schema/; BASE's code must read BASE's schemas, so its package gets
        # them where PYTHONPATH finds them first.
        (worktree / "plugins" / "service_catalogue" / "json_schemas").symlink_to(worktree / "schema", target_is_directory=True)
        try:
            print(f"base: {args.base}", file=sys.stderr)
            run_outputs(worktree, work / "base", python)
            print("head: the working tree", file=sys.stderr)
            run_outputs(REPO, work / "head", python)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=False)
        return 1 if compare(work / "base", work / "head") else 0


if __name__ == "__main__":
    sys.exit(main())
