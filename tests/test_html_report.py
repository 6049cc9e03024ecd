"""The HTML report: one self-contained page, checked in a real headless Chromium."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.output.html_report import write_html
from conformance.output.report import read_json
from conformance.protocol.model import load_model
from tests.conftest import require_program
from tests.test_diagrams import BrokenDriver, run_report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def broken_report():
    """A real run of the engine against a subject whose close() hides a RuntimeError."""
    return run_report(load_model(), BrokenDriver)


class PageOutline(HTMLParser):
    """The tags of a page, and every attribute that would make a browser fetch something."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.fetches: list[str] = []

    def handle_starttag(self, tag, attributes):
        self.tags.append(tag)
        for name, value in attributes:
            if name in ("src", "href", "xlink:href") and value and not value.startswith("#"):
                self.fetches.append(f"{tag} {name}={value}")
        if tag == "link":
            self.fetches.append("link")


def outline(text: str) -> PageOutline:
    parser = PageOutline()
    parser.feed(text)
    return parser


def test_page_has_summary_diagram_and_every_failure(broken_report, tmp_path):
    require_program("dot")
    page = write_html(broken_report, tmp_path / "report.html").read_text()
    parsed = outline(page)
    assert parsed.fetches == [] and "script" not in parsed.tags, "the page must need no network"
    assert '<table id="summary">' in page and "<td>broken</td>" in page
    assert page.count("<svg") == 1 and 'id="diagram-coroutine"' in page
    driver = broken_report["drivers"][0]
    assert driver["failures"], "the broken subject must produce failures"
    for failure in driver["failures"]:
        assert re.search(r"<pre>The &#x27;broken&#x27; driver deviates", page)
        for transition_id in failure["transitions"]:
            assert f"<code>{transition_id}</code>" in page
    assert page.count('<div class="failure">') == len(driver["failures"])
    assert "<code>close()</code>" in page and "awaits again, passing out" in page


def test_a_conforming_run_says_so(tmp_path, capsys):
    path = tmp_path / "report.html"
    code = main(["run", "--driver", "direct", "--examples", "3", "--quiet", "--html", str(path),
                 "--report", str(tmp_path / "report.json")])
    capsys.readouterr()
    assert code == 0
    page = path.read_text()
    assert 'class="conforms">conforms</span>' in page and "No failures." in page
    assert read_json(tmp_path / "report.json")["drivers"][0]["driver"] == "direct"


# -- in a real browser ----------------------------------------------------------------------------------

def chromium(*arguments, profile: Path) -> subprocess.CompletedProcess:
    program = require_program("chromium")
    return subprocess.run([program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={profile}", *arguments],
                          capture_output=True, text=True, timeout=120)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG: (width, height, rows of raw pixel bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG layout {header}"
    size = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(b"".join(chunks)), width * size, [], bytearray(width * size)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[x] = (line[x] + nearest[2]) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def colour_variety(rows: list[bytes], size: int, step: int = 4) -> set[bytes]:
    return {row[x:x + 3] for row in rows[::step] for x in range(0, len(row), size * step)}


def test_png_reader_tells_a_blank_image_from_a_drawn_one(tmp_path):
    require_program("dot")
    blank = tmp_path / "blank.dot"
    blank.write_text('digraph { bgcolor=white; a [label="" shape=none] }')
    drawn = tmp_path / "drawn.dot"
    drawn.write_text('digraph { a -> b [color=red]; b [style=filled fillcolor=blue] }')
    for source in (blank, drawn):
        subprocess.run(["dot", "-Tpng", str(source), "-o", str(source.with_suffix(".png"))], check=True)
    def variety(path):
        width, height, rows = png_pixels(path.read_bytes())
        return len(colour_variety(rows, len(rows[0]) // width, step=1))
    assert variety(blank.with_suffix(".png")) == 1
    assert variety(drawn.with_suffix(".png")) > 10


def test_page_renders_in_headless_chromium(broken_report, tmp_path):
    require_program("dot")
    page = write_html(broken_report, tmp_path / "report.html")
    url = page.resolve().as_uri()
    dumped = chromium("--dump-dom", url, profile=tmp_path / "profile")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    assert 'id="summary"' in dom and "<td>broken</td>" in dom
    assert 'id="diagram-coroutine"' in dom and "<svg" in dom and "close.await" in dom
    screenshot = tmp_path / "screenshot.png"
    shot = chromium(f"--screenshot={screenshot}", "--window-size=1200,1600", url, profile=tmp_path / "profile")
    assert shot.returncode == 0 and screenshot.exists(), shot.stderr[-2000:]
    width, height, rows = png_pixels(screenshot.read_bytes())
    assert (width, height) == (1200, 1600)
    colours = colour_variety(rows, len(rows[0]) // width)
    assert len(colours) > 20, f"the screenshot looks blank: {len(colours)} colours"
    # the diagram's deviation red is on the screen, not just in the DOM
    assert any(r > 150 and g < 90 and b < 90 for r, g, b in colours)


def test_without_dot_the_page_keeps_the_dot_source_and_says_how_to_install(tmp_path):
    import os
    import sys

    environment = dict(os.environ, PATH=str(tmp_path / "empty-path"))
    page = tmp_path / "report.html"
    finished = subprocess.run([sys.executable, "-m", "conformance", "run", "--driver", "direct", "--examples", "2",
                               "--quiet", "--html", str(page)], cwd=ROOT, env=environment, capture_output=True,
                              text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    text = page.read_text()
    assert "<svg" not in text and "<pre>digraph coroutine {" in text and "apt-get install graphviz" in text
