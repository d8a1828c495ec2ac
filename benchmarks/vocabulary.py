"""Realistic words for generated text: tens of thousands of word forms in a Zipf-like mix.

A :class:`Vocabulary` ranks words as text uses them: first the function words of the language (about 40% of
running text), then a few hundred news words, then tens of thousands of dictionary lemmas in a seeded order,
each lemma with all the word forms its affix rules give. A word is drawn with probability 1/rank (Zipf's law,
exponent 1) and then one of its forms at random, so generated text has the long tail of real text: most
forms are seen a few times, a reader's stemmer meets new ones all the way through, and a search index gets
rare terms as well as common ones.

The lemmas come from Debian's hunspell dictionaries where present (``apt-get install hunspell-ru hunspell-be``:
``/usr/share/hunspell/ru_RU.dic`` and ``be_BY.dic`` with their ``.aff`` suffix and prefix rules expanded);
else from the words of the reader's sample library and the seed article, each inflected with the common
Russian endings (about 1,300 words and 11,000 forms: fewer than hunspell's 20,000 lemmas and ~190,000
forms, but still a stemmer cache that misses). :attr:`Vocabulary.source` says which was used. Everything is seeded, so the same seed
gives the same text.

Run ``python benchmarks/vocabulary.py [--language ru|be] [--tokens N]`` to see what a vocabulary holds and
how many distinct forms N words of generated text use.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from bisect import bisect
from dataclasses import dataclass
from pathlib import Path

HUNSPELL = Path("/usr/share/hunspell")
DICTIONARIES = {"ru": "ru_RU", "be": "be_BY"}
SEED_FILE = Path("/work/shared/seed/000_b9dd030877535437.txt")
LEMMAS = 20_000
"""Dictionary lemmas a vocabulary ranks (each with its forms)."""

FUNCTION_WORDS = {
    "ru": """в и не на что с по как а но к у из за о от это для же то бы до так все его она он они мы вы был было
    были при после уже ещё или также только может если чтобы этого который которые году года лет её их ему им
    есть нет где когда там тут даже очень более около через без под над между время сейчас сегодня""",
    "be": """і ў у не на што з па як а але да ад за пра гэта для ж то б так усе яго яна ён яны мы вы быў было
    былі пры пасля ўжо яшчэ ці таксама толькі можа калі каб гэтага які якія годзе года гадоў яе іх яму ім
    ёсць няма дзе там тут нават вельмі больш каля праз без пад над паміж час зараз сёння""",
}
NEWS_WORDS = {
    "ru": """власти город район область министерство правительство президент страна граница закон суд решение
    человек люди жители сотрудники рабочие врачи учителя студенты пенсионеры водители пассажиры компания
    предприятие завод банк магазин рынок цены тарифы зарплата пенсия налог бюджет кредит рубль доллар курс
    погода дождь снег мороз неделя месяц год день улица дорога мост трамвай автобус поезд вокзал школа
    университет больница библиотека музей театр площадь строительство ремонт проект программа работа новый
    большой главный местный городской областной сообщил заявил отметил рассказал пообещал объявил решил
    начал открыл закрыл получил подписал будет стало должен нужно можно вчера завтра милиция авария пожар
    проверка штраф сообщение заявление информация данные статистика результат семья дети директор депутат""",
    "be": """улады горад раён вобласць міністэрства ўрад краіна закон суд рашэнне людзі жыхары лекары
    настаўнікі студэнты пенсіянеры завод банк крама рынак цэны заробак пенсія падатак надвор'е дождж снег
    мароз тыдзень месяц год дзень вуліца дарога мост трамвай аўтобус цягнік вакзал школа бальніца
    бібліятэка музей тэатр плошча будаўніцтва рамонт праект праца новы вялікі мясцовы паведаміў заявіў
    адзначыў расказаў паабяцаў вырашыў адкрыў закрыў атрымаў падпісаў будзе можа трэба учора""",
}
ENDINGS = {
    "noun": ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"),
    "adjective": ("ый", "ая", "ое", "ые", "ого", "ой", "ому", "ым", "ых", "ую", "ыми"),
    "verb": ("ть", "л", "ла", "ло", "ли", "ет", "ют", "ем", "ешь", "ете"),
}
"""Endings the sample-library fallback puts on a stem, by the part of speech its word's ending suggests."""

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Rule:
    """One hunspell affix rule: ``strip`` removed and ``add`` put on where ``condition`` matches."""

    strip: str
    add: str
    condition: re.Pattern[str]
    prefix: bool

    def apply(self, word: str) -> str | None:
        if not self.condition.search(word):
            return None
        if self.prefix:
            return self.add + word[len(self.strip) :] if word.startswith(self.strip) else None
        return word[: len(word) - len(self.strip)] + self.add if word.endswith(self.strip) else None


def read_affixes(path: Path) -> dict[str, list[Rule]]:
    """The SFX and PFX rules of a hunspell ``.aff`` file (single-character flags, UTF-8), by flag."""
    rules: dict[str, list[Rule]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] not in ("SFX", "PFX"):
            continue
        kind, flag, strip, add, condition = fields[:5]
        prefix = kind == "PFX"
        pattern = re.compile(("^" + condition) if prefix else (condition + "$"))
        rules.setdefault(flag, []).append(
            Rule("" if strip == "0" else strip, "" if add == "0" else add.split("/")[0], pattern, prefix)
        )
    return rules


