"""Keeping the Whoosh index in step with the database, which is the source of truth."""
