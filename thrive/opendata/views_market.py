"""The market analysis page of a commissioning intention (§2.6).

It lives here, above commissioning, because it reads other funders' open data; it is routed
and linked as one of the intention's pages through ``commissioning.extensions.INTENTION_PAGES``
(added in ``OpendataConfig.ready()``), so its address and name stay commissioning's.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.commissioning import selectors as commissioning_selectors
from thrive.commissioning.extensions import INTENTION_PAGES, IntentionPage
from thrive.core import policy
from thrive.opendata import market


@policy.rule("commissioning.intentions.view")
def intention_market(request: HttpRequest, intention_id: int) -> HttpResponse:
    """Market analysis from the register and other funders' open data (§2.6)."""
    intention = commissioning_selectors.get_intention(
        user=request.user, intention_id=intention_id, related=market.INTENTION_RELATED
    )
    analysis = market.analyse(intention=intention)
    return render(
        request, "opendata/intention_market.html", {"intention": intention, "analysis": analysis}
    )


MARKET_PAGE = IntentionPage(
    route="market/", view=intention_market, name="intention_market", label="Market analysis"
)


def register_market_page() -> None:
    """Add the market analysis to an intention's pages (from ``OpendataConfig.ready()``)."""
    INTENTION_PAGES.add(MARKET_PAGE, key="market", order=10)
