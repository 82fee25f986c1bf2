"""Every change in assessment, one module per use case: panels and conflicts, scores and
moderation, decisions and awards, and the council's settings."""
