"""Changes to needs, intentions, methods, consultations, market tests and notices.

One module per use case: ``needs``, ``intentions``, ``method``, ``involvement``,
``notices``.
"""
