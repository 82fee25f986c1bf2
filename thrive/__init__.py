"""Thrive: commissioning and funding the voluntary and community sector."""
