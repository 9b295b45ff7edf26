"""The report tables (each whole figure, its body rows) and the heatmap's rows are built by
template tags (for speed): the HTML must be exactly what the templates they replace gave, for
every kind of value, in English and in Welsh."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy as _lazy

from reporting.queries import Table

# The template loops as they were before the tags (the reference).
TABLE_LOOP = """{% load i18n reporting %}<tbody class="govuk-table__body">
    {% for row in table.rows %}
      <tr class="govuk-table__row">{% for cell in row %}{% if forloop.first %}<th scope="row" class="govuk-table__header">{{ cell }}</th>{% else %}<td class="govuk-table__cell govuk-table__cell--numeric">{{ cell|dash }}</td>{% endif %}{% endfor %}</tr>
    {% empty %}
      <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{{ table.columns|length }}">{% translate "None in this period." %}</td></tr>
    {% endfor %}
    </tbody>"""
TABLE_TAG = """{% load i18n reporting %}<tbody class="govuk-table__body">
    {% table_rows table %}
    </tbody>"""
# templates/reporting/_table.html as it was, included once per figure (the reference).
FIGURE_INCLUDE = """{% load i18n reporting %}<div class="app-report-figure{% if table.chart %} app-report-figure--chart{% endif %}" id="figure-{{ table.key }}">
  <h3 class="govuk-heading-m" id="title-{{ table.key }}">{{ table.title }}</h3>
  {% if table.chart %}<div class="app-report-chart" data-chart-for="table-{{ table.key }}" data-chart-type="{{ table.chart }}"></div>{% endif %}
  {% if table.chart %}<details class="govuk-details" data-module="govuk-details">
    <summary class="govuk-details__summary"><span class="govuk-details__summary-text">{% translate "Show the figures as a table" %}</span></summary>
    <div class="govuk-details__text">{% endif %}
  <table class="govuk-table app-report-table" id="table-{{ table.key }}" aria-labelledby="title-{{ table.key }}"{% if table.chart %} data-chart="{{ table.chart }}"{% endif %}>
    <thead class="govuk-table__head"><tr class="govuk-table__row">
      {% for c in table.columns %}<th scope="col" class="govuk-table__header{% if not forloop.first %} govuk-table__header--numeric{% endif %}">{{ c }}</th>{% endfor %}
    </tr></thead>
    <tbody class="govuk-table__body">
    {% table_rows table %}
    </tbody>
  </table>
  {% if table.chart %}</div>
  </details>{% endif %}
  {% if table.note %}<p class="govuk-body-s">{{ table.note }}</p>{% endif %}
  <p class="govuk-body-s"><a class="govuk-link" href="{% csv_url csv_base table.key query %}" download>{% blocktranslate with t=table.title %}Download “{{ t }}” as CSV{% endblocktranslate %}</a></p>
</div>
"""
FIGURE_TAG = """{% load reporting %}{% report_table table %}"""
HEAT_LOOP = """{% load reporting %}<tbody class="govuk-table__body">
      {% for day, cells in heat_rows %}
        <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{{ day }}</th>{% for n, level in cells %}<td class="govuk-table__cell app-heat app-heat--{{ level }}">{{ n }}</td>{% endfor %}</tr>
      {% endfor %}
      </tbody>"""
HEAT_TAG = """{% load reporting %}<tbody class="govuk-table__body">
      {% heat_rows heat_rows %}
      </tbody>"""

ROWS = [
    ["Crisis <or> welfare & check", 12_345, None, "", 0, 2.5, Decimal("1234.50")],
    [dt.date(2026, 3, 29), -1, 1_000_000, "n/a", 7, 0.0, Decimal("0")],
    ["\"Quoted\" 'name'", 1, 2, 3, 4, 5, 6],
]


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []])
def test_table_rows_are_the_loop_exactly(language, rows):
    table = Table("k", "Title", ["Label", *[f"c{i}" for i in range(6)]], rows=rows)
    with translation.override(language):
        assert render(TABLE_TAG, table=table) == render(TABLE_LOOP, table=table)


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_heat_rows_are_the_loop_exactly(language):
    heat = [
        ("Mon <b>", [(0, 0), (12, 3), (1_500, 5)]),
        ("Tue", [(None, 0), (2, 1), (3, 2)]),
    ]
    with translation.override(language):
        assert render(HEAT_TAG, heat_rows=heat) == render(HEAT_LOOP, heat_rows=heat)
        assert render(HEAT_TAG, heat_rows=[]) == render(HEAT_LOOP, heat_rows=[])


def test_values_are_escaped():
    table = Table("k", "T", ["a", "b"], rows=[["<script>", "<b>"]])
    html = render(TABLE_TAG, table=table)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


FIGURES = [
    Table("volumes", _lazy("Incidents over time"), [_lazy("Day"), _lazy("Incidents")],
          [["2026-03-01", 4], ["2026-03-02", 12_345]], chart="line"),
    Table("k", "Title with <b> & “quotes” 'and' %(t)s %%", [_lazy("Category"), "n <1>", "x"],
          ROWS, chart="bar", note=_lazy("Not recorded")),
    Table("no-chart", _lazy("Breaches of the permitted period"), ["a", "b"], [], chart=None,
          note="A note with <i>markup</i> & 50%"),
    Table("empty-chart", "T", ["a"], [], chart="", note=""),
]  # fmt: skip


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("table", FIGURES, ids=lambda t: t.key)
@pytest.mark.parametrize(
    "query", ["", "date_from=2026-01-01&date_to=2026-03-31&npu=NPU-C", 'a=<b>&c="d"']
)
@pytest.mark.parametrize("csv_base", ["/reports/csv/KEY/", "/reports/npu/NPU-C/csv/KEY/"])
def test_report_table_is_the_include_exactly(language, table, query, csv_base):
    context = {"table": table, "query": query, "csv_base": csv_base}
    with translation.override(language):
        assert render(FIGURE_TAG, **context) == render(FIGURE_INCLUDE, **context)


def test_report_table_without_autoescape_is_the_include_exactly():
    table = FIGURES[1]
    off = "{% autoescape off %}{{ x }}{% endautoescape %}"
    tag = off.replace("{{ x }}", "{% load reporting %}{% report_table table %}")
    include = off.replace("{{ x }}", FIGURE_INCLUDE)
    context = {"table": table, "query": "a=1&b=2", "csv_base": "/r/KEY/"}
    assert render(tag, **context) == render(include, **context)
