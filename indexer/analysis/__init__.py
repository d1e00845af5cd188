"""French text analysis: word rules and the Whoosh analysis chain."""
