"""The article pane: headline, a metadata line, the body in wrapped paragraphs, numbered related links."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from pozirk_reader.core.export import metadata_parts
from pozirk_reader.core.records import OpenedArticle

LINK_MARKS = {"cached": "→", "url": "↗", "missing": "✗"}
LINK_NOTES = {"cached": "", "url": "  (web only)", "missing": "  (not available)"}


def article_content(opened: OpenedArticle) -> Content:
    """The whole article as one :class:`Content`; outside text is never read as markup."""
    article = opened.stored.article
    meta = " · ".join(metadata_parts(article))
    flags = [
        flag for flag, on in (("★ starred", opened.stored.starred), ("gone from its source", opened.stored.gone)) if on
    ]
    parts: list[str | tuple[str, str] | Content] = [(article.title, "bold $text-primary"), "\n", (meta, "$text-muted")]
    if flags:
        parts += ["\n", (" · ".join(flags), "italic $text-warning")]
    if article.url:
        parts += ["\n", (article.url, "underline $text-muted")]
    for paragraph in article.paragraphs:
        parts += ["\n\n", paragraph]
    if opened.links:
        parts += ["\n\n", ("See also", "bold"), "  ", ("press 1–9 to follow", "$text-muted")]
        for link in opened.links:
            number = f"{link.position + 1:>2}" if link.position < 9 else "  "
            style = "" if link.state == "cached" else "$text-muted"
            parts += ["\n", (f"{number} {LINK_MARKS[link.state]} ", "bold"), (link.title, style)]
            if LINK_NOTES[link.state]:
                parts.append((LINK_NOTES[link.state], "italic $text-muted"))
    return Content.assemble(*parts)


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one article; scrolls with the arrows, j/k, PgUp/PgDn, space, g/G."""

    BINDINGS = [
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("space", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("g", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    DEFAULT_CSS = """
    ArticleView { padding: 0 1; }
    ArticleView > #article-text { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content("No article open."), id="article-text")

    def show(self, opened: OpenedArticle) -> None:
        """Show ``opened`` from its top."""
        self.query_one("#article-text", Static).update(article_content(opened))
        self.scroll_home(animate=False, immediate=True)

    def show_message(self, text: str) -> None:
        """Show a plain message instead of an article."""
        self.query_one("#article-text", Static).update(Content(text))
        self.scroll_home(animate=False, immediate=True)
