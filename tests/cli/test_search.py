"""`pozirk-reader search` on the imported samples: ranking, snippets, JSON, filters and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pozirk_reader.cli.commands import main
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from tests.ui.helpers import sample_library


@pytest.fixture
def data(tmp_path: Path) -> Path:
    with Store.open(tmp_path / "data" / "library.sqlite3") as store:
        import_path(store, sample_library(tmp_path))
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    status = main(["search", *args, "--data-dir", str(data)])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_results_are_ranked_with_a_snippet(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, data, "районная библиотека")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 4
    assert lines[0].endswith("2026-10-30  В Бресте открылась новая районная библиотека")
    assert lines[2].endswith("2026-10-08  В Гродно открылась новая районная библиотека")
    assert lines[1].startswith("    ") and "библиотека" in lines[1]


def test_json_and_limit(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, data, "Гродно OR Брест", "--limit", "3", "--json")
    rows = json.loads(out)
    assert status == 0 and len(rows) == 3
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    assert all(
        ("Гродно" in row["title"] + row["snippet"]) or ("Брест" in row["title"] + row["snippet"]) for row in rows
    )


def test_filters_narrow_the_results(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, data, "библиотека", "--since", "2026-10-20", "--json")
    assert [row["date"] for row in json.loads(out)] == ["2026-10-30"]
    _, out, _ = run(capsys, data, "библиотека", "--starred", "--json")
    assert json.loads(out) == []
    status, _, err = run(capsys, data, "библиотека", "--source", "/nowhere")
    assert (
        status == 1
        and err.strip()
        == "pozirk-reader: /nowhere: no such source (see `pozirk-reader feeds list`, or a folder imported)"
    )


@pytest.mark.parametrize("query", ['"unbalanced', "-", "NEAR(", "*", "title:x", "\x1b[31m", "AND OR NOT"])
def test_hostile_queries_are_answered_never_an_error(
    data: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    status, out, err = run(capsys, data, query)
    assert status == 0 and err == ""
    assert "\x1b" not in out


def test_nothing_found_says_so(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, data, "зебра")[1] == "nothing found\n"
