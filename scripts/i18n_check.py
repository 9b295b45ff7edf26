"""Harbour's translation check (issue 23; docs/i18n.md).

    .venv/bin/python scripts/i18n_check.py            # every check; exit 1 and a list if any fails
    .venv/bin/python scripts/i18n_check.py update     # makemessages for both catalogues
    .venv/bin/python scripts/i18n_check.py unmarked   # only the unmarked-string scan

The checks (tests/test_i18n.py runs each of them in `make test`):

1. **unmarked**: text a person reads that is not marked for translation,
   - in templates: text between tags, and the words of `aria-label`, `title`, `alt`,
     `placeholder` and the countdown scripts' `data-*` words, outside `{% translate %}`,
     `{% blocktranslate %}`, comments, `<script>` and `<style>`; whitespace, punctuation,
     numbers, entities, template variables and the allow-list below are ignored;
   - in Python: a plain string literal given as `label=`, `help_text=`, `verbose_name=`,
     `verbose_name_plural=`, `empty_label=`, `title=` or `error_messages` values, as the message
     of `messages.success/info/warning/error(...)` or of `ValidationError(...)` /
     `add_error(field, ...)`, and as the label of a `TextChoices`/`IntegerChoices` member;
   - in `law/` (no Django): a refusal's message that is a bare literal or an f-string instead of
     `gettext_noop(...)` / `Text(gettext_noop(...), ...)` (law/text.py);
   each finding is printed as `file:line: text`. A Python line that is not words a person reads
   (an actor's label in the logs, a filter's parameter name) says so with `# i18n-ignore`; text
   inside `<code>`/`<pre>`/`<kbd>`/`<samp>` and codes in capitals (`RS256`) are not words.
2. **catalogue**: `msgfmt --check --statistics` on every `locale/cy/LC_MESSAGES/*.po`: no
   untranslated and no fuzzy message (each listed as `file:line: msgid`).
3. **up to date**: makemessages run afresh (into a temporary folder) finds the same message ids
   as the committed catalogues: a string marked but not in the catalogue, or a catalogue
   entry nothing uses any more, is listed.

Limits (said honestly): the template scan sees text, not meaning, so a word inside a variable
(`{{ "Yes" }}`), text a filter or tag builds, and strings a view passes to a template without
marking them are not found; the Python scan finds only the patterns above (a bare literal put
in a dict, a list of CSV headings or an f-string returned from a helper is not found: those were
marked by reading the code). JavaScript words must use `gettext()` from the djangojs catalogue;
the scan does not read JavaScript.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGE = "cy"
DOMAINS = ("django", "djangojs")

# What makemessages reads (both domains), and how: no source locations (the catalogue does not
# change when a line moves) and no obsolete entries.
IGNORE = (
    ".venv",
    ".i18n-check-*",
    "locale",  # else makemessages writes into the first "locale" folder it walks past
    "node_modules",
    "static_build",
    "staticfiles",
    "media",
    "tests",
    "bench",
    "docs",
    "deploy",
    "docker",
    "test-artifacts",
    "build",
)
MAKEMESSAGES_OPTIONS = ["--no-location", "--no-obsolete", "--no-wrap"]


def makemessages_args(domain: str) -> list[str]:
    args = ["makemessages", "-l", LANGUAGE, "-d", domain, *MAKEMESSAGES_OPTIONS]
    for name in IGNORE:
        args.append(f"--ignore={name}")
    if domain == "djangojs":
        args.append("--ignore=templates")
    return args


# --- 1. unmarked strings --------------------------------------------------------------------

# Text that is the same in every language: names of the service and of languages (each written
# in its own language, the GOV.UK pattern), units and codes.
ALLOW = {
    "Harbour",
    "English",
    "Cymraeg",
    "Change the language:",  # the switcher's hidden words, each in its own language
    "Newid yr iaith:",
    "GOV.UK",
    "NHS",
    "API",
    "JSON",
    "CSV",
    "OpenAPI",
    "ReDoc",
    "s136",
    "s135",
    "AMHP",
    "ID",
    "Ref",
    "UTC",
    "h",
    "min",
    "s",
    "v",
    "TOTP",
}
# Templates that are not pages people read in the service (the API documentation's shell, the
# test identity provider's page, a bare server error page with no request context).
SKIP_TEMPLATES = {"drf_spectacular/redoc.html"}
TEXT_ATTRIBUTES = {
    "aria-label",
    "title",
    "alt",
    "placeholder",
    "data-label",
    "data-left",
    "data-overdue",
    "data-since",
    "data-missed-label",
    "data-text-left",
    "data-text-missed",
    "data-updated-message",
}
# Elements whose text is code or a sample, not words (an API key header, a secret).
CODE_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}
# A literal that is a code, not words: RS256, ES256, W1 ...
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.:/-]*$")
PLACEHOLDER = "\x00"
_WORD = re.compile(r"[^\W\d_]{2,}|\b[^\W\d_]\b", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _is_text(value: str) -> str | None:
    """The words of `value` a person reads, or None when there are none."""
    value = html.unescape(value.replace(PLACEHOLDER, " "))
    value = " ".join(value.split())
    if not value or value in ALLOW or _CODE.match(value):
        return None
    words = [w for w in _WORD.findall(value) if w not in ALLOW]
    return value if words else None


def _blank(text: str) -> str:
    """A stand-in for template syntax that keeps the line count (and reads as no text)."""
    return PLACEHOLDER + "\n" * text.count("\n")


def _template_source(source: str) -> str:
    """The template with its tags, variables, comments, translated blocks and verbatim blocks
    replaced by placeholders (line numbers kept)."""
    from django.template.base import Lexer, TokenType

    out: list[str] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.TEXT:
            out.append(_blank(raw) if skip_until else raw)
            continue
        if token.token_type == TokenType.BLOCK:
            name = raw.split()[0] if raw.split() else ""
            if skip_until:
                if name == skip_until:
                    skip_until = None
                out.append(_blank(raw))
                continue
            if name in ("blocktranslate", "blocktrans"):
                skip_until = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
            elif name == "comment":
                skip_until = "endcomment"
            elif name == "verbatim":
                skip_until = "endverbatim"
            out.append(_blank(raw))
            continue
        out.append(_blank(raw))  # variables, comments
    return "".join(out)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self._skip += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                text = _is_text(value)
                if text:
                    self.found.append((self.getpos()[0], f'{name}="{text}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in CODE_ELEMENTS:
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        text = _is_text(data)
        if text:
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self.found.append((line, text))

    def handle_entityref(self, name):
        pass

    def handle_charref(self, name):
        pass


def template_findings(template_dir: Path) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(template_dir.rglob("*.html")):
        rel = path.relative_to(template_dir).as_posix()
        if rel in SKIP_TEMPLATES:
            continue
        collector = _TextCollector()
        collector.feed(_template_source(path.read_text(encoding="utf-8")))
        collector.close()
        shown = _shown(path)
        findings += [Finding(shown, line, text) for line, text in collector.found]
    return findings


TEXT_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "title",
}
MESSAGE_FUNCTIONS = {"success", "info", "warning", "error"}
PYTHON_SKIP_PARTS = {".venv", "node_modules", "tests", "migrations", "bench", "static_build"}
PYTHON_SKIP_FILES = {"scripts/i18n_check.py"}


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{...}" for v in node.values)
    return None


class _PythonScan(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str]):
        self.path = path
        self.lines = lines
        self.found: list[Finding] = []

    def _flag(self, node, text: str | None):
        if text is None or not _is_text(text):
            return
        # `# i18n-ignore` on the line (or the line before): not words a person reads.
        around = self.lines[max(0, node.lineno - 2) : node.lineno]
        if any("i18n-ignore" in line for line in around):
            return
        self.found.append(Finding(self.path, node.lineno, text))

    def visit_ClassDef(self, node):
        bases = {getattr(b, "attr", getattr(b, "id", "")) for b in node.bases}
        is_choices = bool(bases & {"TextChoices", "IntegerChoices", "Choices"})
        if is_choices:
            for stmt in node.body:
                value = getattr(stmt, "value", None)
                is_pair = isinstance(value, ast.Tuple) and len(value.elts) >= 2
                if isinstance(stmt, ast.Assign) and is_pair:
                    self._flag(value.elts[-1], _literal(value.elts[-1]))
        self.generic_visit(node)

    def visit_Call(self, node):
        for kw in node.keywords:
            if kw.arg in TEXT_KEYWORDS:
                self._flag(kw.value, _literal(kw.value))
            if kw.arg == "error_messages" and isinstance(kw.value, ast.Dict):
                for value in kw.value.values:
                    self._flag(value, _literal(value))
        func = node.func
        name = getattr(func, "attr", getattr(func, "id", ""))
        owner = getattr(getattr(func, "value", None), "id", "")
        if owner == "messages" and name in MESSAGE_FUNCTIONS and len(node.args) >= 2:
            self._flag(node.args[1], _literal(node.args[1]))
        if name == "ValidationError" and node.args:
            self._flag(node.args[0], _literal(node.args[0]))
        if name == "add_error" and len(node.args) >= 2:
            self._flag(node.args[1], _literal(node.args[1]))
        self.generic_visit(node)


def python_findings(root: Path = ROOT) -> list[Finding]:
    """The Python scan over `root` (the project's apps; tests, migrations and law left out)."""
    findings: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if PYTHON_SKIP_PARTS & set(rel.parts) or rel.as_posix() in PYTHON_SKIP_FILES:
            continue
        source = path.read_text(encoding="utf-8")
        if rel.parts[0] == "law":  # plain Python: its own marks (law/text.py)
            findings += _law_findings(rel.as_posix(), source)
            continue
        scan = _PythonScan(rel.as_posix(), source.splitlines())
        scan.visit(ast.parse(source, filename=str(path)))
        findings += scan.found
    return findings


def _law_findings(path: str, source: str) -> list[Finding]:
    """In `law/`: a refusal's message (`Violation(rule, code, attr, message)`,
    `time_order(attr, message)`, `message = ...`) that is a bare literal or an f-string instead
    of `gettext_noop("...")` or `Text(gettext_noop("..."), ...)`."""
    found: list[Finding] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        value = None
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "Violation" and len(node.args) >= 4:
                value = node.args[3]
            elif name == "time_order" and len(node.args) >= 2:
                value = node.args[1]
        elif isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "message"
        ]:
            value = node.value
        text = _literal(value) if value is not None else None
        if text is not None and _is_text(text):
            found.append(Finding(path, value.lineno, text))
    return sorted(found, key=lambda f: f.line)


