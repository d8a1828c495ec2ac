"""Full-text search of the cache: the index's upkeep, a small query language, ranked results, highlights.

The index (``search_index``, an FTS5 table made by schema version 3) holds, for each article's rowid,
the stems of its headline and its body (:mod:`pozirk_reader.core.search.stemming`); it keeps no copy of the
text. The store's connection keeps it in step with ``articles``: :func:`attach_index` registers the
stemming function on the connection and adds temporary triggers on insert, update and delete (a
trigger in the schema itself would break every other program writing to the cache, which has no such
function). An index that is empty after the migration, or was built with other stems, is built anew
when the store opens the cache.

Queries (:func:`parse_query`): words are ANDed; ``"quoted phrases"``, ``word*`` prefixes, ``OR``
between two items, ``-word`` or ``-"phrase"`` to exclude. Anything else (stray quotes, a bare ``-``,
``NEAR(``, ``title:``, control characters) is taken as plain words: the FTS5 expression is built here
from quoted terms, never from the user's text, so no query is ever an error.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from pozirk_reader.core.search import stemming
from pozirk_reader.core.search.stemming import WORD, index_text, normal, query_stems, stem_belarusian, stem_russian
from pozirk_reader.core.store.read_models import Headline

if TYPE_CHECKING:
    from pozirk_reader.core.store.library import Store

INDEX = "search_index"
INDEX_FUNCTION = "pozirk_index_text"
"""The SQL function ``pozirk_index_text(text, language)``: what the index holds for a text."""

CANDIDATES = 2000
"""A query matching more articles ranks only the newest this many (by rowid), then lists the rest newest first."""

FILTERED = 5000
"""Filters keeping at most this many articles are applied first; above it, the index is walked first."""

FILTERED_CANDIDATES = 500
"""The ranking bound when the index is walked first and joined with filters (each match costs a row lookup)."""

RANK_WEIGHTS = "4.0, 1.0"
"""bm25 weights of the headline and the body: the same as the index's ``rank`` (schema version 3)."""

MAX_TERMS = 16
"""Query items beyond this many are ignored (a pasted page of text must not make a huge expression)."""

MAX_PHRASE_WORDS = 16
MIN_PREFIX = 2
"""A shorter ``word*`` is taken as a plain word: a one-letter prefix would gather half the vocabulary."""

SNIPPET_WIDTH = 160

_HEADLINE_COLUMNS = "a.id, a.title, a.source_name, a.published, a.place_time, a.read, a.starred, a.gone, a.language"

# -- the index's upkeep --------------------------------------------------------------------------

_TRIGGERS = (
    f"""CREATE TEMP TRIGGER IF NOT EXISTS search_index_after_delete AFTER DELETE ON main.articles BEGIN
        INSERT INTO {INDEX} ({INDEX}, rowid, title, body) VALUES
            ('delete', old.rowid, {INDEX_FUNCTION}(old.title, old.language),
             {INDEX_FUNCTION}(old.body, old.language));
    END""",
    f"""CREATE TEMP TRIGGER IF NOT EXISTS search_index_after_update AFTER UPDATE OF title, body, language
    ON main.articles WHEN old.title IS NOT new.title OR old.body IS NOT new.body
        OR old.language IS NOT new.language BEGIN
        INSERT INTO {INDEX} ({INDEX}, rowid, title, body) VALUES
            ('delete', old.rowid, {INDEX_FUNCTION}(old.title, old.language),
             {INDEX_FUNCTION}(old.body, old.language));
        INSERT INTO {INDEX} (rowid, title, body) VALUES
            (new.rowid, {INDEX_FUNCTION}(new.title, new.language), {INDEX_FUNCTION}(new.body, new.language));
    END""",
)


