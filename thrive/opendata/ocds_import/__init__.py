"""Import other buyers' contract awards from OCDS release or record packages (§2.6).

A package is read as a stream (files such as Contracts Finder's run to hundreds of
megabytes): first its head, to know what kind of file it is and to keep the package's
own fields, then each release or record in turn. A record gives its compiled release,
or else its newest embedded release. Every release and record is checked against the
official OCDS 1.1.5 schemas shipped in ``standards/ocds``; what does not fit is a
located warning in words, kept with the contract; so is a text holding half a surrogate
pair (``"\\ud800"``), kept with U+FFFD in its place as the 360Giving import keeps it
(``lone_surrogates``). Each award with suppliers becomes one ``ExternalContract`` for
each supplier, keyed ``ocid/award id/supplier id``, so a re-import updates (a newer
release wins, an older one changes nothing). A file of the wrong kind changes nothing.
"""

from thrive.opendata.ocds_import.run import import_ocds
from thrive.opendata.ocds_import.schemas import item_validator
from thrive.opendata.ocds_import.writing import OcdsImportResult

__all__ = ["OcdsImportResult", "import_ocds", "item_validator"]
