"""Backups: one archive of an instance's consistent state, restored into an empty instance on
SQLite or PostgreSQL."""
