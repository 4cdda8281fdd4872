"""Copy the pinned Mermaid (node_modules/mermaid, from `npm ci`) into the package, which serves
it from every site: `python scripts/vendor_mermaid.py` after changing its version in package.json."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "node_modules" / "mermaid"
VENDORED = REPO / "plugins" / "service_catalogue" / "site" / "assets" / "mermaid"


def main() -> int:
    version = json.loads((PACKAGE / "package.json").read_text("utf-8"))["version"]
    VENDORED.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE / "dist" / "mermaid.min.js", VENDORED / "mermaid.min.js")
    shutil.copyfile(PACKAGE / "LICENSE", VENDORED / "LICENSE")
    (VENDORED / "VERSION.json").write_text(json.dumps({"package": "mermaid", "version": version}) + "\n", "utf-8")
    print(f"mermaid {version} -> {VENDORED.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
