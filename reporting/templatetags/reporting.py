from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def dash(value):
    """Numbers as they are; a missing value as an en dash."""
    if value is None or value == "":
        return "–"
    return value


@register.simple_tag
def csv_url(base, key, query=""):
    url = base.replace("KEY", key)
    return f"{url}?{query}" if query else url


# The body rows of the report tables and the heatmap are built here rather than by template
# loops: a ten-year dashboard has thousands of cells, and resolving `{{ cell|dash }}` through
# the template engine cell by cell was most of the page's own time (bench/RESULTS.md). The HTML
# is exactly what the loops gave (tests/reporting/test_table_tags.py renders both): each value
# goes through `render_value_in_context`, as `{{ value }}` does (localised, escaped).
_ROW = '\n      <tr class="govuk-table__row">{}</tr>\n    '
_HEAD = '<th scope="row" class="govuk-table__header">{}</th>'
_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
_NONE = (
    '\n      <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>'
    "\n    "
)
_HEAT_ROW = '\n        <tr class="govuk-table__row">{}</tr>\n      '
_HEAT_CELL = '<td class="govuk-table__cell app-heat app-heat--{}">{}</td>'


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """`<tr>`s of a report table: the first cell a row header, the rest numbers (`dash`)."""
    if not table.rows:
        return mark_safe(  # noqa: S308 - both parts escaped
            _NONE.format(
                render_value_in_context(len(table.columns), context),
                conditional_escape(gettext("None in this period.")),
            )
        )
    out = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0:
                cells.append(_HEAD.format(render_value_in_context(cell, context)))
            else:
                cells.append(_CELL.format(render_value_in_context(dash(cell), context)))
        out.append(_ROW.format("".join(cells)))
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def heat_rows(context, rows):
    """`<tr>`s of the heatmap: (day, [(count, shading level), ...]) per row."""
    out = []
    for day, cells in rows:
        parts = [_HEAD.format(render_value_in_context(day, context))]
        for n, level in cells:
            parts.append(
                _HEAT_CELL.format(
                    render_value_in_context(level, context), render_value_in_context(n, context)
                )
            )
        out.append(_HEAT_ROW.format("".join(parts)))
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
