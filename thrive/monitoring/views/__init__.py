"""Monitoring pages, one module per group: returns, plans and the overview, tiers, lead funders."""
