"""The YAML language server that editors run (yaml-language-server, from npm), driven over stdio.

VS Code's YAML extension, Neovim's yamlls, Helix and the rest start this server
and speak the Language Server Protocol to it; so does this client, as little of
it as checking a document takes: initialize, the settings the server asks for,
didOpen, and the diagnostics it publishes. The server fetches each schema
itself, from the address in the document's `# yaml-language-server: $schema=`
comment, and follows the `$ref`s as it does in an editor.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT = 30  # seconds for one answer: the server answers a small document in well under one

# What the YAML extension's settings say, as a catalogue repository sets them (the scaffold's
# .vscode/settings.json): YAML 1.2, validation on; and the JSON Schema Store's catalogue off
# (it is fetched from the internet, which a test does not reach).
SETTINGS = {"yaml": {"validate": True, "yamlVersion": "1.2", "schemaStore": {"enable": False}}}


class LanguageServer:
    """One yaml-language-server process; `with LanguageServer() as server: server.diagnostics(uri, text)`."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node, "node is not installed (sudo apt-get install nodejs npm)"
        assert SERVER.is_file(), f"{SERVER} is missing: run `npm ci` (yaml-language-server is in package.json)"
        self.process = subprocess.Popen(
            [node, str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue = queue.Queue()
        self.ids = itertools.count(1)
        self.published: dict[str, list[dict]] = {}
        threading.Thread(target=self._read, name="yaml-language-server", daemon=True).start()

    def __enter__(self) -> LanguageServer:
        request = self._request("initialize", {
            "processId": os.getpid(), "rootUri": None, "capabilities": {"workspace": {"configuration": True}},
        })
        self._wait(lambda message: message.get("id") == request and "method" not in message)
        self._notify("initialized", {})
        self._notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        return self

    def __exit__(self, *exc) -> None:
        self.process.kill()
        self.process.wait(timeout=TIMEOUT)

    def diagnostics(self, uri: str, text: str) -> list[dict]:
        """Open a YAML document at uri (new to this server) and return what the server says of it."""
        self._notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        self._wait(lambda message: message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri)
        return self.published[uri]

    # -- the protocol ------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _request(self, method: str, params: dict) -> int:
        number = next(self.ids)
        self._send({"id": number, "method": method, "params": params})
        return number

    def _notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            length = None
            while (line := out.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    return  # the server has ended
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self.messages.put(json.loads(out.read(length)))

    def _wait(self, wanted) -> dict:
        """Answer the server's requests until a message that is wanted arrives."""
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"yaml-language-server said nothing wanted in {TIMEOUT} s") from None
            if message.get("method") == "textDocument/publishDiagnostics":
                self.published[message["params"]["uri"]] = message["params"]["diagnostics"]
            if "method" in message and "id" in message:  # a request of the server's: the settings, or a capability
                items = (message.get("params") or {}).get("items", [])
                result = [SETTINGS.get(item.get("section"), {}) for item in items] if message["method"] == "workspace/configuration" else None
                self._send({"id": message["id"], "result": result})
            if wanted(message):
                return message
