"""Tests of the news servers' clients: credentials, addresses."""
