"""The search query language: words, phrases, prefixes, OR and exclusions, parsed into FTS5 expressions.

Queries (:func:`parse_query`): words are ANDed; ``"quoted phrases"``, ``word*`` prefixes, ``OR``
between two items, ``-word`` or ``-"phrase"`` to exclude. Anything else (stray quotes, a bare ``-``,
``NEAR(``, ``title:``, control characters) is taken as plain words: the FTS5 expression is built here
from quoted terms, never from the user's text, so no query is ever an error. A parsed query's
:attr:`Query.matcher` tells which words of a text it matches, for highlights and snippets. Nothing
here touches the index: :mod:`pozirk_reader.core.store.search_index` runs the expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pozirk_reader.core.limits import MAX_PHRASE_WORDS, MAX_QUERY_TERMS
from pozirk_reader.core.search import stemming
from pozirk_reader.core.search.stemming import WORD, normal, query_stems, stem_belarusian, stem_russian

MIN_PREFIX = 2
"""A shorter ``word*`` is taken as a plain word: a one-letter prefix would gather half the vocabulary."""


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
    _matcher: Matcher | None = field(default=None, compare=False, repr=False)

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

    def widened(self, words: set[str]) -> Query:
        """The same query with each single-word term whose word is in ``words`` also matched as a prefix."""
        if not words:
            return self

        def widen(term: Term) -> Term:
            return Term(term.words, True) if len(term.words) == 1 and term.words[0] in words else term

        return Query(tuple(tuple(widen(term) for term in group) for group in self.groups), self.excluded)

    @property
    def matcher(self) -> Matcher:
        """Tells which words of a text match the query (for highlights and snippets)."""
        if self._matcher is None:
            object.__setattr__(self, "_matcher", Matcher(self.positive))
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
        if count > MAX_QUERY_TERMS:
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


class Matcher:
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


NEAR_MIN_LETTERS = 3
"""Words of a headline shorter than this ("в", "на") are left out of :func:`near_query`."""


def near_query(headline: str) -> str:
    """A query for articles near ``headline``: any of its words (of :data:`NEAR_MIN_LETTERS` letters or more),
    so that relevance ranks first the articles sharing most of them; lower-cased, so no word is an operator."""
    words = [word.lower() for word in WORD.findall(headline) if len(word) >= NEAR_MIN_LETTERS]
    return " OR ".join(list(dict.fromkeys(words))[:MAX_QUERY_TERMS])