def expand(entry: str, rules: dict[str, list[Rule]]) -> list[str]:
    """The word of a ``.dic`` line (``word/FLAGS``) and every form its flags' rules give, first the word."""
    word, _, flags = entry.partition("/")
    forms = dict.fromkeys([word])
    for flag in flags:
        for rule in rules.get(flag, ()):
            form = rule.apply(word)
            if form:
                forms[form] = None
    return list(forms)


def hunspell_lemmas(language: str, count: int, seed: int) -> tuple[list[list[str]], str] | None:
    """``count`` lemmas of the hunspell dictionary, seeded order, each with its forms; None without one."""
    name = DICTIONARIES.get(language)
    dic, aff = HUNSPELL / f"{name}.dic", HUNSPELL / f"{name}.aff"
    if not name or not dic.exists() or not aff.exists():
        return None
    rules = read_affixes(aff)
    entries = sorted(
        {
            line.strip()
            for line in dic.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
            if WORD.fullmatch(line.strip().partition("/")[0]) and not line.strip().partition("/")[0].isupper()
        }
    )
    chosen = random.Random(seed).sample(entries, min(count, len(entries)))
    return [expand(entry, rules) for entry in chosen], f"hunspell {dic}"


def sample_library_lemmas(seed: int) -> tuple[list[list[str]], str]:
    """Stems of the sample library's and the seed article's words, inflected with :data:`ENDINGS`."""
    from pozirk_reader.core.article.decoding import decode_bytes
    from pozirk_reader.samples import bundled_samples

    folders = [folder for folder in (bundled_samples(),) if folder is not None]
    paths = [path for folder in folders for path in sorted(folder.glob("*.txt"))]
    paths += [SEED_FILE] if SEED_FILE.exists() else []
    texts = [decode_bytes(path.read_bytes(), str(path)).text for path in paths]  # some samples are windows-1251
    words = sorted({word.lower() for text in texts for word in WORD.findall(text) if len(word) > 3})
    stems: dict[str, tuple[str, ...]] = {}
    for word in words:
        for endings in (ENDINGS["adjective"], ENDINGS["verb"]):
            ending = next((e for e in sorted(endings, key=len, reverse=True) if e and word.endswith(e)), None)
            if ending and len(word) - len(ending) >= 3:
                stems.setdefault(word[: -len(ending)], endings)
                break
        else:
            stem = word[:-1] if word[-1] in "аяыиуюеоь" else word
            stems.setdefault(stem, ENDINGS["noun"])
    ordered = sorted(stems)
    random.Random(seed).shuffle(ordered)
    folder = folders[0] if folders else "none"
    return [[stem + ending for ending in stems[stem]] for stem in ordered], f"sample library {folder} + seed article"


@dataclass
class Vocabulary:
    """Ranked words of one language with their forms; draw words with :meth:`words`."""

    language: str
    source: str
    lemmas: int
    forms: list[str]
    cumulative: list[float]
    starts: list[int]
    """Where each ranked word's forms begin in :attr:`forms` (its first form, the word itself)."""

    def words(self, rng: random.Random, count: int) -> list[str]:
        """``count`` words drawn by Zipf's law over the lemmas (a form of each at random)."""
        total = self.cumulative[-1]
        forms, cumulative = self.forms, self.cumulative
        return [forms[bisect(cumulative, rng.random() * total)] for _ in range(count)]

    def sentence(self, rng: random.Random, low: int = 6, high: int = 14) -> str:
        """A sentence of ``low`` to ``high`` words, capitalised, with a full stop."""
        text = " ".join(self.words(rng, rng.randint(low, high)))
        return text[0].upper() + text[1:] + "."

    def word(self, rank: int) -> str:
        """The word ranked ``rank`` (1 the most frequent)."""
        return self.forms[self.starts[rank - 1]]

    def describe(self) -> str:
        return f"{self.language}: {self.lemmas:,} ranked words, {len(self.forms):,} word forms ({self.source})"


def load(language: str, seed: int = 1, lemmas: int = LEMMAS) -> Vocabulary:
    """The vocabulary of ``language`` ("ru" or "be"): hunspell's where installed, else the sample library's."""
    found = hunspell_lemmas(language, lemmas, seed) or sample_library_lemmas(seed)
    ranked = [[word] for word in FUNCTION_WORDS[language].split()]
    ranked += [[word] for word in NEWS_WORDS[language].split()]
    ranked += found[0]
    forms: list[str] = []
    weights: list[float] = []
    starts: list[int] = []
    for rank, group in enumerate(ranked, start=1):
        share = [1 / place for place in range(1, len(group) + 1)]  # its forms Zipf-like too, the word first
        starts.append(len(forms))
        forms += group
        weights += [weight / rank / sum(share) for weight in share]
    return Vocabulary(language, found[1], len(ranked), forms, list(itertools.accumulate(weights)), starts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=sorted(DICTIONARIES), default="ru")
    parser.add_argument("--tokens", type=int, default=1_000_000, help="words of text to draw (default 1000000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    vocabulary = load(args.language, args.seed)
    print(vocabulary.describe())
    rng = random.Random(args.seed)
    drawn = vocabulary.words(rng, args.tokens)
    distinct = set(drawn)
    print(f"{args.tokens:,} words drawn: {len(distinct):,} distinct forms")
    print("a sentence:", vocabulary.sentence(rng))


if __name__ == "__main__":
    main()
