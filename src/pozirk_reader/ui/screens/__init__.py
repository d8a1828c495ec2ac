"""Screens: the main three-pane screen and the help screen."""
