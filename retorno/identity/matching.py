"""Match-before-create at the desk: likely existing persons for the data being typed.

Uses the same model as the batch linkage (retorno.identity.scoring, data/linkage/model.json): the
same RENAPO normalisation and nickname expansion, the same comparison levels, and the trained
m/u values turned into a match probability in Python (no Splink round-trip per request).
Candidates come from indexed lookups on Person (CURP; birth date, also with day and month
swapped, with either surname or a given-name variant; surname with given name in the month of
birth; surnames typed in the other order), each bounded so that HERNANDEZ JOSE stays fast.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from retorno.identity import names
from retorno.identity.models import Person
from retorno.identity.scoring import features, saved_model, score_pair, thresholds

# Per-block cap keeps the lookup bounded for very common names (HERNANDEZ JUAN...).
BLOCK_LIMIT = 200
# Probability above which a candidate is shown as a near-certain match.
CERTAIN_PROBABILITY = 0.999

# Comparison name in the model -> reason code shown at the desk.
_REASON_CODES = {
    "curp": "curp",
    "given_name": "given_name",
    "surnames": "surname",
    "birth_date": "birth_date",
    "sex": "sex",
    "birth_state": "birth_state",
}


@dataclass(frozen=True)
class MatchQuery:
    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    sex: str = ""
    birth_date: date | None = None
    birth_state: str = ""  # CURP state code
    curp: str = ""


@dataclass(frozen=True)
class MatchCandidate:
    person_id: int
    score: float  # 0..1: the model's match probability
    band: str  # 'certain' | 'probable' | 'possible'
    reasons: tuple[str, ...] = field(default_factory=tuple)  # agreeing evidence, strongest first
    match_weight: float = 0.0  # log2 Bayes factor including the prior (Splink's match_weight)
    levels: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (comparison, level label)
    # The candidate's identifying fields as read for scoring, so that showing the candidate
    # needs no second query: (given_names, first_surname, second_surname, sex, birth_date,
    # birth state code, CURP, birth state name).
    person_row: tuple = field(default=(), compare=False, repr=False)


def _swapped(d: date | None) -> date | None:
    if d is None or d.day > 12 or d.day == d.month:
        return None
    try:
        return d.replace(month=d.day, day=d.month)
    except ValueError:
        return None


def _years_off(d: date | None) -> list[date]:
    out = []
    for year in (d.year - 1, d.year + 1) if d else ():
        try:
            out.append(d.replace(year=year))
        except ValueError:  # 29 February
            out.append(d.replace(year=year, day=28))
    return out


def query_features(q: MatchQuery) -> dict:
    return features(
        given_names=q.given_names,
        first_surname=q.first_surname,
        second_surname=q.second_surname,
        sex=(q.sex or "").upper(),
        birth_date=q.birth_date,
        birth_state=(q.birth_state or "").upper(),
        curp=q.curp,
    )


def person_features(p: Person) -> dict:
    return _row_features(
        (
            p.pk,
            p.given_names,
            p.first_surname,
            p.second_surname,
            p.sex,
            p.birth_date,
            p.birth_state.code if p.birth_state_id else "",
            p.curp,
        )
    )


# Columns of a candidate row, in the order _row_features reads them (birth_state_id is turned
# into the state's code from the reference snapshot).
_ROW_COLUMNS = (
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_state_id",
    "curp",
)


def _row_features(row: tuple) -> dict:
    _, given, first, second, sex, birth, state, curp = row[:8]
    return features(
        given_names=given,
        first_surname=first,
        second_surname=second,
        sex=sex,
        birth_date=birth,
        birth_state=state or "",
        curp=curp,
    )


# A block is a conjunction of (column, operator, value) on Person; operators: =, >=, <, IN.
Block = tuple[tuple[str, str, object], ...]


def _block_limit(block: Block) -> int:
    """BLOCK_LIMIT rows per birth date a block asks for: the typed date, its swap and the years
    one off are one block (one index scan with an IN list, a quarter of the planning of four
    blocks) that may return as many rows as the four would."""
    dates = [value for column, op, value in block if column == "birth_date" and op == "IN"]
    return BLOCK_LIMIT * (len(dates[0]) if dates else 1)


def _block_sql(block: Block, adapt) -> tuple[str, list]:
    conditions, params = ["merged_into_id IS NULL", "blocked_at IS NULL"], []
    for column, op, value in block:
        values = list(value) if op == "IN" else [value]
        values = [adapt(v) for v in values]
        placeholders = ", ".join(["%s"] * len(values))
        conditions.append(f"{column} IN ({placeholders})" if op == "IN" else f"{column} {op} %s")
        params += values
    table = Person._meta.db_table
    columns = ", ".join(_ROW_COLUMNS)
    where = " AND ".join(conditions)
    return f"SELECT {columns} FROM {table} WHERE {where} LIMIT {_block_limit(block)}", params


def _candidate_rows(blocks: list[Block]) -> dict[int, tuple]:
    """Rows of live persons in any block, each block capped (_block_limit), in one round trip.

    Written as SQL rather than an ORM union: this runs on every keystroke pause at the desk and
    on every registration, and compiling the eight-block ORM union cost more CPU (about 1.3 ms)
    than the database spent answering it. The SQL is the same on PostgreSQL and SQLite (each
    block wrapped in a derived table, so its LIMIT is allowed inside UNION ALL)."""
    if not blocks:
        return {}
    from retorno.reference.cache import reference_snapshot

    def adapt(value):
        return connection.ops.adapt_datefield_value(value) if isinstance(value, date) else value

    parts, params = [], []
    for i, block in enumerate(blocks):
        sql, block_params = _block_sql(block, adapt)
        parts.append(f"SELECT * FROM ({sql}) AS b{i}")
        params += block_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        fetched = cursor.fetchall()
    states = reference_snapshot().states_by_id
    rows = {}
    for row in fetched:
        birth = row[5]
        if isinstance(birth, str):  # SQLite returns the date as text through a raw cursor
            birth = date.fromisoformat(birth)
        state = states.get(row[6])
        rows[row[0]] = (*row[:5], birth, state.code if state else "", row[7], str(state) if state else "")
    return rows


def given_key_variants(given_names: str) -> list[str]:
    """Person.key_given values that may denote the same given name: the typed key, the
    nickname-expanded key, and the nicknames of that name ('Guadalupe' -> GUADALUPE, LUPE...)."""
    canonical = names.canonical_given_name(given_names)
    variants = {names.key(names.significant_given_name(given_names)), canonical}
    for nick, formals in names.nickname_map().items():
        if canonical in formals:
            variants.add(nick)
    return sorted(v for v in variants if v)


def _blocks(q: MatchQuery, f: dict) -> list[Block]:
    first, second = f["sn1"], f["sn2"]
    given = tuple(given_key_variants(q.given_names))
    blocks: list[Block] = []
    if f["curp"]:
        blocks.append((("curp", "=", f["curp"]),))
    # The typed date, day and month swapped, and the year one off (with a surname typo the
    # returning person is still met by the given name, with a given-name typo by the surname).
    dates = tuple(d for d in (q.birth_date, _swapped(q.birth_date), *_years_off(q.birth_date)) if d)
    # The given name among the surnames too: typed in each other's field (a US document's order),
    # the returning person's first surname is what was typed as the given name.
    surnames = tuple(dict.fromkeys(s for s in (first, second, f["given_key"]) if s))
    if dates and surnames:
        blocks.append((("birth_date", "IN", dates), ("key_first_surname", "IN", surnames)))
    if dates and given:
        blocks.append((("birth_date", "IN", dates), ("key_given", "IN", given)))
    if given:
        near: Block = ()
        if q.birth_date:
            # Same month of the same year: a mistyped day still meets its record, and the block
            # stays small for HERNANDEZ JOSE LUIS (a +-1 year window returned thousands of rows).
            d = q.birth_date
            month_start = d.replace(day=1)
            next_month = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            near = (("birth_date", ">=", month_start), ("birth_date", "<", next_month))
        if first:
            blocks.append((("key_first_surname", "=", first), ("key_given", "IN", given), *near))
        if second:
            # Surnames typed in the other order, or the first one missing.
            blocks.append((("key_first_surname", "=", second), ("key_given", "IN", given), *near))
    return blocks


def _band(probability: float, curp_exact: bool, match: float) -> str:
    if curp_exact or probability >= CERTAIN_PROBABILITY:
        return "certain"
    return "probable" if probability >= match else "possible"


def person_match_candidates(
    query: MatchQuery, *, limit: int = 5, min_score: float | None = None
) -> list[MatchCandidate]:
    """Live persons that may be the one described by `query`, best first (at most `limit`).

    `score` is the model's match probability; `min_score` defaults to the review threshold of
    data/linkage/thresholds.yaml. Bands: 'certain' (same CURP or probability >= 0.999),
    'probable' (>= the match threshold), 'possible' (the rest above `min_score`).

    Searches the whole history regardless of the user's scope: callers must show only the
    minimal identification the desk needs and audit the search.
    """
    limits = thresholds()
    min_score = limits.review if min_score is None else min_score
    qf = query_features(query)
    rows = _candidate_rows(_blocks(query, qf))
    model = saved_model()
    scored = []
    for pk, row in rows.items():
        pf = _row_features(row)
        result = score_pair(qf, pf, model)
        curp_exact = result.levels["curp"] == "exact"
        # The CURP is the national unique key: the same CURP is the same person even when the
        # other typed data disagree (they are the typos), so it is always shown, first.
        probability = 1.0 if curp_exact else result.match_probability
        if probability < min_score:
            continue
        reasons = tuple(
            _REASON_CODES[name]
            for name, w in sorted(result.weights.items(), key=lambda kv: -kv[1])
            if w > 0 and name in _REASON_CODES
        )
        scored.append(
            MatchCandidate(
                pk,
                round(probability, 4),
                _band(probability, curp_exact, limits.match),
                reasons,
                round(result.match_weight, 2),
                tuple(result.levels.items()),
                row[1:],
            )
        )
    scored.sort(key=lambda c: (-c.score, -c.match_weight, c.person_id))
    return scored[:limit]


__all__ = ["MatchCandidate", "MatchQuery", "person_match_candidates"]
