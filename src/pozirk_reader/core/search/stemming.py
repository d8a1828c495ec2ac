"""Words for the search index: tokens, normal forms and stems, the same for indexed text and queries.

A word is a run of letters and digits (apostrophes inside it are dropped, so "сям'я" is one word);
it is lower-cased and ё is written е. Latin words go through the English Snowball stemmer, Cyrillic
words through the Russian one, or, in Belarusian articles, through :func:`belarusian_stem`, a light
suffix stripper (Snowball has no Belarusian). A query does not know the language of the articles it
will find, so a Cyrillic query word stands for both its Russian and its Belarusian stem
(:func:`query_stems`).

Stems are cached: news text repeats its words, and the import indexes every article it adds. The index's
text (:func:`index_text`) stems the words new to its cache all at once, which is where the import's CPU goes.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
"""A word of text: letters and digits, with apostrophes allowed between them."""

_APOSTROPHES = str.maketrans("", "", "'’ʼ`")


def _version(package: str) -> str:
    """``package`` with its installed version; PyStemmer's from its C module itself (importlib.metadata is 30 ms
    of every command's start-up: it is imported only where PyStemmer is missing)."""
    if package == "PyStemmer":
        import Stemmer

        return f"PyStemmer-{Stemmer.version()}"
    from importlib import metadata

    try:
        return f"{package}-{metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return f"{package}-?"


