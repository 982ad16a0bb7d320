"""English is complete: every catalogue entry is translated and none is fuzzy, and every string
the code and templates mark for translation is in a catalogue (found the way makemessages finds
them: Python gettext calls and Django's template lexer), so a new Spanish text without its
English fails here instead of showing up in Spanish on an English page."""

import ast
import re
from pathlib import Path

import polib
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent / "retorno"
CATALOGUES = sorted(ROOT.rglob("locale/en/LC_MESSAGES/django.po"))
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
}


def _translated() -> set[str]:
    ids = set()
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.translated() and "fuzzy" not in entry.flags and not entry.obsolete:
                ids.add(entry.msgid)
    return ids


def _python_msgids(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in GETTEXT
        ):
            args = node.args[1:] if getattr(node.func, "id", "").startswith("pgettext") else node.args
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                yield args[0].value, node.lineno


def _template_msgids(path: Path):
    """The msgids makemessages would take from a template: templatize (Django's own) turns the
    template into gettext calls for xgettext; each call is read here as a Python expression."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for match in re.finditer(r"\b(n?gettext|pgettext)\(", code):
        call = _balanced(code, match.end() - 1)
        try:
            node = ast.parse(match.group(1) + call, mode="eval").body
        except SyntaxError:
            continue
        args = node.args[1:] if match.group(1) == "pgettext" else node.args
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            yield args[0].value, 0


def _balanced(code: str, start: int) -> str:
    """code[start:] up to the parenthesis that closes code[start] ('('), skipping quoted text."""
    depth, i, quote = 0, start, None
    while i < len(code):
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return code[start : i + 1]
        i += 1
    return code[start:]


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    problems = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid[:70]}")
            elif not entry.translated():
                problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid[:70]}")
    assert problems == [], "\n".join(problems)


def test_every_marked_string_has_its_english():
    known = _translated()
    missing = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        missing += [
            f"{path.relative_to(ROOT)}:{line}: {m[:70]}" for m, line in _python_msgids(path) if m not in known
        ]
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        missing += [
            f"{path.relative_to(ROOT)}: {m[:70]}" for m, _line in _template_msgids(path) if m not in known
        ]
    assert len(known) > 1000
    assert missing == [], "\n".join(missing[:40])


def test_the_check_finds_a_string_without_english(tmp_path):
    page = tmp_path / "x.html"
    page.write_text(
        '{% load i18n %}{% translate "Texto nuevo sin traducción" %}'
        "{% blocktranslate count n=k %}{{ n }} cosa{% plural %}{{ n }} cosas{% endblocktranslate %}"
    )
    found = [m for m, _ in _template_msgids(page)]
    assert "Texto nuevo sin traducción" in found and "%(n)s cosa" in found
    assert "Texto nuevo sin traducción" not in _translated()
