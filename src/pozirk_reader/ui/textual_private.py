"""Every use the reader makes of Textual's private API, in one place.

pyproject pins ``textual>=8.2.8,<8.3`` because of what is here: a private method may change or go in any
release, so a new Textual is taken only after this module (and the snapshot tests) are checked against it.

- :func:`update_scrollbars` calls ``Widget._scroll_update``. The article pane and the "see also" pane
  change their content without a layout of the screen (a layout repaints every pane, and opening an
  article must stay cheap), so their scrollbars have to be brought up to date by hand.
- :func:`content_style_parser` hands out ``Widget._get_style``, the style parser Textual gives
  ``Content`` when it draws it (it resolves theme variables and component classes). The article pane
  draws its already wrapped lines with it, without ``Visual.to_strips`` wrapping each line again.

Not calls, but behaviour of Textual's internals the panes rely on (checked by the UI and snapshot tests):
``OptionList.set_options`` asks for ``refresh(layout=True)``, which :class:`RelatedPane` turns into a plain
repaint while it replaces its options; and ``ScrollView.virtual_size`` can be set with ``set_reactive``
without the layout that assigning it asks for.

Nothing else in the package (nor in its tests) touches an underscore name of Textual's.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.style import Style
from textual.widget import Widget


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Bring ``widget``'s scrollbars (and its scroll position's bounds) up to date with ``virtual_size``.

    What Textual does after a layout, without the layout (``Widget._scroll_update``).
    """
    widget._scroll_update(virtual_size)


def content_style_parser(widget: Widget) -> Callable[[Style | str], Style]:
    """How ``widget`` turns the styles of a :class:`~textual.content.Content` into styles when drawing it
    (``Widget._get_style``, what ``Visual.to_strips`` passes on)."""
    return widget._get_style