def attach_index(connection: sqlite3.Connection, *, writable: bool = True) -> None:
    """Make ``connection`` keep the search index in step with ``articles``, building it first if it must be.

    Registers :data:`INDEX_FUNCTION` and (when ``writable``) the temporary triggers; then, if
    ``meta.search_index`` does not name the stemming in use (a cache just migrated, or indexed by
    another version), rebuilds the index from every article in one transaction.
    """
    connection.create_function(INDEX_FUNCTION, 2, index_text, deterministic=True)
    if not writable or not _has_index(connection):
        return
    for trigger in _TRIGGERS:
        connection.execute(trigger)
    if _index_state(connection) != stemming.STEMMER_VERSION:
        connection.execute("BEGIN IMMEDIATE")
        try:
            if _index_state(connection) != stemming.STEMMER_VERSION:  # another process may have built it
                _rebuild(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def index_article(db: sqlite3.Connection, rowid: int | None, title: str, body: str, language: str) -> None:
    """Add a new article (the row of ``articles`` just inserted) to the index, inside the caller's transaction.

    The store's :meth:`~pozirk_reader.core.store.library.Store.save_article` calls this for every article it
    adds, rather than an insert trigger: a statement with a trigger makes FTS5 write its pending
    terms to disk at once, a new segment for every article, which would halve the import's speed.
    """
    db.execute(
        f"INSERT INTO {INDEX} (rowid, title, body) VALUES (?, ?, ?)",
        (rowid, index_text(title, language), index_text(body, language)),
    )


def rebuild_index(store: Store) -> int:
    """Build the search index anew from every article (e.g. after a tool outside the reader changed them)."""
    with store.transaction() as db:
        return _rebuild(db)


def _rebuild(db: sqlite3.Connection) -> int:
    db.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('delete-all')")
    count = db.execute(
        f"INSERT INTO {INDEX} (rowid, title, body) SELECT rowid, {INDEX_FUNCTION}(title, language),"
        f" {INDEX_FUNCTION}(body, language) FROM articles"
    ).rowcount
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('search_index', json_quote(?))"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (stemming.STEMMER_VERSION,),
    )
    return count


def _has_index(connection: sqlite3.Connection) -> bool:
    return (
        connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INDEX,)).fetchone()
        is not None
    )


def _index_state(connection: sqlite3.Connection) -> str | None:
    row = connection.execute("SELECT json_extract(value, '$') FROM meta WHERE key = 'search_index'").fetchone()
    return row[0] if row else None


# -- queries -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One item of a query: a word (or ``word*`` prefix), or a phrase of several words, in normal form."""

    words: tuple[str, ...]
    prefix: bool = False

    def alternatives(self) -> tuple[tuple[str, bool], ...]:
        """What the term matches in the index: (stems separated by spaces, prefix?) pairs, any of which will do."""
        if len(self.words) == 1:
            found = [(stem, False) for stem in query_stems(self.words[0])]
            if self.prefix:
                found.insert(0, (self.words[0], True))
        else:
            found = [(" ".join(map(stemmer, self.words)), False) for stemmer in (stem_russian, stem_belarusian)]
        return tuple(dict.fromkeys(found))

    def expression(self) -> str:
        """The term as an FTS5 expression of quoted strings."""
        parts = [_quote(stems) + ("*" if prefix else "") for stems, prefix in self.alternatives()]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every group must match (a group is terms joined by OR), and no excluded term."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    _matcher: _Matcher | None = field(default=None, compare=False, repr=False)

    @property
    def positive(self) -> tuple[Term, ...]:
        """The terms that are looked for (every group's)."""
        return tuple(term for group in self.groups for term in group)

    def match_expression(self) -> str | None:
        """The FTS5 ``MATCH`` expression of the whole query, or ``None`` if it looks for nothing."""
        if not self.groups:
            return None
        found = " AND ".join(_group(group) for group in self.groups)
        if self.excluded:
            found = f"({found}) NOT {_group(self.excluded)}"
        return found

    def exclusion_expression(self) -> str | None:
        """An expression matching any excluded term (for a query that only excludes), or ``None``."""
        return _group(self.excluded) if self.excluded else None

    @property
    def matcher(self) -> _Matcher:
        """Tells which words of a text match the query (for highlights and snippets)."""
        if self._matcher is None:
            object.__setattr__(self, "_matcher", _Matcher(self.positive))
        assert self._matcher is not None
        return self._matcher


def _group(terms: tuple[Term, ...]) -> str:
    return terms[0].expression() if len(terms) == 1 else "(" + " OR ".join(term.expression() for term in terms) + ")"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_LEXEME = re.compile(r'(-?)"([^"]*)"|(\S+)')


