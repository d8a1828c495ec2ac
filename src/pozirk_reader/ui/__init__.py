"""The terminal UI (Textual): a thin app, one screen that coordinates, one module per pane."""
