"""The method advisor: table-driven from the strategy's own lists (§2.7, §2.8, §4.4).

Each row of ``RULES`` is one line of the strategy, asked as a yes/no question. A "yes"
counts towards a funding agreement or a contract and becomes a reason in the advice.
Value decides small grants (§3.1); the thresholds in force on the procurement's start
date decide the route and the notices (Procurement Act 2023, standards/NOTES.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thrive.commissioning.models import Method, Regime, Route, ServiceType
from thrive.core.money import format_pence
from thrive.strategy.models import ThresholdSet

FUNDING_AGREEMENT = Method.FUNDING_AGREEMENT
CONTRACT = Method.CONTRACT


@dataclass(frozen=True)
class Rule:
    code: str
    question: str
    section: str
    points_to: str


RULES: list[Rule] = [
    # §2.8: circumstances where a funding agreement may give best value for money.
    Rule(
        "no_commercial_market",
        "Soft market testing indicates that there is no commercial market",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "track_record",
        "The Third Sector has a strong track record of delivery",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "community_added_value",
        "The service requires substantial community added value",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "user_led",
        "The service is designed to be shaped and led by service users",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "vulnerable_groups",
        "The service addresses the needs of vulnerable or marginalised groups",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "advocacy",
        "Awareness raising, information, representation or advocacy for these groups is needed",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule("trust", "Service users' trust in the provider matters", "§2.8", FUNDING_AGREEMENT),
    Rule("local_knowledge", "Local knowledge is essential", "§2.8", FUNDING_AGREEMENT),
    Rule(
        "small_amounts",
        "Only relatively small amounts of money are available",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    # §2.8: where funding agreements are most appropriate.
    Rule("pilot", "There is an opportunity to pilot new provision", "§2.8", FUNDING_AGREEMENT),
    Rule(
        "uncertain_outcomes",
        "The outcomes of the activity are uncertain",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "unique_providers",
        "The activities are unique to particular providers",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "niche_range",
        "A greater range of provision is sought in a niche area of activity",
        "§2.8",
        FUNDING_AGREEMENT,
    ),
    # §2.7: factors that influence the method.
    Rule(
        "sector_specific",
        "The service has been identified as specific to the Third Sector",
        "§2.7",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "few_providers",
        "There are few potential providers or applicants",
        "§2.7",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "short_timescale",
        "Little time is available for the commissioning process",
        "§2.7",
        FUNDING_AGREEMENT,
    ),
    Rule(
        "private_providers",
        "Private sector providers are available in the open market",
        "§2.7",
        CONTRACT,
    ),
    # §4.4: where competitive procurement is most appropriate; §2.9 a specific service.
    Rule(
        "contestable",
        "The service market is contestable: there is a range of possible suppliers",
        "§4.4",
        CONTRACT,
    ),
    Rule(
        "clearly_defined",
        "The type and level of service and its outcomes are clearly defined",
        "§4.4",
        CONTRACT,
    ),
    Rule(
        "statutory_obligation",
        "The specific service is a statutory obligation or otherwise required",
        "§4.4",
        CONTRACT,
    ),
]
RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass
class Advice:
    method: str
    route: str
    regime: str
    reasons: list[str] = field(default_factory=list)
    duties: list[str] = field(default_factory=list)


def _method(answers: dict[str, bool], reasons: list[str]) -> str:
    counts = {FUNDING_AGREEMENT: 0, CONTRACT: 0}
    for rule in RULES:
        if answers.get(rule.code):
            counts[rule.points_to] += 1
            towards = "a funding agreement" if rule.points_to == FUNDING_AGREEMENT else "a contract"
            reasons.append(f"{rule.question} ({rule.section}): points to {towards}.")
    fa, contract = counts[FUNDING_AGREEMENT], counts[CONTRACT]
    if contract > fa:
        reasons.append(f"{contract} answers point to a contract and {fa} to a funding agreement.")
        return CONTRACT
    if fa == contract == 0:
        reasons.append(
            "No answer points either way: a funding agreement is suggested, but seek the "
            "Procurement Category Manager's advice (§2.7)."
        )
    elif fa == contract:
        reasons.append(
            f"{fa} answers point each way. Value for money is not always best achieved through "
            "competition (§2.7), so a funding agreement is suggested; agree it with procurement."
        )
    else:
        reasons.append(f"{fa} answers point to a funding agreement and {contract} to a contract.")
    return FUNDING_AGREEMENT


def _threshold_for(service_type: str, thresholds: ThresholdSet) -> tuple[int, str]:
    if service_type == ServiceType.SOCIAL:
        return thresholds.light_touch_pence, "light-touch regime threshold"
    if service_type == ServiceType.WORKS:
        return thresholds.works_pence, "works threshold"
    return thresholds.goods_services_pence, "goods and services threshold"


def _contract_route(
    value: int, service_type: str, thresholds: ThresholdSet, advice: Advice
) -> None:
    if service_type == ServiceType.HEALTH_CARE:
        advice.route, advice.regime = Route.PSR, Regime.PSR
        advice.reasons.append(
            "Public health care services may be arranged under the Provider Selection Regime 2023."
        )
        advice.duties.append("Follow the Provider Selection Regime's notices and standstill.")
        return
    advice.regime = Regime.PROCUREMENT_ACT
    threshold, name = _threshold_for(service_type, thresholds)
    since = f"{thresholds.valid_from:%-d %B %Y}"
    if value >= threshold:
        advice.route = (
            Route.LIGHT_TOUCH if service_type == ServiceType.SOCIAL else Route.OPEN_TENDER
        )
        advice.reasons.append(
            f"The value, {format_pence(value)}, is at or above the {name} of "
            f"{format_pence(threshold)} (in force from {since}): the Procurement Act's full "
            "rules and time limits apply."
        )
        days = 120 if service_type == ServiceType.SOCIAL else 30
        advice.duties += [
            "Publish a tender notice (UK4) on the Central Digital Platform.",
            "Send an assessment summary to every bidder.",
            "Publish a contract award notice (UK6); it opens an 8-working-day standstill.",
            f"Publish a contract details notice (UK7) within {days} days of the contract.",
        ]
        return
    advice.route = Route.RFQ
    advice.reasons.append(
        f"The value, {format_pence(value)}, is below the {name} of {format_pence(threshold)} "
        f"(in force from {since}): request quotations."
    )
    if value >= thresholds.below_threshold_notice_pence:
        advice.duties.append(
            "If the contract is advertised, first publish a below-threshold tender notice on the "
            "Central Digital Platform (the value is at least "
            f"{format_pence(thresholds.below_threshold_notice_pence)})."
        )
    advice.duties += [
        "Publish a contract details notice (UK7).",
        "You may reserve the procurement for suppliers in the county, then for SMEs and VCSEs.",
    ]


def advise(
    *, answers: dict[str, bool], service_type: str, value_pence: int, thresholds: ThresholdSet
) -> Advice:
    """Recommend a method, route and regime, with the reasons that led there."""
    reasons: list[str] = []
    method = _method(answers, reasons)
    advice = Advice(method=method, route="", regime="", reasons=reasons)
    limit = thresholds.small_grant_limit_pence
    if method == FUNDING_AGREEMENT and value_pence <= limit:
        advice.method, advice.route, advice.regime = (
            Method.SMALL_GRANT,
            Route.SMALL_GRANTS_SCHEME,
            Regime.GRANT,
        )
        advice.reasons.append(
            f"The value, {format_pence(value_pence)}, is within the small grants limit of "
            f"{format_pence(limit)} (§3.1): use the small grants scheme."
        )
    elif method == FUNDING_AGREEMENT:
        advice.route, advice.regime = Route.GRANT_ROUND, Regime.GRANT
        advice.reasons.append(
            "A funding agreement is a grant: advertise it as an open grant round so every "
            "organisation has the same chance (§4.1)."
        )
    else:
        _contract_route(value_pence, service_type, thresholds, advice)
    if value_pence > 500_000:
        advice.duties.append(
            "List it in the quarterly Transparency Code publication (over £5,000)."
        )
    return advice
