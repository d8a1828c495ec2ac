"""Talking to news servers: the Google Reader and Fever API clients, credentials, and items as articles.

The sync itself (push the outbox, pull items, state and subscriptions) is a use case:
:mod:`pozirk_reader.core.operations.syncing`.
"""
