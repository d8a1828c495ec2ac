"""Feeds from the command line: feeds add/list/remove/import/export and refresh, against a local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.cli.commands import main
from pozirk_reader.core.store.library import Store
from tests.feedserver import FEEDS, Site


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process; returns (status, stdout, stderr)."""
    status = main([*args, "--data-dir", str(data)])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_add_list_refresh_remove(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, tmp_path, "feeds", "add", site.url("atom.xml"), site.url("rss-summaries.xml"))
    assert status == 0, err
    assert out.splitlines() == [
        "Pozirk sample (Atom): 5 new, 0 updated, 0 unchanged",
        "Pozirk sample (summaries): 5 new, 0 updated, 0 unchanged; full text of 5",
    ]
    status, out, _ = cli(capsys, tmp_path, "feeds", "list")
    assert status == 0
    assert out.splitlines()[:3] == ["Pozirk sample (Atom)", f"  {site.url('atom.xml')}", out.splitlines()[2]]
    assert "5 articles, refreshed 20" in out
    status, out, _ = cli(capsys, tmp_path, "refresh")
    assert status == 0
    assert out.splitlines() == [
        "Pozirk sample (Atom): not modified (5 cached articles)",
        "Pozirk sample (summaries): not modified (5 cached articles)",
    ]
    status, out, _ = cli(capsys, tmp_path, "feeds", "remove", site.url("atom.xml"))
    assert (status, out.strip()) == (0, f"unsubscribed from {site.url('atom.xml')}: 5 cached articles deleted")


def test_refresh_offline_says_why_in_one_line_a_feed(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, tmp_path, "feeds", "add", site.url("rss-full.xml"))[0] == 0
    site.stop()
    status, out, err = cli(capsys, tmp_path, "refresh")
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"Pozirk sample (full text): connection refused (127.0.0.1:{site.port}) — showing 6 cached articles"
    ]
    with Store.open(tmp_path / "library.sqlite3") as store:
        assert store.count() == 6


def test_adding_something_that_is_no_feed_subscribes_to_nothing(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = cli(capsys, tmp_path, "feeds", "add", site.url("missing.xml"))
    assert status == 1
    assert err.strip() == f"pozirk-reader: not subscribed: 127.0.0.1:{site.port}: HTTP 404"
    assert "no feeds yet" in cli(capsys, tmp_path, "feeds", "list")[1]


def test_a_local_feed_file_can_be_subscribed_to(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, tmp_path, "feeds", "add", str(FEEDS / "rss-full.xml"))
    assert status == 0 and out.startswith("Pozirk sample (full text): 6 new")


def test_feeds_list_names_an_encoding_that_was_guessed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "latin.xml"
    item = "<item><guid>1</guid><title>Simulações de ação: não há solução</title></item>"
    feed.write_bytes(f"<rss version='2.0'><channel><title>Notícias</title>{item}</channel></rss>".encode("cp1252"))
    status, out, err = cli(capsys, tmp_path, "feeds", "add", str(feed))
    assert status == 0, err
    assert out.strip().endswith("; warning: the encoding was guessed: windows-1252 (no charset declared)")
    status, out, _ = cli(capsys, tmp_path, "feeds", "list")
    assert status == 0 and out.splitlines()[0] == "Notícias"
    assert "  warning: the encoding was guessed: windows-1252 (no charset declared)" in out.splitlines()


def test_opml_export_then_import_round_trips(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("atom.xml", "rss-full.xml"):
        assert cli(capsys, tmp_path, "feeds", "add", site.url(name), "--no-full-text")[0] == 0
    opml = tmp_path / "subscriptions.opml"
    assert cli(capsys, tmp_path, "feeds", "export", str(opml))[0] == 0
    other = tmp_path / "other"
    status, out, _ = cli(capsys, other, "feeds", "import", str(opml), "--no-refresh")
    assert status == 0 and out.strip() == f"{opml}: 2 new feeds, 0 already subscribed"
    with Store.open(other / "library.sqlite3") as store:
        feeds = store.sources(kind="feed")
    assert [(feed.location, feed.title) for feed in feeds] == [
        (site.url("atom.xml"), "Pozirk sample (Atom)"),
        (site.url("rss-full.xml"), "Pozirk sample (full text)"),
    ]


def test_opml_entries_with_other_schemes_are_refused_never_fetched(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes((FEEDS / "atom.xml").read_bytes())
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline type="rss" text="ok" xmlUrl="{site.url("atom.xml")}"/>'
        f'<outline type="rss" text="file" xmlUrl="{secret.as_uri()}"/>'
        '<outline type="rss" text="js" xmlUrl="javascript:alert(1)"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    status, out, err = cli(capsys, tmp_path, "feeds", "import", str(opml))
    assert status == 1
    assert "1 new feeds" in out and "Pozirk sample (Atom): 5 new" in out
    refused = [line for line in err.splitlines() if line.startswith("pozirk-reader: refused")]
    assert len(refused) == 2 and secret.as_uri() in refused[0] and "javascript:alert(1)" in refused[1]
    with Store.open(tmp_path / "library.sqlite3") as store:
        assert [feed.location for feed in store.sources(kind="feed")] == [site.url("atom.xml")]
        assert store.count() == 5
