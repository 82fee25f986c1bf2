"""The shared GOV.UK table: headers a screen reader can follow, numbers aligned, an empty row
across the whole table, and a wrapper keyboard users can scroll when the table is named."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test.html import parse_html

TABLE = (
    '{% load govuk_tables %}{% table "Name" "Total"|numeric id=caption_id empty="Nothing yet." %}'
    "{{ items|length }} item{{ items|length|pluralize }}"
    "{% rows %}{% for item in items %}<tr><td>{{ item }}</td><td>1</td></tr>{% endfor %}"
    "{% endtable %}"
)


def _render(source: str = TABLE, **context: object) -> str:
    return Template(source).render(Context(context))


def test_headers_are_column_headers_and_numbers_are_right_aligned() -> None:
    html = _render(items=["Acorn Trust"], caption_id="")
    assert '<th scope="col" class="govuk-table__header">Name</th>' in html
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Total</th>'
        in html
    )
    assert parse_html("<td>Acorn Trust</td>") in parse_html(html)


def test_the_caption_counts_the_rows() -> None:
    html = _render(items=["Acorn Trust", "Birch Trust"], caption_id="")
    assert parse_html(
        '<caption class="govuk-table__caption govuk-table__caption--m">2 items</caption>'
    ) in parse_html(html)


def test_no_rows_shows_the_empty_message_across_every_column() -> None:
    html = _render(items=[], caption_id="")
    empty_row = '<td class="govuk-table__cell" colspan="2">Nothing yet.</td>'
    assert parse_html(empty_row) in parse_html(html)


def test_rows_hide_the_empty_message() -> None:
    assert "Nothing yet." not in _render(items=["Acorn Trust"], caption_id="")


def test_a_named_table_is_a_region_keyboard_users_can_scroll() -> None:
    html = _render(items=["Acorn Trust"], caption_id="items-caption")
    assert 'tabindex="0" role="region" aria-labelledby="items-caption"' in html
    assert '<caption id="items-caption"' in html


def test_an_unnamed_table_adds_no_tab_stop() -> None:
    assert "tabindex" not in _render(items=["Acorn Trust"], caption_id="")


def test_page_text_in_cells_and_captions_is_escaped() -> None:
    html = _render(items=["<script>alert(1)</script>"], caption_id="")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_page_text_in_the_caption_is_escaped_once() -> None:
    html = _render(
        '{% load govuk_tables %}{% table "Name" %}{{ text }}{% rows %}{% endtable %}',
        text="The council's <b>view</b>",
    )
    assert "The council&#x27;s &lt;b&gt;view&lt;/b&gt;</caption>" in html


def test_a_mistyped_option_is_a_template_error() -> None:
    with pytest.raises(TemplateSyntaxError, match="no option 'caption'"):
        _render('{% load govuk_tables %}{% table "Name" caption="x" %}{% rows %}{% endtable %}')
