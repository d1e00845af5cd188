"""The spaCy French pipeline (loaded once), one pass of it over documents, and the match keys
that compare words with thesaurus labels."""
