"""Pages for the outcomes framework, directorates, pots, thresholds, the action plan and the
NI 7 survey's rounds: one module per concern, wired up in ``thrive.strategy.urls``."""
