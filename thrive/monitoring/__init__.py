"""Monitoring: proportionate plans, returns, reminders, ratings and the lead funder (§4.2, §4.3)."""