def unmarked() -> list[Finding]:
    return template_findings(ROOT / "templates") + python_findings()


# --- 2. the catalogue is complete -----------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    msgstr: list[str]
    fuzzy: bool
    line: int

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text else ""


def read_po(path: Path) -> list[Entry]:
    """The catalogue's entries (the header, msgid "", left out; obsolete entries too)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    current: str | None = None
    start = 0

    def flush():
        nonlocal fields, flags, current
        if "msgid" in fields and fields["msgid"] != "":
            msgstr = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr"))]
            entries.append(
                Entry(
                    fields["msgid"],
                    fields.get("msgid_plural"),
                    fields.get("msgctxt"),
                    msgstr,
                    "fuzzy" in flags,
                    start,
                )
            )
        fields, flags, current = {}, set(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line:
            flush()
            continue
        if line.startswith("#,"):
            if any(k.startswith("msgstr") for k in fields):
                flush()
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key, value = match.groups()
            if key in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
                flush()
            if key in ("msgctxt", "msgid") and "msgctxt" not in fields and "msgid" not in fields:
                start = number
            fields[key] = _unquote(value)
            current = key
        elif line.startswith('"') and current:
            fields[current] += _unquote(line)
    flush()
    return entries


def catalogue_paths() -> list[Path]:
    return [LOCALE / LANGUAGE / "LC_MESSAGES" / f"{domain}.po" for domain in DOMAINS]


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def incomplete(paths: list[Path] | None = None) -> list[str]:
    """msgfmt's complaints, then each untranslated or fuzzy entry as file:line: msgid."""
    problems: list[str] = []
    for path in paths or catalogue_paths():
        shown = _shown(path)
        if not path.exists():
            problems.append(f"{shown}: missing (run: scripts/i18n_check.py update)")
            continue
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
        )
        stats = result.stderr.strip()
        if result.returncode != 0:
            problems.append(f"{shown}: msgfmt --check failed: {stats}")
        if "untranslated" in stats or "fuzzy" in stats:
            problems.append(f"{shown}: {stats}")
        for entry in read_po(path):
            if entry.fuzzy:
                problems.append(f"{shown}:{entry.line}: fuzzy: {entry.msgid!r}")
            elif not all(entry.msgstr):
                problems.append(f"{shown}:{entry.line}: untranslated: {entry.msgid!r}")
    return problems