@lru_cache(maxsize=1)
def _english():
    """The English Snowball stemmer, loaded on first use (snowballstemmer imports every language it has)."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")


_ENGLISH_IMPLEMENTATION = _version("PyStemmer") if importlib.util.find_spec("Stemmer") else _version("snowballstemmer")
"""snowballstemmer uses PyStemmer when it is installed."""

STEMMER_VERSION = ":".join(["1", f"english-{_ENGLISH_IMPLEMENTATION}", "russian-1", "belarusian-1"])
"""Names the stemming in use: an index built with other stems is rebuilt (see ``pozirk_reader.core.store.search_index.attach_index``)."""

_VOWELS = frozenset("аеиоуыэюя")


def _suffixes(text: str, result: int = 1) -> dict[str, int]:
    return dict.fromkeys(text.split(), result)


# The Snowball Russian stemmer's suffix classes: 1 = removed only after а or я, 2 = removed as they are.
_GERUND = _suffixes("в вши вшись") | _suffixes("ив ивши ившись ыв ывши ывшись", 2)
_ADJECTIVE = _suffixes("ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею")
_PARTICIPLE = _suffixes("ем нн вш ющ щ") | _suffixes("ивш ывш ующ", 2)
_REFLEXIVE = _suffixes("ся сь")
_VERB = _suffixes("ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно") | _suffixes(
    "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю", 2
)
_NOUN = _suffixes(
    "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я"
)
_DERIVATIONAL = _suffixes("ост ость")
_TIDY_UP = _suffixes("ейше ейш") | _suffixes("н", 2) | _suffixes("ь", 3)


def _longest(word: str, start: int, suffixes: dict[str, int]) -> tuple[int, int]:
    """The length and class of the longest of ``suffixes`` ending ``word`` after ``start``; (0, 0) if none."""
    for length in range(min(6, len(word) - start), 0, -1):
        found = suffixes.get(word[-length:])
        if found:
            return length, found
    return 0, 0


def _strip(word: str, start: int, suffixes: dict[str, int]) -> str | None:
    """``word`` without its longest suffix of the class (a class-1 suffix only after а or я), or ``None``."""
    length, kind = _longest(word, start, suffixes)
    if not length or (kind == 1 and not (len(word) - length > start and word[-length - 1] in "ая")):
        return None
    return word[:-length]


def russian_stem(word: str) -> str:
    """The Snowball Russian stemmer (https://snowballstem.org/algorithms/russian/stemmer.html), for a lower-case word.

    The same stems as ``snowballstemmer``'s (a test compares them), in a fraction of its time:
    the import stems every new word form it meets.
    """
    word = word.replace("ё", "е")
    rv = r2 = len(word)  # RV: after the first vowel; R2: R1 of R1, R1 after the first consonant after a vowel
    vowel, passes = False, 0
    for index, char in enumerate(word):
        if (char in _VOWELS) != vowel:
            vowel = not vowel
            if vowel and passes == 0:
                rv = index + 1
            if not vowel:
                passes += 1
                if passes == 2:
                    r2 = index + 1
                    break
    stemmed = _strip(word, rv, _GERUND)
    if stemmed is None:
        length, _ = _longest(word, rv, _REFLEXIVE)
        if length:
            word = word[:-length]
        length, _ = _longest(word, rv, _ADJECTIVE)
        if length:
            word = word[:-length]
            stemmed = _strip(word, rv, _PARTICIPLE) or word
        else:
            stemmed = _strip(word, rv, _VERB)
            if stemmed is None:
                length, _ = _longest(word, rv, _NOUN)
                stemmed = word[:-length] if length else word
    word = stemmed
    if len(word) > rv and word.endswith("и"):
        word = word[:-1]
    length, _ = _longest(word, rv, _DERIVATIONAL)
    if length and len(word) - length >= r2:
        word = word[:-length]
    length, kind = _longest(word, rv, _TIDY_UP)
    if kind == 1:
        word = word[:-length]
    if (kind in (1, 2) and len(word) - 2 >= rv and word.endswith("нн")) or kind == 3:
        word = word[:-1]
    return word


def _russian_implementation() -> tuple[Callable[[str], str], Callable[[list[str]], list[str]], str]:
    """PyStemmer's Russian stemmer (Snowball's C code) where it is installed, else :func:`russian_stem`: one word,
    a list of words, and its name."""
    try:
        import Stemmer  # PyStemmer
    except ImportError:
        return russian_stem, lambda words: list(map(russian_stem, words)), "russian_stem"
    # No cache of its own: the stems are cached below, per language group.
    stemmer = Stemmer.Stemmer("russian", 0)
    return stemmer.stemWord, stemmer.stemWords, _version("PyStemmer")


_russian, _russian_words, RUSSIAN_IMPLEMENTATION = _russian_implementation()
"""The Russian stemmer in use, and its name. Both give the same stems (a test compares them on every form
of Debian's hunspell-ru dictionary), so the index need not be rebuilt when one replaces the other."""

CACHE_SIZE = 1 << 15
"""Cached stems per language group (about 6 MB when full; PyStemmer takes 0.6 µs a word it has not seen)."""

# Belarusian endings, longest first: nouns, adjectives, pronouns, verbs (after ё→е).
_BELARUSIAN_ENDINGS = tuple(
    sorted(
        set(
            [
                "ямі",
                "амі",
                "ымі",
                "імі",
                "ага",
                "яга",
                "ога",
                "ому",
                "аму",
                "яму",
                "ымі",
                "ае",
                "ое",
                "ее",
                "ая",
                "яя",
                "ую",
                "юю",
                "ыя",
                "ія",
                "ых",
                "іх",
                "ым",
                "ім",
                "ой",
                "ай",
                "ей",
                "ею",
                "ою",
                "аў",
                "яў",
                "ам",
                "ям",
                "ах",
                "ях",
                "ом",
                "ем",
                "ы",
                "і",
                "а",
                "я",
                "у",
                "ю",
                "е",
                "о",
                "ь",
                "ў",
                "аць",
                "яць",
                "ець",
                "іць",
                "ыць",
                "уць",
                "ці",
                "ць",
                "цца",
                "ецца",
                "юць",
                "аюць",
                "аець",
                "ем",
                "ім",
                "еш",
                "іш",
                "ыш",
                "ецеся",
                "іцеся",
                "ецца",
                "іцца",
                "ецце",
                "іце",
                "ыце",
                "аем",
                "аеш",
                "ае",
                "ее",
                "ам",
                "ат",
                "ят",
                "ець",
            ]
        ),
        key=lambda ending: (-len(ending), ending),
    )
)


_BELARUSIAN_ENDING_SET = frozenset(_BELARUSIAN_ENDINGS)
_BELARUSIAN_LENGTHS = tuple(sorted({len(ending) for ending in _BELARUSIAN_ENDINGS}, reverse=True))
"""The lengths of the endings, longest first: a word has at most one ending of each length."""


def belarusian_stem(word: str) -> str:
    """A light stem of a lower-cased Belarusian word: its longest known ending removed, at least 3 letters kept."""
    for length in _BELARUSIAN_LENGTHS:
        if len(word) - length >= 3 and word[-length:] in _BELARUSIAN_ENDING_SET:
            return word[:-length]
    return word


def normal(word: str) -> str:
    """A word lower-cased, ё as е, without apostrophes."""
    return word.lower().replace("ё", "е").translate(_APOSTROPHES)


def _script(word: str) -> str:
    """``latin``, ``cyrillic`` or ``other``, by the word's first letter."""
    for char in word:
        if char.isalpha():
            if "\u0400" <= char <= "\u052f":
                return "cyrillic"
            return "latin" if char < "\u0250" else "other"
    return "other"


def _stem_other(word: str) -> str:
    """Latin words by the English stemmer; anything else as it is."""
    if _script(word) == "latin" and word.isalpha():
        return _english().stemWord(word) or word
    return word


@lru_cache(maxsize=CACHE_SIZE)
def stem_russian(word: str) -> str:
    """The index form of a word (already lower-case, ё as е) in a Russian (or any non-Belarusian) article."""
    word = word.translate(_APOSTROPHES)
    if _script(word) == "cyrillic" and word.isalpha():
        return _russian(word) or word
    return _stem_other(word)


@lru_cache(maxsize=CACHE_SIZE)
def stem_belarusian(word: str) -> str:
    """The index form of a word (already lower-case, ё as е) in a Belarusian article."""
    word = word.translate(_APOSTROPHES)
    if _script(word) == "cyrillic" and word.isalpha():
        return belarusian_stem(word)
    return _stem_other(word)


def _stemmer(language: str | None):
    return stem_belarusian if language == "be" else stem_russian


_INDEX_STEMS: dict[bool, dict[str, str]] = {False: {}, True: {}}
"""The stems :func:`index_text` has found, by word, for Russian (``False``) and Belarusian (``True``) articles;
emptied when it would hold more than :data:`CACHE_SIZE`."""


def _add_stems(stems: dict[str, str], words: set[str], belarusian: bool) -> None:
    """Add each of ``words`` with its stem (in an article in Belarusian or not) to ``stems``: the words of
    Cyrillic letters alone all at once (for Russian, one call into PyStemmer's ``stemWords``), the others one
    by one. The first are those :func:`stem_russian` and :func:`stem_belarusian` give to the stemmer as they are
    (the same checks, in fewer steps: ʼ is a letter to ``isalpha``, and the only apostrophe that is)."""
    plain = [word for word in words if "\u0400" <= word[0] <= "\u052f" and word.isalpha() and "ʼ" not in word]
    found = list(map(belarusian_stem, plain)) if belarusian else _russian_words(plain)
    stems.update(zip(plain, found, strict=True))
    if not belarusian and "" in found:  # (as stem_russian: a word is its own stem rather than none)
        stems.update((word, word) for word, stem in zip(plain, found, strict=True) if not stem)
    if len(plain) < len(words):
        stemmer = stem_belarusian if belarusian else stem_russian
        stems.update((word, stemmer(word)) for word in words.difference(plain))


def index_text(text: str | None, language: str | None) -> str:
    """What the search index holds for ``text``: its words' stems, separated by spaces.

    The same as ``" ".join(map(stemmer, WORD.findall(...)))`` with :func:`stem_russian` or
    :func:`stem_belarusian` (a test compares them), in less time: each distinct word new to the cache is
    stemmed once, the Russian ones in one call into PyStemmer, and the text is joined from the cache.
    """
    if not text:
        return ""
    tokens = WORD.findall(text.lower().replace("ё", "е"))
    belarusian = language == "be"
    stems = _INDEX_STEMS[belarusian]
    new = set(tokens).difference(stems)  # (in C: a set's difference with a dict looks each word up in it)
    if new:
        if len(stems) + len(new) > CACHE_SIZE:
            stems.clear()
            new = set(tokens)
        _add_stems(stems, new, belarusian)
    return " ".join(map(stems.__getitem__, tokens))


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word of ``text``: its start, end, and normal form."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), normal(match.group())


def query_stems(word: str) -> tuple[str, ...]:
    """The stems a query word (in normal form) stands for: Russian and Belarusian for Cyrillic words."""
    first = stem_russian(word)
    second = stem_belarusian(word)
    return (first,) if first == second else (first, second)


def text_stems(word: str, language: str | None = None) -> tuple[str, ...]:
    """The stems a word of text (in normal form) may have been indexed as, given its article's language if known."""
    if language is None:
        return query_stems(word)
    return (_stemmer(language)(word),)
