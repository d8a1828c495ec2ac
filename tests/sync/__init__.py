"""Sync against real news servers: FreshRSS (Google Reader API and Fever) and coldsweat (Fever)."""
