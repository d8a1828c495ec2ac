"""What a command loads: the read commands and a refresh of unchanged feeds stay clear of the heavy modules.

Start-up time is mostly imports, so these tests pin it where it cannot silently come back: each runs a
command in a fresh process, as a user does, and looks at ``sys.modules`` when it is done. (The time itself
is a benchmark's: ``benchmarks/feeds.py --only read,304``.)
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pozirk_reader.cli.commands import main
from pozirk_reader.cli.console import make_console, styled
from tests.feedserver import Site
from tests.samples import SAMPLES

DRIVER = """
import json, os, sys
from pozirk_reader.cli.commands import main
from pozirk_reader.cli.console import make_console, styled
status = main(sys.argv[1:])
with open(os.environ["MODULES_FILE"], "w") as out:
    json.dump(sorted(sys.modules), out)
sys.exit(status)
"""
NETWORK = ("httpx", "httpcore", "h11", "certifi", "ssl")
PARSING = (
    "feedparser",
    "lxml",
    "pozirk_reader.core.web.feed_format",
    "pozirk_reader.core.web.feed_entry",
    "pozirk_reader.core.web.fast_feed",
    "pozirk_reader.core.web.html_text",
    "pozirk_reader.core.web.page_extract",
)
UI = ("textual",)
STYLING = ("rich.console", "rich.text")
"""Rich's console: what styles a terminal's output; piped output is plain text without it."""
LOG_ROTATION = ("logging.handlers", "socket", "pickle")
"""The rotating log handler's module and what it imports, made when the first record is logged (the read commands log none)."""
COLOUR_VARIABLES = ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE")


def run_command(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    """Run ``pozirk-reader ARGS`` in a process of its own, piped; its output and the modules it had loaded."""
    listing = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL,
        env={**{k: v for k, v in os.environ.items() if k not in COLOUR_VARIABLES}, "MODULES_FILE": str(listing)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(listing.read_text()))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules of ``names`` (or their submodules) among ``modules``."""
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in names))


@pytest.fixture
def cached(capsys: pytest.CaptureFixture[str]) -> str:
    """The samples imported into the test's cache; the id of one of them."""
    assert main(["import", str(SAMPLES)]) == 0
    capsys.readouterr()
    assert main(["list", "--limit", "1"]) == 0
    return capsys.readouterr().out.split()[0]


def test_the_read_commands_load_no_network_parsing_or_ui_module(tmp_path: Path, cached: str) -> None:
    commands = {"list": ["list"], "search": ["search", "Минск"], "show": ["show", cached]}
    for name, args in commands.items():
        out, modules = run_command(tmp_path, *args)
        assert out.strip(), name
        assert "pozirk_reader.core.store.library" in modules, name  # the list is the real one
        assert loaded(modules, NETWORK + PARSING + UI + STYLING + LOG_ROTATION) == [], name
        if name == "show":  # a cached article, not a file: no plain-text parser
            assert "pozirk_reader.core.article.plaintext" not in modules


@pytest.mark.parametrize(
    "environ",
    [{}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "0"}, {"TTY_COMPATIBLE": "1"},
     {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "2", "FORCE_COLOR": "1"}],
)  # fmt: skip
@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_output_is_styled_exactly_when_rich_would_style_it(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], terminal: bool
) -> None:
    for name in COLOUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    if terminal:
        leader, follower = os.openpty()
        stream = open(follower, "w", encoding="utf-8")  # noqa: SIM115
        os.close(leader)
    else:
        stream = io.StringIO()
    with stream:
        assert (styled(stream) is not None) == make_console(stream).is_terminal


def test_a_refresh_whose_feeds_all_answer_304_loads_no_parsing_module(tmp_path: Path, site: Site) -> None:
    for path in ("rss-full.xml", "atom.xml"):
        assert main(["feeds", "add", site.url(path), "--no-full-text"]) == 0
    out, modules = run_command(tmp_path, "refresh", "--no-full-text")
    assert site.hits["/rss-full.xml"] == site.hits["/atom.xml"] == 2
    assert out.count("not modified") == 2, out
    assert "httpx" in modules
    assert loaded(modules, PARSING + UI) == []
