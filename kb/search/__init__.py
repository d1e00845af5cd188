"""Search as readers see it: results, facets, spelling help, suggestions, evaluation."""
