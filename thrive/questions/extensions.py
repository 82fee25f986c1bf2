"""Where higher apps tell the forms app about themselves without being imported."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from thrive.core.extensions import Slot

if TYPE_CHECKING:
    from thrive.questions.models import FormTemplateVersion

# Each answers whether anything has been filled against a version (applications add theirs):
# a used version never changes.
version_uses: Slot[Callable[[FormTemplateVersion], bool]] = Slot("questions.version_uses")
