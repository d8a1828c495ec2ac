"""The reader's panes, one widget a module."""
