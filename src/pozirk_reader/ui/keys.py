"""Every binding id the reader has: what a keymap in the config file may name."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode


def bound_classes() -> list[type[DOMNode]]:
    """The screens and widgets of the reader that have key bindings (the app has none of its own; a test
    checks that every class of the package with a binding id is here)."""
    from pozirk_reader.ui.screens.accounts import AccountsScreen
    from pozirk_reader.ui.screens.filters import FilterScreen
    from pozirk_reader.ui.screens.help import HelpScreen
    from pozirk_reader.ui.screens.main import MainScreen
    from pozirk_reader.ui.screens.rename import RenameScreen
    from pozirk_reader.ui.screens.thread import ThreadScreen
    from pozirk_reader.ui.widgets.article_view import ArticleView
    from pozirk_reader.ui.widgets.headline_list import HeadlineList
    from pozirk_reader.ui.widgets.query_bar import QueryBar
    from pozirk_reader.ui.widgets.related_pane import RelatedPane
    from pozirk_reader.ui.widgets.sources_pane import SourcesPane

    return [
        MainScreen,
        HelpScreen,
        FilterScreen,
        AccountsScreen,
        RenameScreen,
        ThreadScreen,
        HeadlineList,
        ArticleView,
        RelatedPane,
        SourcesPane,
        QueryBar,
    ]


def binding_ids() -> frozenset[str]:
    """The id of every binding of :func:`bound_classes` (and the Textual classes they build on)."""
    ids: set[str] = set()
    for cls in bound_classes():
        for base in cls.__mro__:
            for binding in getattr(base, "BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return frozenset(ids)
