"""Creator discovery: the filter (filters.py), the search (search.py), the in-memory index."""
