import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from retorno.linkage.pipeline import pairwise_scores


def _rows(path: Path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("gen") / "events.csv"
    call_command("generate_returnees", events=3000, seed=21, out=str(path))
    return path


def test_generator_writes_input_format_with_truth_and_is_reproducible(generated, tmp_path):
    rows = _rows(generated)
    assert len(rows) == 3000
    assert list(rows[0]) == [
        "event_id",
        "given_names",
        "first_surname",
        "second_surname",
        "sex",
        "birth_date",
        "birth_state",
        "curp",
        "true_person_id",
    ]
    with_curp = sum(1 for r in rows if r["curp"]) / len(rows)
    assert 0.3 < with_curp < 0.5
    persons = {r["true_person_id"] for r in rows}
    assert len(persons) < len(rows)  # some persons returned more than once
    again = tmp_path / "again.csv"
    call_command("generate_returnees", events=3000, seed=21, out=str(again))
    assert again.read_text() == generated.read_text()


def test_generated_curps_are_valid():
    from stdnum.mx import curp

    from retorno.linkage.synthetic import ReturneeGenerator

    gen = ReturneeGenerator(seed=5)
    for i in range(1, 200):
        assert curp.is_valid(gen.person(i).curp)


def test_link_writes_every_event_and_links_well(generated, tmp_path):
    out = tmp_path / "out.csv"
    call_command("link", str(generated), out=str(out), quiet=True)
    rows = _rows(out)
    source = _rows(generated)
    assert [r["event_id"] for r in rows] == [r["event_id"] for r in source]
    truth = [r["true_person_id"] for r in source]
    predicted = [r["person_id"] for r in rows]
    scores = pairwise_scores(truth, predicted)
    assert scores["f1"] > 0.9, scores
    assert (tmp_path / "out.errors.csv").exists()


def test_malformed_rows_are_reported_with_line_numbers(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text(
        "event_id,given_names,first_surname,second_surname,sex,birth_date,birth_state,curp,extra\n"
        "E1,Juan,Pérez,López,H,1990-05-17,MN,,x\n"
        "E2,Juan,Perez,Lopez,X,17/05/1990,ZZ,NOTACURP,y\n"
        ",Pedro,Ruiz,,H,1980-01-01,,,\n"
        "E1,Juan,Pérez,López,H,1990-05-17,MN,,dup\n"
        "E3,,,,M,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as exc:
        call_command("link", str(src), out=str(out), quiet=True)
    assert exc.value.code == 3
    assert [r["event_id"] for r in _rows(out)] == ["E1", "E2", "E3"]
    problems = _rows(tmp_path / "out.errors.csv")
    by_line = {}
    for p in problems:
        by_line.setdefault(int(p["line"]), set()).add(p["field"])
    assert by_line[3] == {"sex", "birth_date", "birth_state", "curp"}
    assert by_line[4] == {"event_id"} and by_line[5] == {"event_id"} and 6 in by_line
    excluded = {int(p["line"]) for p in problems if p["excluded_from_output"] == "yes"}
    assert excluded == {4, 5}
    # E2's bad fields are unknown (not evidence against): in a file this small its names still
    # link it to E1.
    ids = {r["event_id"]: r["person_id"] for r in _rows(out)}
    assert ids["E1"] == ids["E2"] != ids["E3"]


@pytest.mark.parametrize(
    "content,message",
    [("", "empty file"), ("event_id,given_names\nE1,Juan\n", "missing column")],
)
def test_unreadable_input_is_a_clear_error(tmp_path, content, message):
    src = tmp_path / "in.csv"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("link", str(src), out=str(tmp_path / "out.csv"), quiet=True)


HEADER = "event_id,given_names,first_surname,second_surname,sex,birth_date,birth_state,curp\n"


def test_missing_file_is_a_clear_error_and_still_writes_the_error_report(tmp_path):
    with pytest.raises(CommandError, match="cannot open"):
        call_command("link", str(tmp_path / "nope.csv"), out=str(tmp_path / "o.csv"), quiet=True)
    (report,) = _rows(tmp_path / "o.errors.csv")
    assert report["field"] == "file" and "cannot open" in report["problem"]


def test_a_latin1_export_is_detected_and_linked_with_a_notice(tmp_path):
    src = tmp_path / "latin1.csv"
    src.write_bytes((HEADER + "E1,Jos\xe9,P\xe9rez,,H,,,\nE2,Jose,Perez,,H,,,\n").encode("latin-1"))
    out = tmp_path / "o.csv"
    with pytest.raises(SystemExit) as exc:
        call_command("link", str(src), out=str(out), quiet=True)
    assert exc.value.code == 3  # linked, with a notice
    assert [r["event_id"] for r in _rows(out)] == ["E1", "E2"]
    assert "CP1252" in _rows(tmp_path / "o.errors.csv")[0]["problem"]


def test_bad_rows_never_stop_the_run_and_are_reported_on_their_line(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes(
        (HEADER + "E1,Juan,Pérez,López,H,1990-05-17,MN,\n").encode()
        + b"E2,Jos\xe9,P\xe9rez,L\xf3pez,H,1990-05-17,MN,\n"  # one Latin-1 row in a UTF-8 file
        + ("E3,Ana," + "x" * 5000 + ",,M,1985-01-01,,\n").encode()  # oversized field
        + b"E4,Juan,Perez,Lopez,Jr,H,1990-05-17,MN,\n"  # an unquoted comma: 9 fields
        + b"E5,Pe\x00dro,Ruiz,,H,1980-01-01,,\n"  # a NUL byte
        + "E6,Juan,Pérez,López,H,1990-05-17,MN,\n".encode()
    )
    out = tmp_path / "o.csv"
    with pytest.raises(SystemExit) as exc:
        call_command("link", str(src), out=str(out), quiet=True)
    assert exc.value.code == 3
    ids = {r["event_id"]: r["person_id"] for r in _rows(out)}
    assert set(ids) == {"E1", "E6"} and ids["E1"] == ids["E6"]
    excluded = {int(p["line"]): p["problem"] for p in _rows(tmp_path / "o.errors.csv")}
    assert "invalid bytes" in excluded[3]
    assert "5,000 characters" in excluded[4]
    assert "9 fields" in excluded[5]
    assert 6 in excluded  # the NUL row
    assert len(excluded) == 4


@pytest.mark.parametrize(
    "dates,option,expected",
    [
        (["17/05/1990", "03/11/1985"], "auto", "1990-05-17"),  # day above 12: DD/MM/YYYY
        (["05/17/1990", "11/03/1985"], "auto", "1990-05-17"),  # month second above 12: MM/DD
        (["05/06/1990", "03/11/1985"], "mdy", "1990-05-06"),  # ambiguous: the option decides
    ],
)
def test_slashed_dates_are_read_never_dropped(tmp_path, dates, option, expected):
    from retorno.linkage.pipeline import read_input

    src = tmp_path / "d.csv"
    src.write_text(
        HEADER + "".join(f"E{i},Juan,Pérez,López,H,{d},MN,\n" for i, d in enumerate(dates)), encoding="utf-8"
    )
    prepared = read_input(src, date_format=option)
    first = prepared.table.column("dob").to_pylist()[0]
    assert str(first) == expected
    assert not [p for p in prepared.problems if p.line > 1]  # no date dropped


def test_a_file_with_no_usable_row_exits_1_with_the_report(tmp_path):
    src = tmp_path / "none.csv"
    src.write_text(HEADER + ",Juan,Pérez,,H,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no row could be linked"):
        call_command("link", str(src), out=str(tmp_path / "o.csv"), quiet=True)
    assert _rows(tmp_path / "o.errors.csv")[0]["field"] == "event_id"


@pytest.mark.django_db
def test_link_db_puts_likely_duplicates_in_the_review_queue():
    from datetime import date

    from retorno.linkage.models import ReviewPair
    from retorno.testing.factories import make_person

    a = make_person(
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="M",
        birth_date=date(1988, 3, 9),
    )
    b = make_person(
        given_names="Lupe", first_surname="HERNANDEZ", second_surname="", sex="M", birth_date=date(1988, 9, 3)
    )
    make_person(given_names="Pedro", first_surname="Ruiz", second_surname="Vega", birth_date=date(1970, 1, 2))
    call_command("link", db=True, quiet=True)
    pairs = list(ReviewPair.objects.values_list("person_a_id", "person_b_id", "source", "status"))
    assert pairs == [(a.pk, b.pk, "batch", "pending")]
    call_command("link", db=True, quiet=True)  # idempotent
    assert ReviewPair.objects.count() == 1


def test_link_needs_input_and_out_without_db(tmp_path):
    with pytest.raises(CommandError):
        call_command("link", quiet=True)
    with pytest.raises(CommandError):
        call_command("link", str(tmp_path / "x.csv"), out=str(tmp_path / "o.csv"), threshold=1.5, quiet=True)


@pytest.mark.django_db
def test_link_db_since_gives_the_full_relinks_pairs_for_the_new_persons():
    """Issue 10, item 7: incremental linkage against the existing persons."""
    from datetime import date, timedelta

    from django.utils import timezone

    from retorno.identity.models import Person
    from retorno.linkage.models import ReviewPair
    from retorno.testing.factories import make_person

    def person(given, first, second, birth, sex="H"):
        return make_person(given_names=given, first_surname=first, second_surname=second, sex=sex, birth_date=birth)

    old = [
        person("María Guadalupe", "Hernández", "López", date(1988, 3, 9), "M"),
        person("Lupe", "HERNANDEZ", "", date(1988, 9, 3), "M"),  # old pair among themselves
        person("Ricardo", "Villanueva", "Cortés", date(1985, 6, 21)),
        person("Pedro", "Ruiz", "Vega", date(1970, 1, 2)),
    ]
    Person.objects.filter(pk__in=[p.pk for p in old]).update(updated_at=timezone.now() - timedelta(days=60))
    new = [
        person("Ricardo", "Villanuava", "Cortes", date(1985, 6, 21)),  # matches an old person
        person("Pedro", "Ruiz", "Vega", date(1970, 2, 1)),  # day and month swapped
        person("Ana", "Torres", "Luna", date(2001, 7, 7), "M"),  # matches no one
    ]
    new_ids = {p.pk for p in new}

    def pairs():
        return set(ReviewPair.objects.values_list("person_a_id", "person_b_id"))

    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    call_command("link", db=True, quiet=True, since=since)
    incremental = pairs()
    assert incremental and all(new_ids & set(p) for p in incremental)
    assert (old[0].pk, old[1].pk) not in incremental
    call_command("link", db=True, quiet=True)  # the full relink adds the old pair, nothing new
    full = pairs()
    assert (old[0].pk, old[1].pk) in full
    assert {p for p in full if new_ids & set(p)} == incremental
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("link", db=True, quiet=True, since="1/2/2026")
