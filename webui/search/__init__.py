"""Search pages: home, results with facets, suggestions."""
