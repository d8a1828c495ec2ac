"""Generated RSS feeds for the benchmarks, and the local server (another process) that serves them.

Items are news-like, about :data:`HTML_BYTES` of Cyrillic HTML each: a dateline, paragraphs of
:mod:`vocabulary`'s Zipf-distributed words (hunspell's Russian and Belarusian word forms where installed;
one item in five Belarusian), a figure with an image's alt text and a caption, and a "См. также:" /
"Гл. таксама:" list of links to other items with their headlines, as the agency's feeds carry. An item is
named by its feed number and its index in that feed (index 0 the newest), and everything about it (text,
links, date) follows from the seed, the feed and the index alone: the same item is byte for byte the same
in every feed version that holds it, so a second version with new items on top has the others unchanged.

The server (:func:`start_server`) runs in a child process, so its CPU time is nobody's. It serves the
files of a folder from disk with a strong ETag and a Last-Modified (a matching ``If-None-Match``, or an
``If-Modified-Since`` not older than the file when no ETag is sent, gets 304), and two extra paths:
``/_alias/NAME/FOLDER`` makes ``/NAME/...`` serve ``FOLDER/...`` (one subscribed URL, changed content), and
``/_stats`` returns (and resets) the count of answers by status.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.request import urlopen
from xml.sax.saxutils import escape

from vocabulary import Vocabulary, load

SITE = "https://pozirk.example"
HTML_BYTES = 2000
"""About how many UTF-8 bytes of HTML each item carries."""

START = datetime(2025, 11, 20, 12, 0, tzinfo=timezone(timedelta(hours=3)))


def _words(text: str) -> list[str]:
    return text.split()


MONTHS = {
    "ru": _words("января февраля марта апреля мая июня июля августа сентября октября ноября декабря"),
    "be": _words(
        "студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня верасня кастрычніка лістапада снежня"
    ),
}
PLACES = {
    "ru": _words("Минск Гродно Брест Гомель Витебск Могилев Пинск Барановичи Бобруйск Лида Орша Солигорск"),
    "be": _words("Мінск Гродна Брэст Гомель Віцебск Магілёў Пінск Баранавічы Бабруйск Ліда Орша Салігорск"),
}
SEE_ALSO = {"ru": "См. также:", "be": "Гл. таксама:"}
CREDITS = ("архив редакции", "пресс-служба МВД", "Позірк", "иллюстративное фото", "соцсети")


class Generator:
    """Items of feeds, deterministic in (seed, feed, index)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.vocabularies: dict[str, Vocabulary] = {"ru": load("ru", seed), "be": load("be", seed + 1)}
        self._headlines: dict[tuple[int, int], tuple[str, str]] = {}

    def describe(self) -> str:
        return "; ".join(vocabulary.describe() for vocabulary in self.vocabularies.values())

    def headline(self, feed: int, index: int) -> tuple[str, str]:
        """The (language, headline) of an item."""
        key = (feed, index)
        if key not in self._headlines:
            rng = random.Random(f"headline {self.seed} {feed} {index}")
            language = "be" if rng.random() < 0.2 else "ru"
            words = self.vocabularies[language].words(rng, rng.randint(5, 10))
            text = " ".join(words)
            self._headlines[key] = (language, text[0].upper() + text[1:])
        return self._headlines[key]

    def url(self, feed: int, index: int) -> str:
        return f"{SITE}/news/{feed}/{index}.html"

    def item_html(self, rng: random.Random, language: str, links: list[tuple[int, int]]) -> str:
        """About :data:`HTML_BYTES` of HTML: paragraphs, a figure, then a see-also list of ``links``."""
        words = self.vocabularies[language]
        lead = f"<strong>{rng.choice(PLACES[language])}, {rng.randint(1, 28)} {rng.choice(MONTHS[language])}.</strong> "
        paragraphs = [lead + " ".join(words.sentence(rng) for _ in range(2))]
        tail = f"<p><b>{SEE_ALSO[language]}</b></p><ul>" + "".join(
            f'<li><a href="{self.url(*link)}">{escape(self.headline(*link)[1])}</a></li>' for link in links
        )
        figure = (
            f'<figure><img src="{SITE}/img/{rng.randrange(10**6)}.jpg" alt="{escape(words.sentence(rng))}">'
            f"<figcaption>Фото: {rng.choice(CREDITS)}</figcaption></figure>"
        )
        size = len((figure + tail).encode()) + len(paragraphs[0].encode()) + 20
        while size < HTML_BYTES - 150:
            paragraphs.append(" ".join(words.sentence(rng) for _ in range(rng.randint(1, 3))))
            size += len(paragraphs[-1].encode()) + 7
        paragraphs.insert(1, figure)
        body = "".join(part if part.startswith("<figure") else f"<p>{part}</p>" for part in paragraphs)
        return body + tail + "</ul>"

    def item(self, feed: int, index: int, span: tuple[int, int], feeds: int) -> tuple[str, int]:
        """The ``<item>`` of (feed, index) and its HTML's size; its see-also links point at items of
        ``feeds`` feeds (numbered from ``feed``'s group) with indexes in ``span``."""
        rng = random.Random(f"item {self.seed} {feed} {index}")
        language, headline = self.headline(feed, index)
        first = feed - feed % 1000
        links = []
        for _ in range(rng.randint(2, 3)):
            other = (first + rng.randrange(feeds), rng.randrange(*span))
            if other != (feed, index):
                links.append(other)
        html = self.item_html(rng, language, links)
        url = self.url(feed, index)
        date = (START - timedelta(minutes=7 * index, seconds=feed % 1000)).strftime("%a, %d %b %Y %H:%M:%S %z")
        lead = self.vocabularies[language].sentence(rng)
        return (
            f"<item><title>{escape(headline)}</title><link>{url}</link><guid isPermaLink='true'>{url}</guid>"
            f"<pubDate>{date}</pubDate><description>{escape(lead)}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>\n"
        ), len(html.encode())

    def write_feed(self, path: Path, feed: int, indexes: Sequence[int], span: tuple[int, int], feeds: int) -> int:
        """Write feed ``feed`` with the items ``indexes``, its file dated as its newest item (the server's
        Last-Modified: a version with newer items is newer); returns the bytes of its items' HTML."""
        parts, html_bytes, newest = [], 0, min(indexes)
        for index in indexes:
            xml, size = self.item(feed, index, span, feeds)
            parts.append(xml)
            html_bytes += size
        document = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content='
            f'"http://purl.org/rss/1.0/modules/content/"><channel><title>Позірк {feed}</title><link>{SITE}/</link>'
            f"<description>Навіны і падзеі</description><language>ru</language>\n{''.join(parts)}</channel></rss>\n"
        ).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document)
        stamp = (START - timedelta(minutes=7 * newest)).timestamp()
        os.utime(path, (stamp, stamp))
        return html_bytes


