"""The report tables' body rows and the heatmap's are built by template tags (for speed): the
HTML must be exactly what the template loops they replace gave, for every kind of value."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

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
