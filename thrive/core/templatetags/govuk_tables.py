"""The GOV.UK table around a page's rows: scrolling wrapper, caption, column headers, empty row.

    {% load govuk_tables %}
    {% table "Pair" "Score"|numeric "Why" id="pairs-caption" empty="No pairs." %}
      {{ count }} pair{{ count|pluralize }} to review
    {% rows %}
      {% for c in page %}<tr class="govuk-table__row">...</tr>{% endfor %}
    {% endtable %}

The text before ``{% rows %}`` is the caption; what follows is the body's rows. Options:
``id`` names the caption and makes the wrapper a labelled region keyboard users can scroll;
``size`` is the caption's size (``m``, the default, or ``s``); ``classes`` are added to the
table; ``empty`` is the row shown, across every column, when there are no rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

OPTIONS = {"id", "size", "classes", "empty"}


@dataclass(frozen=True)
class Column:
    """A column header; a numeric one is right-aligned, as are its cells."""

    label: Any
    numeric: bool = False


@register.filter
def numeric(label: Any) -> Column:
    """Mark a column of ``{% table %}`` as numbers: ``"Total"|numeric``."""
    return Column(label, numeric=True)


class TableNode(template.Node):
    def __init__(
        self,
        columns: list[FilterExpression],
        options: dict[str, FilterExpression],
        caption: NodeList,
        rows: NodeList,
    ) -> None:
        self.columns = columns
        self.options = options
        self.caption = caption
        self.rows = rows

    def render(self, context: template.Context) -> SafeString:
        columns = [self._column(expression.resolve(context)) for expression in self.columns]
        options = {name: value.resolve(context) for name, value in self.options.items()}
        rows = self.rows.render(context)
        # The table template is rendered with autoescaping on, so its output is safe HTML.
        return SafeString(  # nosec B703
            render_to_string(
                "core/_table.html",
                {
                    "columns": columns,
                    # Stripping a rendered (safe) caption gives a plain str: mark it safe again.
                    "caption": SafeString(self.caption.render(context).strip()),  # nosec B703
                    "rows": rows,
                    "has_rows": bool(rows.strip()),
                    "caption_id": options.get("id", ""),
                    "size": options.get("size") or "m",
                    "classes": options.get("classes", ""),
                    "empty": options.get("empty", ""),
                },
            )
        )

    @staticmethod
    def _column(value: Any) -> Column:
        return value if isinstance(value, Column) else Column(value)


@register.tag("table")
def do_table(parser: Parser, token: Token) -> TableNode:
    """``{% table "Header" "Amount"|numeric id=... %}caption{% rows %}rows{% endtable %}``."""
    bits = token.split_contents()[1:]
    columns: list[FilterExpression] = []
    options: dict[str, FilterExpression] = {}
    for bit in bits:
        name, equals, value = bit.partition("=")
        if equals and name in OPTIONS:
            options[name] = parser.compile_filter(value)
        elif equals and name.isidentifier():
            raise template.TemplateSyntaxError(f"{{% table %}} has no option {name!r}")
        else:
            columns.append(parser.compile_filter(bit))
    if not columns:
        raise template.TemplateSyntaxError("{% table %} needs at least one column")
    caption = parser.parse(("rows",))
    parser.delete_first_token()
    rows = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(columns, options, caption, rows)
