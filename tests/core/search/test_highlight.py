"""Highlights and snippets: which words of a text a query matches, and the line shown around the first."""

from __future__ import annotations

from pozirk_reader.core.search.highlight import highlight_spans, make_snippet


def test_highlight_spans() -> None:
    text = "Отношения с Интерполом; ИНТЕРПОЛ и интерпола. Трамвайная линия, линия трамвайная."
    found = [text[start:end] for start, end in highlight_spans(text, "интерпол")]
    assert found == ["Интерполом", "ИНТЕРПОЛ", "интерпола"]
    found = [text[start:end] for start, end in highlight_spans(text, '"трамвайная линия" -интерпол')]
    assert found == ["Трамвайная линия"]
    assert highlight_spans(text, "") == [] == highlight_spans(text, "-интерпол")
    assert highlight_spans("Ёлка и ель", "елка") == [(0, 4)]
    assert highlight_spans("İstanbul Интерпол", "интерпол") == [(9, 17)]  # a letter that lower-cases longer


def test_snippet_is_one_line_around_the_first_match() -> None:
    body = "Первый абзац без нужного слова.\n" + "слово " * 40 + "\nА вот и Интерпол в середине. " + "хвост " * 40
    snippet = make_snippet(body, "интерпол")
    assert "\n" not in snippet
    assert "Интерпол" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 170
    assert make_snippet("Коротко.", "нет") == "Коротко."
