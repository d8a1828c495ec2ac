"""Controllers the main screen owns: plain classes, one job each (reading, searching, bringing articles in).

Each says in a ``Protocol`` what it needs from the screen that owns it (its host). The screen keeps the
Textual side: it handles the panes' messages and the workers' results and hands them to a controller;
a controller's I/O runs in the host's thread workers (:func:`~pozirk_reader.ui.controllers.host.in_thread`)
and comes back as messages the screen handles.
"""
