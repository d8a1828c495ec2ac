"""A small library of articles for the search tests, written in the agency's format."""

from __future__ import annotations

from pathlib import Path

from pozirk_reader.core.operations.searching import search
from pozirk_reader.core.store.library import Store


def write(folder: Path, name: str, headline: str, *paragraphs: str, dateline: str = "13 мая, Позірк.") -> Path:
    """An article file in the agency's format."""
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(paragraphs)
    path = folder / name
    path.write_text(f"Минск 10:00\n\n{headline}\n\n{dateline} {body}\n", encoding="utf-8")
    return path


def small_library(folder: Path) -> Path:
    """Six articles in Russian, Belarusian and English, in ``folder``."""
    write(folder, "interpol.txt", "Кубраков пожаловался главе Интерпола", "Отношения с Интерполом испортились.")
    write(folder, "tea.txt", "Чай подорожал", "Тёплые напитки в кафе стали дороже. Ёлки тоже.")
    write(
        folder,
        "bakery.txt",
        "Minsk bakery opens its third shop",
        "The bakeries are running well.",
        dateline="14 May, Pozirk.",
    )
    write(folder, "bread.txt", "Хлеб и молоко", "Цены на хлеб выросли, а на молоко упали.")
    write(folder, "trams.txt", "Трамвайная линия в Минске", "Новая трамвайная линия откроется весной.")
    write(
        folder,
        "rinks.txt",
        "На мінскіх катках пачаўся сезон",
        "Каток у Мінску адкрыўся.",
        dateline="15 лістапада, Позірк.",
    )
    return folder


def titles(store: Store, query: str, **kwargs: object) -> set[str]:
    return {hit.headline.title for hit in search(store, query, **kwargs)}  # type: ignore[arg-type]
