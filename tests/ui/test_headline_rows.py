"""Headline rows with long source names (defect 3): feeds told apart, their headlines not squeezed to a word or
three, at 80, 120 and 200 columns, on one line or two."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.fitting import source_label
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from tests.ui.helpers import feeds_cache, list_lines, make_app, ready, run, settle

FEED_TITLES = ("Pozirk sample (full text)", "Pozirk sample (summaries)", "Pozirk sample (Atom)")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return feeds_cache(tmp_path)


def test_long_source_names_are_cut_so_that_they_stay_apart() -> None:
    for width in (9, 12, 16):
        labels = [source_label(title, width) for title in FEED_TITLES]
        assert len(set(labels)) == 3, labels
        assert all(len(label) <= width for label in labels)
    assert source_label("Pozirk", 9) == "Pozirk"
    assert source_label("Pozirk sample (full text)", 16) == "Pozirk full text"
    assert source_label("Pozirk sample (full text)", 12) == "full text"
    assert source_label("Белорусская служба новостей", 12) == "Белорусская…"  # no qualifier: cut with an ellipsis
    assert source_label("Pozirk sample (a very long qualifier)", 9).endswith("…")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_two_line_rows_tell_feeds_apart_and_keep_two_lines_of_headline(
    cache: Path, size: tuple[int, int]
) -> None:
    with Store.open(cache) as store:
        feed_rows = {h.id: h for h in store.headlines(0, 100) if h.source_name in FEED_TITLES}
    async with run(make_app(cache), size=size) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        headlines = screen.headline_list
        assert headlines.row_height == 2
        lines = list_lines(screen)
        assert not any("Pozirk sampl " in line or line.rstrip().endswith("Pozirk sampl") for line in lines)
        shown_labels = set()
        for row in range(len(lines) // 2):
            headline = headlines.headline_at(headlines.scroll_offset.y // 2 + row)
            if headline is None or headline.id not in feed_rows:
                continue
            first, second = lines[2 * row][3:].strip(), lines[2 * row + 1].strip()
            label = source_label(headline.source_name or "", 16)
            shown_labels.add(second.rsplit(" ", 1)[-1])
            words = headline.title.split()
            if len(headline.title) > len(first) + 12:  # a headline longer than its first line continues on the second
                start = second.split()[0].rstrip("…")
                assert any(word.startswith(start) for word in words[len(first.split()) :]), (first, second)
            assert label or second
        assert len(shown_labels) >= 2, shown_labels  # the feeds in view are told apart


async def test_one_line_rows_tell_feeds_apart(cache: Path) -> None:
    async with run(make_app(cache), size=(200, 60)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        assert screen.headline_list.row_height == 1
        lines = list_lines(screen)
        assert not any("Pozirk…" in line for line in lines)
        for title in FEED_TITLES:
            label = source_label(title, 16)
            assert any(label in line for line in lines), label


def test_the_list_column_widths_leave_the_headline_room() -> None:
    assert HeadlineList.source_cells(70) >= 16 and HeadlineList.source_cells(40) >= 9
