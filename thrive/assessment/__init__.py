"""Assessment: criteria, panels, conflicts, scores, moderation, decisions, feedback (§4.4)."""
