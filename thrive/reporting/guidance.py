"""Plain guidance for commissioners at each stage of the commissioning cycle (§5.2).

Each stage names the strategy sections it applies and the service pages that do the
work. The words are kept here as data so they can be reviewed without touching views.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class Stage:
    slug: str
    title: str
    sections: tuple[tuple[str, str], ...]  # (number, heading) in the strategy
    summary: str
    steps: tuple[str, ...]
    page: str = ""  # URL name of the page where the work is done
    page_label: str = ""


STAGES: tuple[Stage, ...] = (
    Stage(
        "outcomes",
        "Start from the council's priority outcomes",
        (("2.1", "Identifying service priorities and outcomes"),),
        "Everything the council funds must serve a priority outcome in its outcomes "
        "framework. Check the framework before you plan any work.",
        (
            "Find the priority outcomes and local targets your directorate contributes to.",
            "Write down which outcome each piece of work will serve.",
        ),
        "strategy:outcomes",
        "Outcomes framework",
    ),
    Stage(
        "needs",
        "Identify and prioritise needs",
        (("2.2", "Identifying needs"), ("2.3", "Prioritising needs")),
        "Record the needs you find, with their evidence, and prioritise them against the "
        "outcomes with the council's scoring, so decisions can be explained.",
        (
            "Record each need with its evidence and the people affected.",
            "Score needs consistently and keep the reasons for the ranking.",
        ),
        "commissioning:needs",
        "Needs",
    ),
    Stage(
        "intentions",
        "Write commissioning intentions",
        (("2.4", "Developing commissioning intentions"), ("2.6", "Understanding the market")),
        "A commissioning intention says what you mean to fund, why, for how much and when. "
        "Publish it early and talk to the sector before you decide how to buy.",
        (
            "Link the intention to the needs and outcomes it answers.",
            "Consult and test the market before settling the specification.",
        ),
        "commissioning:intentions",
        "Commissioning intentions",
    ),
    Stage(
        "method",
        "Choose the commissioning method",
        (
            ("2.7", "Choosing the commissioning method"),
            ("2.8", "Funding agreements"),
            ("2.9", "Procurement"),
        ),
        "Choose between a small grant, a funding agreement and a contract by what you are "
        "buying and its value. Grants and funding agreements support what organisations "
        "already do; contracts buy a specified service under procurement rules.",
        (
            "Use the method advisor and record the reasons for your choice.",
            "Above the procurement thresholds, follow the Procurement Act 2023 route.",
        ),
    ),
    Stage(
        "applications",
        "Keep applications proportionate",
        (("4.1", "The application process"), ("3.1", "Small Grants Scheme")),
        "Ask only for what you need to decide, in proportion to the money. Organisations "
        "register once; do not ask again for what the register already holds.",
        (
            "Use the short form for small grants.",
            "Give applicants clear criteria, weights and deadlines.",
        ),
        "opportunities:list",
        "Opportunities",
    ),
    Stage(
        "awards",
        "Make awards for three years where you can",
        (("2.10", "Length of funding"),),
        "Fund for three years or more wherever possible, so organisations can plan. Record "
        "the reason whenever a funding agreement or contract is shorter.",
        (
            "Commit the money against the right funding pot.",
            "Set the targets the award will be monitored against.",
        ),
    ),
    Stage(
        "monitoring",
        "Monitor in proportion, through a lead funder",
        (
            ("4.2", "Proportionate monitoring arrangements"),
            ("4.3", "Lead funder model"),
        ),
        "Monitoring should match the size and risk of the award. Where several "
        "directorates fund one organisation, agree a lead funder so it reports once.",
        (
            "Use the monitoring tier the rules suggest unless there is a reason not to.",
            "Accept or query returns promptly; payments may wait on them.",
        ),
    ),
    Stage(
        "review",
        "Review, report and learn",
        (
            ("3.2", "Internal database of funded organisations"),
            ("5.1", "Monitoring and evaluation"),
            ("5.2", "Support for council staff"),
        ),
        "The investment dashboard, the outcomes report and applicants' feedback on the "
        "process show what the strategy is achieving; the annual report goes to Cabinet.",
        (
            "Read the feedback applicants give on clarity, proportionality and fairness.",
            "Raise concerns with the Corporate Third Sector Group.",
        ),
        "reporting:dashboard",
        "Investment dashboard",
    ),
)


def get_stage(slug: str) -> Stage:
    for stage in STAGES:
        if stage.slug == slug:
            return stage
    raise Http404("No such guidance")
