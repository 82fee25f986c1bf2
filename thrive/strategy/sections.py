"""The sections of the Third Sector Commissioning Strategy, as data.

Each action in the annual action plan names the section it serves (§5.1); the list
follows the strategy's own numbering so the plan reads against the document.
"""

from __future__ import annotations

STRATEGY_SECTIONS: list[tuple[str, str]] = [
    ("1.5", "§1.5 Aim of the strategy"),
    ("1.6", "§1.6 Personalisation"),
    ("2.1", "§2.1 Identifying service priorities and outcomes"),
    ("2.2", "§2.2 Identifying needs"),
    ("2.3", "§2.3 Prioritising needs"),
    ("2.4", "§2.4 Developing commissioning intentions"),
    ("2.5", "§2.5 Service specifications and programme criteria"),
    ("2.6", "§2.6 Understanding the market"),
    ("2.7", "§2.7 Choosing the commissioning method"),
    ("2.8", "§2.8 Funding agreements"),
    ("2.9", "§2.9 Procurement"),
    ("2.10", "§2.10 Length of funding"),
    ("3.1", "§3.1 Small Grants Scheme"),
    ("3.2", "§3.2 Internal database of funded organisations"),
    ("4.1", "§4.1 The application process"),
    ("4.2", "§4.2 Proportionate monitoring arrangements"),
    ("4.3", "§4.3 Lead funder model"),
    ("4.4", "§4.4 Improving procurement support for the Third Sector"),
    ("5", "§5 Ensuring delivery of the strategy"),
    ("5.1", "§5.1 Monitoring and evaluation"),
    ("5.2", "§5.2 Support for council staff"),
    ("5.3", "§5.3 Next steps: pooling or aligning budgets"),
]

SECTION_LABELS = dict(STRATEGY_SECTIONS)


def section_label(code: str) -> str:
    return SECTION_LABELS.get(code, f"§{code}")
