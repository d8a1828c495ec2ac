"""The use cases the CLI and the UI share: importing files, feeds, article pages."""
