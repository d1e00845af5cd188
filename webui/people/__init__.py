"""The directory of allies on the web: search, profiles, one's own profile, the association's
review, exports."""
