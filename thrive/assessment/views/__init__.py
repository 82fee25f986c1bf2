"""Assessment pages: panels, declarations, blind scoring, moderation, results, decisions,
feedback and settings. Views ask the policy, bind a form, call one service and redirect."""
