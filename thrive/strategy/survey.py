"""The questions of the annual Third Sector survey and how the NI 7 figure is worked out.

The questions follow the national survey behind National Indicator 7, "An environment for
a thriving Third Sector" (§5.1): the headline question asks how local statutory bodies
influence the organisation's success; three more ask about funding, involvement in
decisions and the relationship with the council.
"""

from __future__ import annotations

OVERALL_QUESTION = (
    "Overall, how do the council and the other local statutory bodies influence "
    "your organisation's success?"
)

SUB_QUESTIONS: list[tuple[str, str]] = [
    (
        "funding",
        "The council's funding arrangements are fair and proportionate, for example the "
        "length of funding, how it is paid and what is asked of you",
    ),
    (
        "involvement",
        "The council involves your organisation in developing and carrying out policy on "
        "issues that affect you",
    ),
    ("relationship", "The council values the work of your organisation and acts on its views"),
]

METHOD = (
    "The NI 7 figure is the percentage of responding organisations that answer "
    "\u201cvery positive\u201d or \u201cfairly positive\u201d to the overall question. Each "
    "organisation answers once in each year's survey; every response counts, and the figure "
    "is rounded to one decimal place. With no responses there is no figure."
)

ANONYMITY = (
    "Your answers are anonymous. Council staff see only totals and percentages, never which "
    "organisation gave which answer. Breakdowns and comments are not shown when fewer than "
    "5 organisations answered, and your comment is shown without your organisation's name."
)
