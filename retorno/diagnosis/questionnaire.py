"""Questionnaires as data: schema check, answer validation, dynamic Django forms, display.

The schema is documented in docs/diagnosis.md. One definition drives the page, the API and the
rules, so a country or state edits a YAML file, not code. The engine is the single home of the
validation rules: form fields do no checking of their own, they only render and collect.
"""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from retorno.diagnosis import conditions

QUESTION_TYPES = {"select_one", "select_multiple", "integer", "text", "date", "boolean"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
DEFAULT_TEXT_MAX = 2000

# Messages (module constants so tests can import them).
MSG_REQUIRED = gettext_lazy("Esta pregunta es obligatoria.")
MSG_INVALID_CHOICE = gettext_lazy("Elija una de las opciones ofrecidas.")
MSG_INVALID_INTEGER = gettext_lazy("Escriba un número entero.")
MSG_INVALID_DATE = gettext_lazy("Escriba una fecha válida (AAAA-MM-DD).")
MSG_INVALID_BOOLEAN = gettext_lazy("Responda sí o no.")
MSG_MIN = gettext_lazy("El valor mínimo es %(limit)s.")
MSG_MAX = gettext_lazy("El valor máximo es %(limit)s.")
MSG_TOO_LONG = gettext_lazy("El texto es demasiado largo (máximo %(limit)s caracteres).")
MSG_PATTERN = gettext_lazy("El formato no es válido.")
MSG_EXCLUSIVE = gettext_lazy("La opción «%(choice)s» no se puede combinar con otras.")
MSG_UNKNOWN_QUESTION = gettext_lazy("Pregunta desconocida: %(name)s.")
MSG_INVALID_ANSWER = gettext_lazy("Respuesta no válida.")

BOOLEAN_CHOICES = [("true", gettext_lazy("Sí")), ("false", gettext_lazy("No"))]


class DefinitionError(ValueError):
    """A questionnaire file does not follow the schema; the message says where."""


def text(labels: Any, lang: str | None = None) -> str:
    """The label in `lang` (default: the active language), falling back to Spanish."""
    if labels is None:
        return ""
    if isinstance(labels, str):
        return labels
    lang = (lang or get_language() or "es")[:2]
    return str(labels.get(lang) or labels.get("es") or next(iter(labels.values()), ""))


# --- schema ------------------------------------------------------------------------------------


def questions(definition: Mapping) -> list[dict]:
    """Every question in order, each with its section's relevance folded in (`_section`)."""
    out = []
    for section in definition.get("sections", []):
        for q in section.get("questions", []):
            out.append({**q, "_section": section["name"], "_section_relevant": section.get("relevant")})
    return out


def choices_of(definition: Mapping, question: Mapping) -> list[dict]:
    ch = question.get("choices")
    if isinstance(ch, str):
        return definition.get("choice_lists", {}).get(ch, [])
    return ch or []


def validate_definition(definition: Any, where: str = "questionnaire") -> dict:
    """Check a parsed questionnaire file; return it or raise DefinitionError with the place."""
    if not isinstance(definition, Mapping):
        raise DefinitionError(f"{where}: expected a mapping")
    for key in ("code", "version", "title", "sections"):
        if key not in definition:
            raise DefinitionError(f"{where}: missing '{key}'")
    if not isinstance(definition["version"], int) or definition["version"] < 1:
        raise DefinitionError(f"{where}: 'version' must be a positive integer")
    lists = definition.get("choice_lists", {}) or {}
    for list_name, items in lists.items():
        _check_choices(items, f"{where}.choice_lists.{list_name}")
    seen: set[str] = set()
    section_names: set[str] = set()
    for s_i, section in enumerate(definition["sections"]):
        s_where = f"{where}.sections[{s_i}]"
        if not NAME_RE.match(str(section.get("name", ""))) or section["name"] in section_names:
            raise DefinitionError(f"{s_where}: 'name' missing, invalid or repeated")
        section_names.add(section["name"])
        if "relevant" in section:
            _check_condition(section["relevant"], seen, f"{s_where}.relevant")
        for q_i, q in enumerate(section.get("questions", [])):
            q_where = f"{s_where}.questions[{q_i}]"
            name = q.get("name")
            if not isinstance(name, str) or not NAME_RE.match(name):
                raise DefinitionError(f"{q_where}: invalid name {name!r} (lowercase letters, digits, _)")
            if name in seen:
                raise DefinitionError(f"{q_where}: repeated question name '{name}'")
            q_where = f"{where}: question '{name}'"
            if q.get("type") not in QUESTION_TYPES:
                raise DefinitionError(f"{q_where}: type must be one of {sorted(QUESTION_TYPES)}")
            if "label" not in q:
                raise DefinitionError(f"{q_where}: missing 'label'")
            if q["type"] in ("select_one", "select_multiple"):
                ch = q.get("choices")
                if isinstance(ch, str) and ch not in lists:
                    raise DefinitionError(f"{q_where}: unknown choice list '{ch}'")
                if not isinstance(ch, str):
                    _check_choices(ch, q_where)
                values = {c["value"] for c in choices_of(definition, q)}
                for ex in q.get("exclusive", []):
                    if ex not in values:
                        raise DefinitionError(f"{q_where}: exclusive choice '{ex}' is not a choice")
            if "relevant" in q:
                # Relevance may only look back: the form is answered top to bottom.
                _check_condition(q["relevant"], seen, f"{q_where}.relevant")
            seen.add(name)
            for c_i, cons in enumerate(q.get("constraints", [])):
                if "condition" not in cons or "message" not in cons:
                    raise DefinitionError(f"{q_where}.constraints[{c_i}]: needs 'condition' and 'message'")
                _check_condition(cons["condition"], seen, f"{q_where}.constraints[{c_i}]")
            if "prefill" in q and not isinstance(q["prefill"], str):
                raise DefinitionError(f"{q_where}: 'prefill' names a reception fact, e.g. event.documents")
            if "pattern" in q:
                try:
                    re.compile(q["pattern"])
                except re.error as exc:
                    raise DefinitionError(f"{q_where}: bad pattern: {exc}") from exc
    for sc in definition.get("scores", []) or []:
        missing = [n for n in sc.get("sum", []) if n not in seen]
        if not NAME_RE.match(str(sc.get("name", ""))) or not sc.get("sum") or missing:
            raise DefinitionError(f"{where}: score {sc.get('name')!r} needs a name and known 'sum' questions")
    return dict(definition)


def _check_choices(items: Any, where: str) -> None:
    if not isinstance(items, list) or not items:
        raise DefinitionError(f"{where}: choices must be a non-empty list")
    values = set()
    for c in items:
        # YAML reads bare yes/no as booleans: insist on text so codes stay codes.
        if not isinstance(c, Mapping) or not isinstance(c.get("value"), str) or "label" not in c:
            raise DefinitionError(
                f"{where}: each choice needs a text 'value' (quote it) and a 'label': {c!r}"
            )
        if c["value"] in values:
            raise DefinitionError(f"{where}: repeated choice '{c['value']}'")
        values.add(c["value"])


def _check_condition(cond: Any, known: set[str], where: str) -> None:
    try:
        conditions.check(cond, where)
    except conditions.ConditionError as exc:
        raise DefinitionError(str(exc)) from exc
    unknown = {f for f in conditions.fields_used(cond) if "." not in f} - known
    if unknown:
        raise DefinitionError(f"{where}: refers to unknown or later question(s) {sorted(unknown)}")


# --- answers -----------------------------------------------------------------------------------


def _coerce(definition: Mapping, q: Mapping, raw: Any) -> tuple[Any, str | None]:
    """(typed value or None if empty, error message or None)."""
    kind = q["type"]
    if kind == "select_multiple":
        if raw in (None, ""):
            return None, None
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            return None, str(MSG_INVALID_CHOICE)
        values = list(dict.fromkeys(v for v in values if v != ""))
        if not values:
            return None, None
        allowed = {c["value"] for c in choices_of(definition, q)}
        if any(v not in allowed for v in values):
            return None, str(MSG_INVALID_CHOICE)
        for ex in q.get("exclusive", []):
            if ex in values and len(values) > 1:
                label = next(text(c["label"]) for c in choices_of(definition, q) if c["value"] == ex)
                return None, str(MSG_EXCLUSIVE) % {"choice": label}
        return values, None
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else None
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None, None
    if kind == "select_one":
        allowed = {c["value"] for c in choices_of(definition, q)}
        return (raw, None) if isinstance(raw, str) and raw in allowed else (None, str(MSG_INVALID_CHOICE))
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true", None
        return None, str(MSG_INVALID_BOOLEAN)
    if kind == "integer":
        if isinstance(raw, bool) or isinstance(raw, float | dict):
            return None, str(MSG_INVALID_INTEGER)
        try:
            value = int(str(raw).strip())
        except ValueError:
            return None, str(MSG_INVALID_INTEGER)
        if "min" in q and value < q["min"]:
            return None, str(MSG_MIN) % {"limit": q["min"]}
        if "max" in q and value > q["max"]:
            return None, str(MSG_MAX) % {"limit": q["max"]}
        return value, None
    if kind == "date":
        try:
            value = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
        except ValueError:
            return None, str(MSG_INVALID_DATE)
        low, high = conditions._resolve(q.get("min")), conditions._resolve(q.get("max"))
        if isinstance(low, str):
            low = date.fromisoformat(low)
        if isinstance(high, str):
            high = date.fromisoformat(high)
        if low and value < low:
            return None, str(MSG_MIN) % {"limit": date_format(low, "SHORT_DATE_FORMAT")}
        if high and value > high:
            return None, str(MSG_MAX) % {"limit": date_format(high, "SHORT_DATE_FORMAT")}
        return value, None
    # text
    if not isinstance(raw, str | int):
        return None, str(MSG_INVALID_ANSWER)
    value = str(raw).strip()
    limit = q.get("max_length", DEFAULT_TEXT_MAX)
    if len(value) > limit:
        return None, str(MSG_TOO_LONG) % {"limit": limit}
    if "pattern" in q and not re.fullmatch(q["pattern"], value):
        return None, text(q.get("pattern_message")) or str(MSG_PATTERN)
    return value, None


def prefilled(definition: Mapping, context: Mapping[str, Any]) -> dict[str, Any]:
    """Initial answers of a new form from what reception already recorded: each question with
    `prefill: <fact>` starts with that fact, keeping only values that are among its choices."""
    initial: dict[str, Any] = {}
    for q in questions(definition):
        fact = q.get("prefill")
        if not fact or context.get(fact) in (None, "", []):
            continue
        value = context[fact]
        if q["type"] in ("select_one", "select_multiple"):
            allowed = {c["value"] for c in choices_of(definition, q)}
            values = [v for v in (value if isinstance(value, list) else [value]) if v in allowed]
            if not values:
                continue
            value = values if q["type"] == "select_multiple" else values[0]
        initial[q["name"]] = value
    return initial


def validate_answers(
    definition: Mapping,
    raw: Mapping[str, Any],
    *,
    draft: bool = False,
    context: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean raw answers against the definition.

    Returns (answers, errors). `answers` holds only relevant, non-empty answers, JSON-ready
    (dates as ISO strings); irrelevant ones are dropped whatever was sent. `errors` maps a
    question name (or "__all__") to messages in the active language; empty means valid.
    A draft skips the "required" check only: types and constraints still apply.
    `context` adds reception facts (`person.sex`, `person.age`...) that conditions may read.
    """
    known = {q["name"] for q in questions(definition)}
    errors: dict[str, list[str]] = {}
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        errors["__all__"] = [str(MSG_UNKNOWN_QUESTION) % {"name": ", ".join(unknown[:5])}]
    typed: dict[str, Any] = dict(context or {})
    section_ok: dict[str, bool] = {}
    for q in questions(definition):
        name, sec = q["name"], q["_section"]
        if sec not in section_ok:
            cond = q["_section_relevant"]
            section_ok[sec] = cond is None or conditions.evaluate(cond, typed)
        if not section_ok[sec] or ("relevant" in q and not conditions.evaluate(q["relevant"], typed)):
            continue
        value, error = _coerce(definition, q, raw.get(name))
        if error:
            errors.setdefault(name, []).append(error)
            continue
        if value is None:
            if q.get("required") and not draft:
                errors.setdefault(name, []).append(str(MSG_REQUIRED))
            continue
        typed[name] = value
        for cons in q.get("constraints", []):
            if not conditions.evaluate(cons["condition"], typed):
                errors.setdefault(name, []).append(text(cons["message"]))
    return to_json({k: v for k, v in typed.items() if k in known}), errors


def to_json(typed: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in typed.items()}


def typed_answers(definition: Mapping, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Stored (JSON) answers back to Python values: dates become `date` for comparisons."""
    types = {q["name"]: q["type"] for q in questions(definition)}
    out = {}
    for k, v in answers.items():
        if types.get(k) == "date" and isinstance(v, str):
            try:
                v = date.fromisoformat(v)
            except ValueError:
                continue
        out[k] = v
    return out


def compute_scores(definition: Mapping, answers: Mapping[str, Any]) -> dict[str, int]:
    """Named sums (e.g. the K6 total). A score with any item unanswered is left out, not guessed."""
    out = {}
    for sc in definition.get("scores", []) or []:
        items = [answers.get(n) for n in sc["sum"]]
        values = []
        for q_name, v in zip(sc["sum"], items, strict=True):
            q = next(q for q in questions(definition) if q["name"] == q_name)
            if q["type"] == "integer" and isinstance(v, int):
                values.append(v)
            elif q["type"] == "select_one" and v is not None:
                choice = next((c for c in choices_of(definition, q) if c["value"] == v), None)
                if choice is None or not isinstance(choice.get("score"), int | float):
                    break  # e.g. "prefiere no responder": no score
                values.append(choice["score"])
            else:
                break
        else:
            out[sc["name"]] = sum(values)
    return out


def relevant_names(
    definition: Mapping, raw: Mapping[str, Any], context: Mapping[str, Any] | None = None
) -> set[str]:
    """Names of the questions relevant given the (possibly partial) raw answers: for skip logic."""
    typed: dict[str, Any] = dict(context or {})
    shown = set()
    section_ok: dict[str, bool] = {}
    for q in questions(definition):
        sec = q["_section"]
        if sec not in section_ok:
            cond = q["_section_relevant"]
            section_ok[sec] = cond is None or conditions.evaluate(cond, typed)
        if not section_ok[sec] or ("relevant" in q and not conditions.evaluate(q["relevant"], typed)):
            continue
        shown.add(q["name"])
        value, error = _coerce(definition, q, raw.get(q["name"]))
        if value is not None and not error:
            typed[q["name"]] = value
    return shown


def display_answers(definition: Mapping, answers: Mapping[str, Any], lang: str | None = None) -> list[dict]:
    """Sections with their answered questions as (label, shown value), in the version's labels."""
    out = []
    for section in definition.get("sections", []):
        rows = []
        for q in section.get("questions", []):
            if q["name"] not in answers:
                continue
            value = answers[q["name"]]
            if q["type"] in ("select_one", "select_multiple"):
                labels = {c["value"]: text(c["label"], lang) for c in choices_of(definition, q)}
                vals = value if isinstance(value, list) else [value]
                shown = ", ".join(labels.get(v, v) for v in vals)
            elif q["type"] == "boolean":
                shown = str(_("Sí")) if value else str(_("No"))
            else:
                shown = str(value)
            rows.append({"name": q["name"], "label": text(q["label"], lang), "value": shown})
        if rows:
            out.append({"name": section["name"], "label": text(section.get("label"), lang), "rows": rows})
    return out


# --- forms -------------------------------------------------------------------------------------


class _RawField(forms.Field):
    """Collects what the widget posted, unchecked: validate_answers is the one place of rules."""


def _widget(definition: Mapping, q: Mapping):
    kind = q["type"]
    attrs = {"aria-describedby": f"hint-{q['name']}"} if q.get("hint") else {}
    if kind in ("select_one", "select_multiple"):
        choices = [(c["value"], text(c["label"])) for c in choices_of(definition, q)]
        if kind == "select_multiple":
            return forms.CheckboxSelectMultiple(choices=choices, attrs=attrs)
        if len(choices) > 6:
            return forms.Select(choices=[("", "—"), *choices], attrs=attrs)
        return forms.RadioSelect(choices=choices, attrs=attrs)
    if kind == "boolean":
        return forms.RadioSelect(choices=BOOLEAN_CHOICES, attrs=attrs)
    if kind == "integer":
        for key in ("min", "max"):
            if key in q:
                attrs[key] = q[key]
        return forms.NumberInput(attrs={**attrs, "step": 1})
    if kind == "date":
        return forms.DateInput(attrs={**attrs, "type": "date"}, format="%Y-%m-%d")
    if q.get("long"):
        return forms.Textarea(attrs={**attrs, "rows": 3, "maxlength": q.get("max_length", DEFAULT_TEXT_MAX)})
    return forms.TextInput(attrs={**attrs, "maxlength": q.get("max_length", DEFAULT_TEXT_MAX)})


class QuestionnaireForm(forms.Form):
    """A form whose fields come from a definition; clean() runs validate_answers.

    After is_valid(), `self.answers` holds the cleaned, relevance-filtered answers.
    """

    def __init__(
        self, *args, definition: Mapping, draft: bool = False, context: Mapping | None = None, **kwargs
    ):
        self.definition = definition
        self.draft = draft
        self.context = context or {}
        self.answers: dict[str, Any] = {}
        super().__init__(*args, **kwargs)
        for q in questions(definition):
            initial = self.initial.get(q["name"])
            if q["type"] == "boolean" and isinstance(initial, bool):
                self.initial[q["name"]] = "true" if initial else "false"
            self.fields[q["name"]] = _RawField(
                required=False,
                label=text(q["label"]),
                help_text=text(q.get("hint")),
                widget=_widget(definition, q),
            )
            self.fields[q["name"]].answer_required = bool(q.get("required"))

    def clean(self):
        raw = {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
        self.answers, errors = validate_answers(self.definition, raw, draft=self.draft, context=self.context)
        for name, messages in errors.items():
            for m in messages:
                self.add_error(None if name == "__all__" else name, m)
        return self.cleaned_data

    def sections(self) -> list[dict]:
        """Bound fields grouped by section, for the template."""
        out = []
        for section in self.definition["sections"]:
            out.append(
                {
                    "name": section["name"],
                    "label": text(section.get("label")),
                    "hint": text(section.get("hint")),
                    "sensitive": section.get("sensitive", False),
                    "fields": [self[q["name"]] for q in section.get("questions", [])],
                }
            )
        return out
