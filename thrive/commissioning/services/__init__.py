"""Changes to needs, intentions, methods, consultations, market tests and notices.

One module per use case: ``needs``, ``intentions`` (writing and deciding an intention),
``readiness`` (what stands between an intention and approval), ``equality``, ``joint``,
``method``, ``involvement``, ``notices``.
"""
