"""The standard forms (§4.1) as data.

``ensure_default_templates`` adds any missing standard form with its first version; it never
changes an existing version (versions are immutable once used). The forms are added when the
database is migrated (``questions`` 0002), so no page has to make them.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from thrive.questions.models import FormKind, FormTemplate, FormTemplateVersion

SMALL_GRANT_PURPOSES = [
    ("materials", "Buying materials, for example for a community art group or drama society"),
    ("training", "Paying for a training programme"),
    ("room_hire", "Room hire for a new group while it is in early development"),
    ("fundraising", "Supporting fundraising activities"),
    ("cultural", "Delivering new cultural experiences"),
    ("one_off", "A one-off purchase"),
    ("development", "Developing the organisation"),
]


def _q(key: str, kind: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": kind, "label": label, **extra}


SMALL_GRANT = [
    {
        "key": "project",
        "title": "Your project",
        "questions": [
            _q("project_title", "text", "Project name", required=True),
            _q(
                "project_summary",
                "long_text",
                "What will the grant pay for?",
                required=True,
                word_limit=250,
            ),
            _q(
                "purpose",
                "choice",
                "Which purpose is closest?",
                required=True,
                choices=[list(p) for p in SMALL_GRANT_PURPOSES],
            ),
            _q(
                "community_benefit",
                "long_text",
                "How will your local community benefit?",
                required=True,
                word_limit=150,
            ),
            _q("start_date", "date", "When will the project start?", required=True),
        ],
    },
    {
        "key": "money",
        "title": "Money",
        "questions": [
            _q(
                "amount_requested",
                "money",
                "How much are you asking for?",
                required=True,
                role="amount_requested",
            ),
            _q("budget", "budget", "What will you spend it on?", required=True),
            _q("other_funding", "yes_no", "Have you asked anyone else to fund this?"),
        ],
    },
    {
        "key": "documents",
        "title": "Supporting documents",
        "questions": [
            _q(
                "quote",
                "file",
                "A quote or estimate (optional)",
                hint="A PDF, Word, Excel, OpenDocument text, PNG or JPEG file.",
            ),
        ],
    },
]

FUNDING_AGREEMENT = [
    {
        "key": "proposal",
        "title": "Your proposal",
        "questions": [
            _q("project_title", "text", "Name of the service or project", required=True),
            _q("summary", "long_text", "Summary", required=True, word_limit=300),
            _q(
                "outcomes",
                "long_text",
                "Which outcomes will you achieve, and how will you show them?",
                required=True,
                word_limit=500,
            ),
            _q("beneficiaries", "number", "How many people will benefit each year?", min=0),
            _q("start_date", "date", "Proposed start date", required=True),
        ],
    },
    {
        "key": "money",
        "title": "Budget",
        "questions": [
            _q(
                "amount_requested",
                "money",
                "Total amount requested",
                required=True,
                role="amount_requested",
            ),
            _q("budget", "budget", "Budget breakdown", required=True),
            _q("match_funding", "yes_no", "Do you have match funding?", required=True),
        ],
    },
    {
        "key": "evidence",
        "title": "Evidence and monitoring",
        "questions": [
            _q(
                "monitoring",
                "long_text",
                "How will you monitor progress?",
                required=True,
                word_limit=300,
            ),
            _q("evidence", "file", "Evidence of need (optional)"),
        ],
    },
]

QUOTATION = [
    {
        "key": "proposal",
        "title": "Your proposal",
        "questions": [
            _q("approach", "long_text", "How will you deliver?", required=True, word_limit=500),
            _q("start_date", "date", "Earliest start date", required=True),
        ],
    },
    {
        "key": "price",
        "title": "Price",
        "questions": [
            _q("price", "money", "Total price", required=True, role="amount_requested"),
            _q("budget", "budget", "Price breakdown", required=True),
        ],
    },
    {
        "key": "social_value",
        "title": "Social value",
        "questions": [
            _q(
                "social_value",
                "long_text",
                "What social value will you add locally?",
                required=True,
                word_limit=300,
            ),
        ],
    },
]

TENDER = [
    {
        "key": "quality",
        "title": "Quality",
        "questions": [
            _q(
                "approach",
                "long_text",
                "Describe your approach to delivering the service",
                required=True,
                word_limit=1000,
            ),
            _q(
                "outcomes",
                "long_text",
                "How will you achieve and evidence the outcomes?",
                required=True,
                word_limit=500,
            ),
            _q("staffing", "long_text", "Staffing and volunteers", required=True, word_limit=500),
            _q("method_statement", "file", "Method statement", required=True),
        ],
    },
    {
        "key": "price",
        "title": "Price",
        "questions": [
            _q("price", "money", "Total price", required=True, role="amount_requested"),
            _q("budget", "budget", "Price breakdown", required=True),
        ],
    },
    {
        "key": "social_value",
        "title": "Social value",
        "questions": [
            _q(
                "local_benefit",
                "long_text",
                "Economic and social benefits to the local community",
                required=True,
                word_limit=500,
            ),
            _q(
                "local_subcontracting",
                "yes_no",
                "Will you sub-contract locally?",
                required=True,
            ),
            _q("environment", "long_text", "Environmental commitments", word_limit=300),
        ],
    },
    {
        "key": "declarations",
        "title": "Declarations",
        "questions": [
            _q("conflicts", "yes_no", "Do you have any conflict of interest?", required=True),
            _q("insurance", "yes_no", "Do you hold the insurance required?", required=True),
        ],
    },
]

DEFAULT_TEMPLATES = [
    ("small-grant", "Small grant (short form)", FormKind.SMALL_GRANT, SMALL_GRANT),
    (
        "funding-agreement",
        "Funding agreement application",
        FormKind.FUNDING_AGREEMENT,
        FUNDING_AGREEMENT,
    ),
    ("quotation", "Request for quotations", FormKind.QUOTATION, QUOTATION),
    ("tender", "Tender: quality, price and social value", FormKind.TENDER, TENDER),
]


def add_standard_forms(
    *, template_model: type[models.Model], version_model: type[models.Model]
) -> dict[str, Any]:
    """Add each missing standard form with its first version (the migration passes its models)."""
    templates = {}
    for code, name, kind, sections in DEFAULT_TEMPLATES:
        template, _ = template_model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
        if not version_model.objects.filter(template=template).exists():
            version_model.objects.create(
                template=template, number=1, sections=sections, note="Standard form"
            )
        templates[code] = template
    return templates


def ensure_default_templates() -> dict[str, FormTemplate]:
    """The standard forms by code, each with at least its first version."""
    with transaction.atomic():
        return add_standard_forms(template_model=FormTemplate, version_model=FormTemplateVersion)
