"""Every bundled sample article parses, as its manifest says."""

from __future__ import annotations

from collections import Counter

import pytest

from pozirk_reader.core.article.plaintext import parse_file
from tests.samples import SAMPLES, sample_files, sample_links

FILES = sample_files()


def test_manifest_lists_every_sample_file() -> None:
    assert sorted(file.name for file in FILES) == sorted(path.name for path in SAMPLES.glob("*.txt"))
    assert len(FILES) >= 12


def test_languages_and_encodings_are_covered() -> None:
    languages = Counter(file.language for file in FILES)
    assert languages["be"] >= 2 and languages["en"] >= 1 and languages["ru"] >= 1
    assert {file.encoding for file in FILES} == {"utf-8", "windows-1251", "koi8-r"}


@pytest.mark.parametrize("sample", FILES, ids=[file.name for file in FILES])
def test_sample_parses_as_the_manifest_says(sample) -> None:
    article = parse_file(SAMPLES / sample.name)
    assert article.title == sample.headline
    assert article.language == sample.language
    assert article.encoding == sample.encoding
    assert article.paragraphs
    expected = [link.text.replace("  ", " ") for link in sample_links() if link.source == sample.name]
    titles = [link.title for link in article.related]
    assert [title.split(" https://")[0] for title in expected] == titles


def test_dates_span_several_weeks() -> None:
    dates = sorted(d for d in (parse_file(SAMPLES / f.name).date for f in FILES) if d is not None)
    assert (dates[-1] - dates[0]).days >= 21
