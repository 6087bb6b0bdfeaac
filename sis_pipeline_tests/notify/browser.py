"""A page rendered by headless Chromium: the DOM after the browser parsed (and ran) it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def rendered_dom(path: Path) -> str:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", path.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0 and "<body" in done.stdout, done.stderr[-2000:]
    return done.stdout


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self._skip = 0
        self._in_row = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "tr":
            self.rows.append([])
            self._in_row = True

    def handle_endtag(self, tag):
        if tag == "tr":
            self._in_row = False
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip or not data.strip():
            return
        self.text.append(data.strip())
        if self._in_row:
            self.rows[-1].append(data.strip())


def visible(dom: str) -> tuple[str, list[list[str]], list[str]]:
    """The page's visible text, its table rows (cell texts), and every element's tag."""
    parser = _Text()
    parser.feed(dom)
    return " ".join(parser.text), parser.rows, parser.tags
