"""The config file on the command line: reading it for a command, and ``pozirk-reader config``.

``config path`` says where the config, the cache and the log are; ``config check`` reads the config
as the reader would (binding ids and themes included) and lists every problem; ``config --example``
prints a commented example, the same text as in the README.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pozirk_reader.cli.lines import say
from pozirk_reader.core.paths import config_path, legacy_config_path, log_path

if TYPE_CHECKING:  # the config module is imported by the commands that read the config (list and search do not)
    from pozirk_reader.core.config import LoadedConfig


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``config`` with its actions ``path`` (the default) and ``check``, and ``--example``."""
    config = commands.add_parser("config", parents=[common], help="where the config file is, check it, an example")
    config.add_argument("--example", action="store_true", help="print a commented example config file")
    actions = config.add_subparsers(dest="action", metavar="ACTION")
    path = actions.add_parser("path", parents=[common], help="print where the config, the cache and the log are")
    path.set_defaults(handler=_path)
    check = actions.add_parser("check", parents=[common], help="read the config and list every problem")
    check.set_defaults(handler=_check)
    config.set_defaults(handler=_path)


def load(args: argparse.Namespace) -> LoadedConfig:
    """The config for this command (read once), with an old ``config.json`` carried over if there is one."""
    loaded: LoadedConfig | None = getattr(args, "_config", None)
    if loaded is None:
        from pozirk_reader.core.config import load_config

        loaded = load_config(config_path(), legacy=legacy_config_path(getattr(args, "data_dir", None)))
        args._config = loaded
    return loaded


def report(loaded: LoadedConfig) -> None:
    """Print the config's notes and problems to stderr, one line each."""
    for line in [*loaded.notes, *loaded.in_order()]:
        say(line, error=True)


def settings_for(args: argparse.Namespace) -> LoadedConfig:
    """The config for a command that uses it: read, its problems reported on stderr once."""
    already = getattr(args, "_config", None) is not None
    loaded = load(args)
    if not already:
        report(loaded)
    return loaded


def _path(args: argparse.Namespace) -> int:
    """``config path``: where each file is (``config --example``: the example instead)."""
    from pozirk_reader.core.config import shown_path

    if args.example:
        from pozirk_reader.core.example_config import EXAMPLE

        sys.stdout.write(EXAMPLE)
        return 0
    from pozirk_reader.core.store.database import cache_path

    config = config_path()
    state = "" if config.exists() else "  (not there: the defaults apply)"
    print(f"config  {shown_path(config)}{state}")
    print(f"cache   {shown_path(cache_path(getattr(args, 'data_dir', None)))}")
    print(f"log     {shown_path(log_path())}")
    return 0


def _check(args: argparse.Namespace) -> int:
    """``config check``: every problem the reader would find in the config; exit status 1 if any."""
    from textual.theme import BUILTIN_THEMES

    from pozirk_reader.core.config import check_keymap, check_theme, shown_path
    from pozirk_reader.ui.keys import binding_ids

    loaded = load(args)
    check_keymap(loaded, binding_ids())
    check_theme(loaded, BUILTIN_THEMES)
    report(loaded)
    if loaded.problems:
        return 1
    print(f"{shown_path(loaded.path)}: {'no problems' if loaded.exists else 'not there: the defaults apply'}")
    return 0