@lru_cache(maxsize=256)
def parse_query(text: str) -> Query:
    """Parse a query; any text is a query (perhaps one that looks for nothing), never an error."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # an OR was just read, after a term looked for
    count = 0
    for match in _LEXEME.finditer(text):
        negative, phrase, chunk = match.group(1), match.group(2), match.group(3)
        if chunk is not None:
            if chunk == "OR":
                joining = bool(groups) and count > 0
                continue
            if chunk == "AND":
                continue
            negative = "-" if chunk.startswith("-") else ""
            body = chunk.lstrip("-")
            stripped = body.rstrip("*")
            found = [normal(word) for word in WORD.findall(stripped)]
            prefix = stripped != body and len(found) == 1 and len(found[0]) >= MIN_PREFIX
        else:
            found = [normal(word) for word in WORD.findall(phrase)]
            prefix = False
        found = [word for word in found if word][:MAX_PHRASE_WORDS]
        if not found:
            continue
        term = Term(tuple(found), prefix)
        count += 1
        if count > MAX_TERMS:
            break
        if negative:
            if term not in excluded:
                excluded.append(term)
            joining = False
        elif joining:
            if term not in groups[-1]:
                groups[-1].append(term)
            joining = False
        elif [term] not in groups:
            groups.append([term])
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


class _Matcher:
    """Finds the words of a text that a query's terms match: same stems, a prefix, or a phrase in order."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.stems: set[str] = set()
        self.prefixes: tuple[str, ...] = ()
        self.phrases: list[tuple[frozenset[str], ...]] = []
        prefixes = []
        for term in terms:
            if len(term.words) == 1:
                self.stems.update(query_stems(term.words[0]))
                if term.prefix:
                    prefixes.append(term.words[0])
            else:
                self.phrases.append(tuple(frozenset(query_stems(word)) for word in term.words))
        self.prefixes = tuple(prefixes)
        self.firsts = set(self.stems).union(*(phrase[0] for phrase in self.phrases))
        self.probes = tuple({stem[:-1] if len(stem) > 2 else stem for stem in self.firsts} | set(self.prefixes))

    def word_matches(self, word: str, stems: tuple[str, ...], stem_set: set[str] | frozenset[str]) -> bool:
        return any(stem in stem_set for stem in stems) or (bool(self.prefixes) and word.startswith(self.prefixes))

    def spans(self, text: str, language: str | None = None) -> Iterator[tuple[int, int]]:
        """The matching spans of ``text`` in order (words, and whole phrases), possibly overlapping."""
        tokens = [(start, end, word, _stems_of(word, language)) for start, end, word in _words(text)]
        for index, (start, end, word, stems) in enumerate(tokens):
            if self.word_matches(word, stems, self.stems):
                yield start, end
            for phrase in self.phrases:
                if index + len(phrase) <= len(tokens) and all(
                    any(stem in wanted for stem in tokens[index + offset][3]) for offset, wanted in enumerate(phrase)
                ):
                    yield start, tokens[index + len(phrase) - 1][1]

    def first(self, text: str, language: str | None = None) -> int | None:
        """Where the first word of ``text`` that may start a match begins, or ``None``.

        Words are checked from the first place where a stem (less its last letter, which English
        stemming may change) or a prefix occurs in the text: a snippet needs no more.
        """
        lowered = text.lower().replace("ё", "е")
        if len(lowered) != len(text):
            lowered = text
        places = [found for probe in self.probes if (found := lowered.find(probe)) != -1]
        if not places:
            return None
        begin = min(places)
        while begin > 0 and (lowered[begin - 1].isalnum() or lowered[begin - 1] in "'’ʼ`"):
            begin -= 1
        for match in WORD.finditer(lowered, begin):
            word = normal(match.group())
            if self.word_matches(word, _stems_of(word, language), self.firsts):
                return match.start()
        return None


def _words(text: str) -> Iterator[tuple[int, int, str]]:
    lowered = text.lower().replace("ё", "е")
    if len(lowered) != len(text):  # a letter whose lower case is longer: spans must come from the text itself
        yield from stemming.words(text)
        return
    for match in WORD.finditer(lowered):
        yield match.start(), match.end(), normal(match.group())


def _stems_of(word: str, language: str | None) -> tuple[str, ...]:
    return stemming.text_stems(word, language)


