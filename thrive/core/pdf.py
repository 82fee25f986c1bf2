"""PDF documents (award letters, the annual report) from the same HTML templates as the pages.

WeasyPrint lays the HTML out; it is never allowed to fetch anything, so text a user typed
cannot make the server request a URL. Charts are inline SVG and need no fetching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from thrive.core import branding
from thrive.core.models import StoredDocument


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher  # lazy: heavy optional library (Pango)

    # Only inline ``data:`` images; http, https and file are refused before any request.
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def html_to_pdf(html: str) -> bytes:
    """Lay out a whole HTML document as an A4 PDF and return its bytes."""
    from weasyprint import HTML  # lazy: heavy optional library (loading Pango takes a moment)

    return HTML(string=html, url_fetcher=_fetcher(), base_url=None).write_pdf()


KEPT_DAYS = 7  # a kept document not asked for again within a week is let go


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    council: Any = None,
    *,
    keep: bool = False,
    key_context: dict[str, Any] | None = None,
) -> bytes:
    """Render a template (usually extending ``pdf/base.html``) to PDF bytes, on the letterhead
    of ``council`` (the council whose record it is; ``pdf/letterhead.html``).

    With ``keep`` the PDF is stored (``StoredDocument``, shared by every process and the
    worker) under a digest of its HTML, so the same document is laid out once and any
    change to what it says makes a new one; layout is most of the time a long PDF takes,
    and the figures themselves are always read afresh. ``key_context``, when given, is the
    context the digest is taken from: the same figures without what changes by itself
    (the date it was produced), so a document built yesterday with today's figures serves.
    """
    base = branding.branding(council)
    if not keep:
        return html_to_pdf(render_to_string(template_name, {**base, **context}))
    key_html = render_to_string(template_name, {**base, **(key_context or context)})
    digest = hashlib.sha256(key_html.encode()).hexdigest()
    if key_context is None:
        return kept_pdf(digest, lambda: key_html)
    return kept_pdf(digest, lambda: render_to_string(template_name, {**base, **context}))


def kept_pdf(digest: str, html: Callable[[], str]) -> bytes:
    """The PDF kept under ``digest``; if there is none, ``html()`` is laid out and kept."""
    stored = StoredDocument.objects.filter(digest=digest).values_list("content", flat=True).first()
    if stored is not None:
        return bytes(stored)
    content = html_to_pdf(html())
    StoredDocument.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=KEPT_DAYS)
    ).delete()
    # Two processes may lay out the same document at once; the first kept is the one served.
    StoredDocument.objects.get_or_create(digest=digest, defaults={"content": content})
    return content
