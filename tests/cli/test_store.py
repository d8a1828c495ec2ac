"""The cache from the command line: import, list, show ID, export, and where the cache lives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pozirk_reader.core import paths
from pozirk_reader.core.store.database import cache_path
from pozirk_reader.core.store.library import Store
from tests.samples import SAMPLES


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pozirk_reader ARGS`` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "pozirk_reader", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory with the samples imported."""
    done = run("import", str(SAMPLES), "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{SAMPLES}: 16 added, 0 updated, 0 unchanged, 0 failed"
    return tmp_path


def test_import_summary_and_failures(data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.txt").write_bytes(b"\x00\x00")
    (broken / "good.txt").write_text("Хорошая\n\nТекст.", "utf-8")
    done = run("import", str(SAMPLES), str(broken), "--data-dir", str(data))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{SAMPLES}: 0 added, 0 updated, 16 unchanged, 0 failed",
        f"{broken}: 1 added, 0 updated, 0 unchanged, 1 failed",
    ]
    assert done.stderr.strip() == f"pozirk-reader: {broken / 'bad.txt'}: the file is binary, not text"


def test_list_newest_first_with_unread_and_limit(data: Path) -> None:
    lines = run("list", "--data-dir", str(data), "--limit", "20").stdout.splitlines()
    assert len(lines) == 16
    dated = [line.split()[1] for line in lines if line.split()[1][:4].isdigit()]
    assert dated == sorted(dated, reverse=True)
    read_id = lines[1].split()[0]
    with Store.open(cache_path(data)) as store:
        store.set_read(read_id)
    unread = run("list", "--unread", "--data-dir", str(data)).stdout.splitlines()
    assert len(unread) == 15 and all(read_id not in line for line in unread)
    assert len(run("list", "--limit", "3", "--data-dir", str(data)).stdout.splitlines()) == 3


def test_show_id_and_export(data: Path) -> None:
    line = next(x for x in run("list", "--data-dir", str(data)).stdout.splitlines() if "Синоптики обещают" in x)
    article_id = line.split()[0]
    shown = run("show", article_id, "--data-dir", str(data)).stdout
    assert shown.startswith("Синоптики обещают тёплую неделю и утренние туманы\n")
    assert "[in the cache]" in shown and "[web only]" in shown
    exported = json.loads(run("export", article_id, "--format", "json", "--data-dir", str(data)).stdout)
    assert exported["id"] == article_id and exported["related"][1]["url"] == "https://example.org/news/4812"
    markdown = run("export", article_id, "--data-dir", str(data)).stdout
    assert markdown.startswith("# Синоптики обещают тёплую неделю и утренние туманы\n")
    assert "## See also" in markdown


def test_unknown_id(data: Path) -> None:
    done = run("show", "ffffffff", "--data-dir", str(data))
    assert done.returncode == 1
    assert done.stderr == "pozirk-reader: ffffffff: no such file, and no cached article has that id\n"


def test_environment_variable_sets_the_data_dir(tmp_path: Path) -> None:
    done = run("import", str(SAMPLES), env={"POZIRK_READER_DATA_DIR": str(tmp_path / "env")})
    assert done.returncode == 0
    assert (tmp_path / "env" / "library.sqlite3").is_file()


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "env"))
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert paths.data_dir() == tmp_path / "env"
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    assert paths.data_dir().name == "pozirk-reader"
    assert cache_path(tmp_path) == tmp_path / "library.sqlite3"


def test_importing_the_package_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "POZIRK_READER_DATA_DIR": ""}
    code = (
        "import pozirk_reader.cli.commands, pozirk_reader.core.store.library, pozirk_reader.core.operations.importing"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, **env})
    assert list(home.iterdir()) == []


def test_list_names_each_source_in_full(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Feed titles are not cut to twelve letters: "Pozirk sample (full text)" and "(summaries)" stay apart."""
    from pozirk_reader.cli.commands import main
    from pozirk_reader.core.operations.feeds import add_feed
    from tests.feedserver import FEEDS

    with Store.open(tmp_path / "library.sqlite3") as store:
        for name in ("rss-full.xml", "rss-summaries.xml"):
            add_feed(store, str(FEEDS / name), full_text=False)
    assert main(["list", "--data-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("Pozirk sample (full text)  " in line for line in lines)
    assert any("Pozirk sample (summaries)  " in line for line in lines)
    with Store.open(tmp_path / "library.sqlite3") as store:
        titles = [headline.title for headline in store.headlines(0, 100)]
    assert len({line.index(title) for line, title in zip(lines, titles, strict=True)}) == 1  # the names padded
