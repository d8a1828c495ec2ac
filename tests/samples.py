"""The sample library's manifest (sample_articles/GRAPH.md) read as data for tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_articles"


@dataclass(frozen=True)
class SampleFile:
    """One row of the manifest's file table."""

    name: str
    language: str
    encoding: str
    headline: str


@dataclass(frozen=True)
class SampleLink:
    """One row of the manifest's related-link table; ``target`` is a file name or ``None``."""

    source: str
    text: str
    target: str | None
    variation: str


def _rows(section: str) -> list[list[str]]:
    """The table rows (cells stripped) under the Markdown heading ``section``."""
    text = (SAMPLES / "GRAPH.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in body.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in row.strip().strip("|").split(" | ")] for row in rows]


def _code(cell: str) -> str:
    """The text inside a cell's backticks."""
    return cell.strip().removeprefix("`").removesuffix("`")


def sample_files() -> list[SampleFile]:
    """Every sample file the manifest lists."""
    return [SampleFile(_code(r[0]), r[1], r[2].split()[0], _code(r[6])) for r in _rows("Files")]


def sample_links() -> list[SampleLink]:
    """Every related link the manifest lists, in file order."""
    links = []
    for row in _rows("Related links"):
        target = None if row[3] == "not in library" else _code(row[3])
        links.append(SampleLink(_code(row[1]), _code(row[2]), target, row[5]))
    return links
