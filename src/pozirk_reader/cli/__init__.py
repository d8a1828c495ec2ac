"""The ``pozirk-reader`` command line."""

from pozirk_reader.cli.commands import main

__all__ = ["main"]
