"""The yearly NI 7 survey as organisations meet it (§5.1): answering it, and its results by
organisation size.

The survey's rounds, tables and NI 7 series belong to the strategy (``thrive.strategy``);
what needs the register lives here, and its pages keep their strategy addresses through
``thrive.strategy.extensions.url_modules`` (see ``OrganisationsConfig.ready``).
"""
