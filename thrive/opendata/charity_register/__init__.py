"""Check the register's charity numbers against the Charity Commission's register extract.

Reading the extract is in ``reading``; checking the numbers the register holds, recording
each organisation's :class:`~thrive.organisations.models.CharityRegisterCheck` and the run in
the imports log, in ``checking``; the ``thrive import charity-register`` command in
``command``. The check is an import of published data like the 360Giving and OCDS imports,
so it lives with them; the organisations app shows its flags without importing it. This
package loads nothing itself, so that ``thrive import --help`` stays quick.
"""
