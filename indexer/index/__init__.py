"""The Whoosh index: schema, generations swapped atomically, cached snapshots."""
