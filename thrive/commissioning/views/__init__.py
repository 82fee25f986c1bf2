"""Pages for needs, intentions, involvement, notices and publication."""
