"""Browser helpers for the tests: Debian's chromium driven by Playwright.

Playwright never downloads a browser here: it launches the system chromium
(`apt-get install chromium`) at /usr/bin/chromium.  The flags keep it quiet on
a machine without a network (no background connections, updates or sync) and
let it run as root in CI (--no-sandbox).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator

CHROMIUM = "/usr/bin/chromium"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_browser(playwright):
    """Launch headless Debian chromium through a Playwright instance."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serve_directory(directory: str | os.PathLike) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 at a free port; yield the base URL.

    The server runs in a background thread and is shut down on exit.  The URL
    ends with a slash, e.g. "http://127.0.0.1:40123/".
    """
    handler = functools.partial(QuietHandler, directory=os.fspath(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve-site", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# Material draws each Mermaid diagram in a closed shadow root: this init script opens
# them, so that a test can read the SVG that Mermaid drew.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""


def offline_context(browser, base_url: str, answer=None, **options):
    """(a browser context in which every request off the site at base_url is recorded and
    aborted, or answered by answer(route) where one is given; and Mermaid's shadow roots
    are open. The list of the requests that left.)"""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    left: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(base_url):
            return request_route.continue_()
        left.append(url)
        return answer(request_route) if answer is not None else request_route.abort("blockedbyclient")

    context.route("**/*", route)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    return context, left
