"""The reader's core: model, parsers, store and operations. It never imports Textual."""
