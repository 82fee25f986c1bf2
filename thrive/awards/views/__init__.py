"""Pages for awards, by group: the ``register``, an award for ``staff`` (its terms and
offer), the letter and the ``provider``'s awards, and ``changes`` (payments and
variations). Business rules live in ``services``."""

from thrive.awards.views.changes import decide, pay, vary
from thrive.awards.views.provider import letter, letter_pdf, yours, yours_detail
from thrive.awards.views.register import export, register
from thrive.awards.views.staff import detail, edit, offer, schedule, social_value, targets

__all__ = [
    "decide",
    "detail",
    "edit",
    "export",
    "letter",
    "letter_pdf",
    "offer",
    "pay",
    "register",
    "schedule",
    "social_value",
    "targets",
    "vary",
    "yours",
    "yours_detail",
]
