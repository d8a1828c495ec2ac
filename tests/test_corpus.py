"""Real feeds read right: every feed of ``../shared/corpus`` against feedparser 6 (see ``tests/corpus.py``).

Each file is read from disk and over a loopback HTTP server; every difference from feedparser must be listed
in :data:`DELIBERATE` with its reason, and every listed one must still occur (a list that no longer holds is
out of date). ``python benchmarks/corpus_report.py`` prints the figures.
"""

from __future__ import annotations

import pytest

from tests.corpus import FEEDS, KINDS, Verdict, cases, judge

_DETECTED = (
    "no charset is declared and the bytes are not UTF-8: the reader detects {0} (and warns that it guessed);"
    " feedparser without chardet falls back to windows-1252 and garbles it"
)
_CDF = "Microsoft's Channel Definition Format (1997) is neither RSS nor Atom: refused, saying its first element"

DELIBERATE: dict[str, dict[str, str]] = {
    "feedparser__tests__illformed__chardet__big5.xml": {"decoding": _DETECTED.format("Big5")},
    "feedparser__tests__illformed__chardet__eucjp.xml": {"decoding": _DETECTED.format("EUC-JP")},
    "feedparser__tests__illformed__chardet__euckr.xml": {"decoding": _DETECTED.format("EUC-KR")},
    "feedparser__tests__illformed__chardet__gb2312.xml": {"decoding": _DETECTED.format("GB2312 (as GB18030)")},
    "feedparser__tests__illformed__chardet__koi8r.xml": {"decoding": _DETECTED.format("KOI8-R")},
    "feedparser__tests__illformed__chardet__shiftjis.xml": {"decoding": _DETECTED.format("Shift_JIS")},
    "feedparser__tests__illformed__chardet__tis620.xml": {"decoding": _DETECTED.format("TIS-620 (as windows-874)")},
    "feedparser__tests__illformed__chardet__windows1255.xml": {"decoding": _DETECTED.format("windows-1255 (Hebrew)")},
    "feedparser__tests__encoding__bozo_invalid-bytes-with-bom.xml": {
        "decoding": "a UTF-8 BOM and valid UTF-8 (Ѩ) but one stray byte: the reader keeps the UTF-8 and reads the"
        " stray byte as windows-1252 (España); feedparser reads the whole document as windows-1252 (mojibake)"
    },
    "feedparser__tests__wellformed__cdf__item_href_map_link.xml": {"refused": _CDF},
    "feedparser__tests__wellformed__cdf__item_href_map_links.xml": {"refused": _CDF},
}
"""file -> {kind of difference: why the reader differs from feedparser on purpose}."""


@pytest.fixture(scope="module")
def verdicts() -> list[Verdict]:
    if not FEEDS.is_dir():
        pytest.skip(f"the feed corpus {FEEDS} is absent (../shared is not beside this checkout)")
    return judge()


def test_the_corpus_is_all_there(verdicts: list[Verdict]) -> None:
    assert len(verdicts) == 2 * len(cases()) and len(cases()) > 0


@pytest.mark.parametrize("kind", KINDS)
def test_no_difference_from_feedparser_but_the_listed_ones(verdicts: list[Verdict], kind: str) -> None:
    unlisted = [
        f"{v.run} {v.case}: {v.differences[kind]}"
        for v in verdicts
        if kind in v.differences and kind not in DELIBERATE.get(v.case, {})
    ]
    assert not unlisted, "\n".join(unlisted)


def test_every_listed_difference_still_occurs(verdicts: list[Verdict]) -> None:
    found = {(v.case, kind) for v in verdicts for kind in v.differences}
    stale = [f"{case}: {kind}" for case, kinds in DELIBERATE.items() for kind in kinds if (case, kind) not in found]
    assert not stale, "listed in DELIBERATE but no longer different:\n" + "\n".join(stale)


def test_every_listed_difference_has_a_reason() -> None:
    assert all(reason.strip() and kind in KINDS for kinds in DELIBERATE.values() for kind, reason in kinds.items())
