"""Reporting: dashboards, indicators, the action plan and the annual report to Cabinet (§5)."""
