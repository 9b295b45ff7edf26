from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape
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


def _escape(context):
    """What `{% translate %}` and a simple tag do to their text: escape it unless autoescape
    is off."""
    return conditional_escape if context.autoescape else str


def _cells(context):
    """`render_value_in_context` for one table, with its two common cases done directly: an
    int is its digits (what `localize` gives an int when numbers are not grouped,
    USE_THOUSAND_SEPARATOR off) and a plain str is escaped (or not, as the context says);
    anything else (lazy labels, dates, decimals, floats) goes through the template engine."""
    grouped = settings.USE_THOUSAND_SEPARATOR
    autoescape = context.autoescape

    def cell(value):
        kind = type(value)
        if kind is int and not grouped:
            return str(value)
        if kind is str:
            return escape(value) if autoescape else value
        return render_value_in_context(value, context)

    return cell


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """`<tr>`s of a report table: the first cell a row header, the rest numbers (`dash`)."""
    if not table.rows:
        return mark_safe(  # noqa: S308 - both parts escaped
            _NONE.format(
                render_value_in_context(len(table.columns), context),
                _escape(context)(gettext("None in this period.")),
            )
        )
    return mark_safe(_table_rows(table, _cells(context)))  # noqa: S308 - every value escaped


def _table_rows(table, cell) -> str:
    out = []
    for row in table.rows:
        cells = [_HEAD.format(cell(row[0]))] if row else []
        cells.extend(_CELL.format(cell(dash(value))) for value in row[1:])
        out.append(_ROW.format("".join(cells)))
    return "".join(out)


@register.simple_tag(takes_context=True)
def heat_rows(context, rows):
    """`<tr>`s of the heatmap: (day, [(count, shading level), ...]) per row."""
    cell = _cells(context)
    out = []
    for day, cells in rows:
        parts = [_HEAD.format(cell(day))]
        parts.extend(_HEAT_CELL.format(cell(level), cell(n)) for n, level in cells)
        out.append(_HEAT_ROW.format("".join(parts)))
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def report_table(context, table):
    """One report figure: its heading, its chart's place, the accessible table (in a "Show the
    figures as a table" disclosure when there is a chart), its note and its CSV link. Built
    here rather than by including a template once per figure (twenty-odd on a dashboard): the
    HTML is exactly what that template gave (tests/reporting/test_table_tags.py renders both)."""
    cell, escape_text = _cells(context), _escape(context)
    chart, key = table.chart, cell(table.key)
    title = cell(table.title)
    out = [
        '<div class="app-report-figure',
        " app-report-figure--chart" if chart else "",
        f'" id="figure-{key}">\n  <h3 class="govuk-heading-m" id="title-{key}">{title}</h3>\n  ',
    ]
    if chart:
        kind = cell(chart)
        show = escape_text(gettext("Show the figures as a table"))
        out.append(
            f'<div class="app-report-chart" data-chart-for="table-{key}" '
            f'data-chart-type="{kind}"></div>\n  <details class="govuk-details" '
            'data-module="govuk-details">\n    <summary class="govuk-details__summary">'
            '<span class="govuk-details__summary-text">'
            f"{show}</span></summary>\n"
            '    <div class="govuk-details__text">'
        )
    else:
        out.append("\n  ")
    out.append(
        f'\n  <table class="govuk-table app-report-table" id="table-{key}" '
        f'aria-labelledby="title-{key}"'
    )
    if chart:
        out.append(f' data-chart="{kind}"')
    out.append('>\n    <thead class="govuk-table__head"><tr class="govuk-table__row">\n      ')
    for i, column in enumerate(table.columns):
        numeric = " govuk-table__header--numeric" if i else ""
        out.append(f'<th scope="col" class="govuk-table__header{numeric}">{cell(column)}</th>')
    out.append('\n    </tr></thead>\n    <tbody class="govuk-table__body">\n    ')
    out.append(table_rows(context, table))
    out.append("\n    </tbody>\n  </table>\n  ")
    if chart:
        out.append("</div>\n  </details>")
    out.append("\n  ")
    if table.note:
        out.append(f'<p class="govuk-body-s">{cell(table.note)}</p>')
    href = escape_text(csv_url(context.get("csv_base", ""), table.key, context.get("query", "")))
    link = gettext("Download “%(t)s” as CSV") % {"t": title}
    out.append(
        f'\n  <p class="govuk-body-s"><a class="govuk-link" href="{href}" download>{link}</a></p>'
        "\n</div>\n"
    )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
