"""Experience sheets written with maïeuticiens: drafts, states, publication, files."""