# --- 3. the catalogue is up to date ---------------------------------------------------------


def fresh_catalogues(into: Path) -> dict[str, Path]:
    """makemessages run with the committed options, writing into `into` instead of locale/."""
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    if not settings.configured:
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.test")
        django.setup()
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with override_settings(LOCALE_PATHS=[str(into)]):
            for domain in DOMAINS:
                call_command(*makemessages_args(domain), verbosity=0)
    finally:
        os.chdir(here)
    return {d: into / LANGUAGE / "LC_MESSAGES" / f"{d}.po" for d in DOMAINS}


def stale() -> list[str]:
    problems: list[str] = []
    # makemessages writes each file's messages to the first of LOCALE_PATHS whose parent folder
    # holds the file: a locale folder directly under the project's root catches them all.
    tmp = Path(tempfile.mkdtemp(prefix=".i18n-check-", dir=ROOT))
    try:
        fresh = fresh_catalogues(tmp)
        for domain, path in zip(DOMAINS, catalogue_paths(), strict=True):
            shown = path.relative_to(ROOT).as_posix()
            committed = {e.key: e for e in read_po(path)} if path.exists() else {}
            found = {e.key: e for e in read_po(fresh[domain])} if fresh[domain].exists() else {}
            for key in found.keys() - committed.keys():
                problems.append(f"{shown}: missing (marked in the code): {key[1]!r}")
            for key in committed.keys() - found.keys():
                entry = committed[key]
                problems.append(f"{shown}:{entry.line}: stale (nothing uses it): {key[1]!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sorted(problems)


def update() -> None:
    """makemessages for both catalogues (new ids added untranslated, unused ones dropped)."""
    import os

    from django.core.management import call_command

    os.chdir(ROOT)
    for domain in DOMAINS:
        call_command(*makemessages_args(domain))


def _setup() -> None:
    import os

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.test")
    django.setup()


def main(argv: list[str]) -> int:
    _setup()
    what = argv[1] if len(argv) > 1 else "all"
    if what == "update":
        update()
        return 0
    sections = {
        "unmarked": lambda: [str(f) for f in unmarked()],
        "catalogue": incomplete,
        "stale": stale,
    }
    chosen = sections if what == "all" else {what: sections[what]}
    failed = False
    for name, run in chosen.items():
        problems = run()
        print(f"{name}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