def highlight_spans(text: str, query: str | Query, language: str | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` character spans of ``text`` that ``query`` matches, in order and not overlapping.

    Words match as the search matches them (stems, ``word*`` prefixes, phrases as a whole);
    excluded terms are not highlighted. ``language`` (``ru``, ``be``, ``en``) narrows the stems
    a word of the text may stand for; without it, any.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    if not parsed.groups:
        return []
    merged: list[tuple[int, int]] = []
    for start, end in sorted(parsed.matcher.spans(text, language)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# -- searching -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What else a result must be: unread, starred, from one source, dated within a range (days included)."""

    unread_only: bool = False
    starred_only: bool = False
    source_id: int | None = None
    since: date | None = None
    until: date | None = None

    def sql(self) -> tuple[list[str], list[object]]:
        """Conditions on ``articles a`` and their parameters."""
        where: list[str] = []
        params: list[object] = []
        if self.unread_only:
            where.append("a.read = 0")
        if self.starred_only:
            where.append("a.starred = 1")
        if self.source_id is not None:
            where.append("a.source_id = ?")
            params.append(self.source_id)
        if self.since is not None:
            where.append("a.sort_key >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:
            where.append("a.sort_key < ?")
            params.append(self.until.isoformat() + "U")  # after every time of that day ("…T23:59")
        return where, params


NO_FILTERS = SearchFilters()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the headline, its relevance, a line of the body around the first match, and highlights."""

    headline: Headline
    score: float
    """bm25 relevance, higher is better; 0 for results listed by date (no words looked for, or past the ranked ones)."""
    snippet: str
    """One line of the body around its first match (or its start), with "…" where it was cut."""
    title_spans: tuple[tuple[int, int], ...]
    """Matched ``(start, end)`` spans of ``headline.title``."""
    snippet_spans: tuple[tuple[int, int], ...] = ()
    """Matched spans of ``snippet``."""


def search(
    store: Store, query: str, *, limit: int = 20, offset: int = 0, filters: SearchFilters | None = None
) -> list[SearchHit]:
    """Articles matching ``query`` (and ``filters``), best first; with no words to look for, newest first.

    Ranking is bm25 with the headline weighted four times the body. When more than
    :data:`CANDIDATES` articles match, the newest that many (the last added) are ranked and the
    rest follow newest first: ranking every match of a word found in most articles would take
    far longer, and tells little more. Filters that keep few articles are applied first and all
    their matches ranked (see :func:`_ranked`).
    """
    parsed = parse_query(query)
    filters = filters or NO_FILTERS
    limit, offset = max(0, limit), max(0, offset)
    if limit == 0:
        return []
    expression = parsed.match_expression()
    if expression is None:
        scored = [(rowid, 0.0) for rowid in _listing(store, parsed, filters, limit, offset)]
    else:
        scored = _ranked(store, expression, filters, limit, offset)
    return _hits(store, parsed, scored)


def count(store: Store, query: str, filters: SearchFilters | None = None) -> int:
    """How many articles :func:`search` would find in all.

    It counts every match: about a millisecond for a word in half of 100,000 articles; with
    filters that keep many articles but few of the matches, up to a few hundred.
    """
    parsed = parse_query(query)
    where, params = (filters or NO_FILTERS).sql()
    expression = parsed.match_expression()
    if expression is None:
        exclusion = parsed.exclusion_expression()
        if exclusion is not None:
            where.append(f"a.rowid NOT IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?)")
            params.append(exclusion)
        sql = "SELECT count(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
        return int(store._read(sql, tuple(params))[0][0])
    if not where:
        return int(store._read(f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ?", (expression,))[0][0])
    if _filtered_size(store, where, params) <= FILTERED:
        sql = f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ? AND {_KEPT.format(' AND '.join(where))}"
        return int(store._read(sql, (expression, *params))[0][0])
    sql = f"SELECT count(*) FROM {INDEX} f JOIN articles a ON a.rowid = f.rowid WHERE f.{INDEX} MATCH ?"
    return int(store._read(sql + "".join(f" AND {w}" for w in where), (expression, *params))[0][0])


_KEPT = "+rowid IN (SELECT a.rowid FROM articles a WHERE {})"
"""Keeps the matches among the filtered articles: the ``+`` makes SQLite walk the matches once and look
each up in the (small) set, rather than look each filtered article up in the index, which for a
``word*`` prefix means gathering the prefix's words again every time."""


def _filtered_size(store: Store, where: list[str], params: list[object]) -> int:
    """How many articles pass the filters, counted (from an index) up to :data:`FILTERED` + 1."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {' AND '.join(where)} LIMIT ?)"
    return int(store._read(sql, (*params, FILTERED + 1))[0][0])


def _listing(store: Store, parsed: Query, filters: SearchFilters, limit: int, offset: int) -> list[int]:
    """Rowids of the articles passing ``filters`` (and no excluded term), newest first."""
    where, params = filters.sql()
    order = "a.sort_key DESC, a.id DESC"
    if where:
        if _filtered_size(store, where, params) <= FILTERED:
            order = "+a.sort_key DESC, +a.id DESC"  # few: find them by the filters' indexes, then sort
        else:
            where = [condition.replace("a.source_id", "+a.source_id") for condition in where]  # many: walk by date
    exclusion = parsed.exclusion_expression()
    if exclusion is not None:
        where.append(f"a.rowid NOT IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?)")
        params.append(exclusion)
    sql = (
        "SELECT a.rowid FROM articles a"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return [row[0] for row in store._read(sql, (*params, limit, offset))]


def _ranked(store: Store, expression: str, filters: SearchFilters, limit: int, offset: int) -> list[tuple[int, float]]:
    """(rowid, score) of the matches, best first: see :func:`search` for the bound on ranking.

    With filters that keep at most :data:`FILTERED` articles, every match among them is ranked
    (the matches are walked once and checked against the set). With filters that keep more, the index is walked
    as without them, joined with the filters, and the ranking bound is :data:`FILTERED_CANDIDATES`.
    """
    where, params = filters.sql()
    if where and _filtered_size(store, where, params) <= FILTERED:
        rows = store._read(
            f"SELECT rowid, bm25({INDEX}, {RANK_WEIGHTS}) AS score FROM {INDEX} WHERE {INDEX} MATCH ?"
            f" AND {_KEPT.format(' AND '.join(where))} ORDER BY score LIMIT ? OFFSET ?",
            (expression, *params, limit, offset),
        )
        return [(row[0], -float(row[1])) for row in rows]
    candidates = FILTERED_CANDIDATES if where else CANDIDATES
    join = " JOIN articles a ON a.rowid = f.rowid" if where else ""
    conditions = "".join(f" AND {condition}" for condition in where)
    base = f"FROM {INDEX} f{join} WHERE f.{INDEX} MATCH ?{conditions}"
    # The candidates-th newest match, if there are that many: a walk down the matches' rowids, cheap.
    bound = store._read(
        f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?", (expression, *params, candidates - 1)
    )
    lowest = bound[0][0] if bound else None
    found: list[tuple[int, float]] = []
    if lowest is None or offset < candidates:
        limit_rows = limit if lowest is None else min(limit, candidates - offset)
        rows = store._read(
            f"SELECT f.rowid, f.rank {base}{' AND f.rowid >= ?' if lowest is not None else ''}"
            " ORDER BY f.rank LIMIT ? OFFSET ?",
            (expression, *params, *([lowest] if lowest is not None else []), limit_rows, offset),
        )
        found = [(row[0], -float(row[1])) for row in rows]
    if lowest is not None and len(found) < limit:
        rows = store._read(
            f"SELECT f.rowid {base} AND f.rowid < ? ORDER BY f.rowid DESC LIMIT ? OFFSET ?",
            (expression, *params, lowest, limit - len(found), max(0, offset - candidates)),
        )
        found.extend((row[0], 0.0) for row in rows)
    return found


def _hits(store: Store, parsed: Query, scored: list[tuple[int, float]]) -> list[SearchHit]:
    if not scored:
        return []
    marks = ",".join("?" * len(scored))
    rows = store._read(
        f"SELECT a.rowid, {_HEADLINE_COLUMNS}, a.body FROM articles a WHERE a.rowid IN ({marks})",
        tuple(rowid for rowid, _ in scored),
    )
    by_rowid = {row[0]: row for row in rows}
    hits = []
    for rowid, score in scored:
        row = by_rowid.get(rowid)
        if row is None:  # deleted meanwhile
            continue
        headline = Headline.from_row(tuple(row[1:10]))
        snippet = make_snippet(row[10] or "", parsed, headline.language)
        hits.append(
            SearchHit(
                headline,
                score,
                snippet,
                tuple(highlight_spans(headline.title, parsed, headline.language)),
                tuple(highlight_spans(snippet, parsed, headline.language)),
            )
        )
    return hits


def make_snippet(body: str, query: str | Query, language: str | None = None, width: int = SNIPPET_WIDTH) -> str:
    """One line of ``body`` of about ``width`` characters around the first match of ``query`` (else its start)."""
    parsed = parse_query(query) if isinstance(query, str) else query
    first = parsed.matcher.first(body, language) if parsed.groups else None
    start = 0 if first is None else max(0, first - width // 4)
    if start:
        space = body.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = start + width
    if end < len(body):
        space = body.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    text = " ".join(body[start:end].split())
    return ("…" if start else "") + text + ("…" if end < len(body) else "")
