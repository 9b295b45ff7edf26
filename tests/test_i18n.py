"""The translation check in `make test` (issue 23; scripts/i18n_check.py, docs/i18n.md):
no unmarked user-facing string, a complete Welsh catalogue (no untranslated, no fuzzy entry)
and a catalogue that makemessages would write again unchanged. Each check is also shown to fail
on a sample that breaks it."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import i18n_check  # noqa: E402


def test_every_user_facing_string_is_marked_for_translation():
    findings = [str(f) for f in i18n_check.unmarked()]
    assert findings == [], "unmarked strings (file:line: text):\n" + "\n".join(findings)


def test_the_welsh_catalogues_have_no_untranslated_or_fuzzy_entry():
    problems = i18n_check.incomplete()
    assert problems == [], "\n".join(problems)


def test_the_catalogues_hold_exactly_what_makemessages_finds():
    problems = i18n_check.stale()
    assert problems == [], (
        "run `.venv/bin/python scripts/i18n_check.py update`, translate, commit:\n"
        + "\n".join(problems)
    )


# --- the checks themselves can fail ---------------------------------------------------------


def test_the_template_scan_finds_unmarked_text_and_attributes(tmp_path):
    (tmp_path / "page.html").write_text(
        "{% load i18n %}\n"
        "<h1>{% translate 'Marked' %}</h1>\n"
        "<p>Not marked here</p>\n"
        '<a href="{{ url }}" aria-label="Open the record">{{ name }}</a>\n'
        "{% blocktranslate %}Inside a block{% endblocktranslate %}\n"
        "<script>const words = 'not text for people'</script>\n"
        "<code>Authorization: Api-Key</code> <span>12:30 &middot; {{ x }}</span> Harbour\n"
        "{# a comment #}{% comment %}Old words{% endcomment %}\n",
        encoding="utf-8",
    )
    found = [(f.line, f.text) for f in i18n_check.template_findings(tmp_path)]
    assert found == [(3, "Not marked here"), (4, 'aria-label="Open the record"')]


def test_the_python_scan_finds_unmarked_labels_messages_and_choices(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "forms.py").write_text(
        "from django import forms\n"
        "from django.contrib import messages\n"
        "from django.utils.translation import gettext_lazy as _\n"
        "class F(forms.Form):\n"
        "    a = forms.CharField(label='Given name')\n"
        "    b = forms.CharField(label=_('Family name'), help_text='Say it')\n"
        "    c = forms.CharField(error_messages={'required': 'Enter it'})\n"
        "def view(request, form):\n"
        "    messages.success(request, 'Saved.')\n"
        "    form.add_error('a', _('Marked'))\n"
        "    # i18n-ignore: an identifier\n"
        "    form.add_error(None, 'IGNORED words')\n"
        "class Kind(models.TextChoices):\n"
        "    ONE = 'one', 'One thing'\n"
        "    TWO = 'two', _('Two things')\n"
        "    CODE = 'rs', 'RS256'\n",
        encoding="utf-8",
    )
    found = [(f.line, f.text) for f in i18n_check.python_findings(tmp_path)]
    assert found == [
        (5, "Given name"),
        (6, "Say it"),
        (7, "Enter it"),
        (9, "Saved."),
        (14, "One thing"),
    ]


def test_the_law_scan_finds_refusals_written_as_plain_or_f_strings(tmp_path):
    (tmp_path / "law").mkdir()
    (tmp_path / "law" / "checks.py").write_text(
        "from .text import Text, gettext_noop\n"
        "def check(at, v):\n"
        "    v.append(Violation('C4', 'time_order', 'at', 'Correct the time.'))\n"
        "    v.append(time_order('at', f'The arrival ({at}) is late.'))\n"
        "    v.append(time_order('at', Text(gettext_noop('Late (%(at)s).'), at=at)))\n"
        "    v.append(Violation('C4', 'x', None, gettext_noop('Marked.')))\n"
        "    message = 'Record the arrival first.'\n",
        encoding="utf-8",
    )
    found = [(f.line, f.text) for f in i18n_check.python_findings(tmp_path)]
    assert found == [
        (3, "Correct the time."),
        (4, "The arrival ({...}) is late."),
        (7, "Record the arrival first."),
    ]


def test_the_catalogue_check_lists_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Yes"\nmsgstr "Ie"\n\n'
        'msgid "No"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Back"\nmsgstr "Yn ol"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s diwrnod"\n'
        'msgstr[1] ""\n',
        encoding="utf-8",
    )
    problems = i18n_check.incomplete([po])
    assert any("untranslated" in p and "1 untranslated" in p for p in problems[:1]), problems
    assert f"{po}:9: untranslated: 'No'" in problems
    assert f"{po}:13: fuzzy: 'Back'" in problems
    assert f"{po}:16: untranslated: '%(n)s day'" in problems