def feed_name(number: int) -> str:
    return f"feed{number:04d}.xml"


def _serve(folder: str, reply: Connection) -> None:
    """Serve ``folder`` (see the module's docstring) until killed; sends the port first."""
    root = Path(folder)
    aliases: dict[str, str] = {}
    etags: dict[tuple[str, float, int], str] = {}
    counts: Counter[int] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, data: bytes = b"", headers: dict[str, str] | None = None) -> None:
            if not self.path.startswith(("/_alias/", "/_stats")):
                with lock:
                    counts[status] += 1
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if status != 304:
                self.wfile.write(data)

        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            if parts[0] == "_alias" and len(parts) == 3:
                aliases[parts[1]] = parts[2]
                self._answer(200, b"ok")
                return
            if parts[0] == "_stats":
                with lock:
                    data = json.dumps(dict(counts)).encode()
                    counts.clear()
                self._answer(200, data)
                return
            parts[0] = aliases.get(parts[0], parts[0])
            path = root.joinpath(*parts)
            if ".." in parts or not path.is_file():
                self._answer(404)
                return
            data = path.read_bytes()
            stat = path.stat()
            key = (str(path), stat.st_mtime, stat.st_size)
            if key not in etags:
                etags[key] = f'"{hashlib.sha1(data).hexdigest()[:20]}"'
            modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
            headers = {"ETag": etags[key], "Last-Modified": format_datetime(modified, usegmt=True)}
            match = self.headers.get("If-None-Match")
            since = self.headers.get("If-Modified-Since")
            if match is not None:
                fresh = match != etags[key]
            elif since:
                try:
                    fresh = parsedate_to_datetime(since) < modified
                except (TypeError, ValueError):
                    fresh = True
            else:
                fresh = True
            if fresh:
                headers["Content-Type"] = "application/rss+xml; charset=utf-8"
            self._answer(200 if fresh else 304, data if fresh else b"", headers)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # the default 5 drops connections (1 s SYN retry) when 8 clients connect at once

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client closing its kept-alive connection is no news

    server = Server(("127.0.0.1", 0), Handler)
    reply.send(server.server_address[1])
    server.serve_forever()


class FeedServer:
    """The server process; ``base`` is its root URL."""

    def __init__(self, folder: Path) -> None:
        receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.get_context("fork").Process(target=_serve, args=(str(folder), send), daemon=True)
        self.process.start()
        self.base = f"http://127.0.0.1:{receive.recv()}/"

    def alias(self, name: str, folder: str) -> None:
        """Serve ``folder`` under ``/name/`` from now on."""
        with urlopen(f"{self.base}_alias/{name}/{folder}") as answer:
            answer.read()

    def stats(self) -> dict[int, int]:
        """Answers by status since the last call."""
        with urlopen(f"{self.base}_stats") as answer:
            return {int(status): count for status, count in json.loads(answer.read()).items()}

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
