"""What higher apps add to the strategy's pages (see ``thrive.core.extensions``).

``url_modules``: dotted paths of URL modules included in the strategy's URLs, under its
namespace, so a page that needs a higher app's data (the survey answered by organisations)
keeps its strategy address. Add one from the higher app's ``AppConfig.ready()``.
"""

from __future__ import annotations

from thrive.core.extensions import Slot

url_modules: Slot[str] = Slot("strategy URL modules from higher apps")
