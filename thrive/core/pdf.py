"""PDF documents (award letters, the annual report) from the same HTML templates as the pages.

WeasyPrint lays the HTML out; it is never allowed to fetch anything, so text a user typed
cannot make the server request a URL. Charts are inline SVG and need no fetching.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string

from thrive.core import branding


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    # Only inline ``data:`` images; http, https and file are refused before any request.
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def html_to_pdf(html: str) -> bytes:
    """Lay out a whole HTML document as an A4 PDF and return its bytes."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    return HTML(string=html, url_fetcher=_fetcher(), base_url=None).write_pdf()


def render_pdf(
    template_name: str, context: dict[str, Any], council: Any = None, *, cache_seconds: int = 0
) -> bytes:
    """Render a template (usually extending ``pdf/base.html``) to PDF bytes, on the letterhead
    of ``council`` (the council whose record it is; ``pdf/letterhead.html``).

    With ``cache_seconds`` the PDF is kept under a digest of its HTML, so the same document
    is laid out once and any change to what it says makes a new one (layout is most of the
    time a long PDF takes; the figures themselves are always read afresh)."""
    html = render_to_string(template_name, {**branding.branding(council), **context})
    if not cache_seconds:
        return html_to_pdf(html)
    key = "pdf:" + hashlib.sha256(html.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = html_to_pdf(html)
        cache.set(key, content, cache_seconds)
    return content
