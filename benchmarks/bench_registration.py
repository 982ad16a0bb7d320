"""Benchmark: arrival registrations per second through the real API against a large history.

    .venv/bin/python benchmarks/bench_registration.py [--persons 1000000] [--duration 60]
        [--clients 16] [--workers 2] [--threads 4] [--port 8106] [--db retorno_reception_bench]

1. Creates/migrates the PostgreSQL database `--db` (127.0.0.1:5432, user postgres) and loads the
   reference data.
2. Bulk-loads a history of `--persons` persons (one past arrival each) with COPY, with Mexican
   given names and surnames drawn from frequency lists, so the matcher's blocks are as crowded as
   at a real desk (HERNÁNDEZ JUAN ...). Skipped when the history is already there.
3. Starts the WSGI server (`--server` granian, or gunicorn with `--worker-class`; `--workers`
   processes x `--threads` threads) on 127.0.0.1:`--port` and runs `--clients`
   concurrent clients for `--duration` seconds. Each registration is what the desk does:
   POST /api/identity/match, then POST /api/reception/events (with existing_person_id and the
   candidate's match_ticket when the best candidate is certain/probable). A third of the arrivals
   are repeat returnees typed with accents and case changed.
4. Prints sustained registrations per second and p50/p90/p99 latency of a whole registration
   (match + create) and of each call.

This is a script, not a test: it prints figures, it asserts nothing.
"""

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Frequencies (per thousand people) of the commonest Mexican surnames, rounded from published
# RENAPO/INEGI name counts; a synthetic long tail below carries the rest of the mass.
SURNAMES = {
    "Hernández": 54,
    "García": 42,
    "Martínez": 36,
    "López": 33,
    "González": 32,
    "Pérez": 22,
    "Rodríguez": 21,
    "Sánchez": 20,
    "Ramírez": 19,
    "Cruz": 13,
    "Flores": 12,
    "Gómez": 12,
    "Morales": 10,
    "Vázquez": 10,
    "Reyes": 10,
    "Jiménez": 10,
    "Torres": 9,
    "Díaz": 9,
    "Gutiérrez": 9,
    "Ruiz": 8,
    "Mendoza": 8,
    "Aguilar": 8,
    "Ortiz": 7,
    "Moreno": 7,
    "Castillo": 7,
    "Romero": 7,
    "Álvarez": 6,
    "Méndez": 6,
    "Chávez": 6,
    "Rivera": 6,
    "Juárez": 6,
    "Ramos": 6,
    "Domínguez": 5,
    "Herrera": 5,
    "Medina": 5,
    "Castro": 5,
    "Vargas": 5,
    "Guzmán": 4,
    "Velázquez": 4,
    "Muñoz": 4,
    "Rojas": 4,
    "Contreras": 4,
    "Salazar": 4,
    "Luna": 4,
    "Ortega": 4,
    "Santiago": 4,
    "Guerrero": 4,
    "Estrada": 3,
    "Bautista": 3,
    "Cortés": 3,
    "Soto": 3,
    "Alvarado": 3,
    "Espinoza": 3,
    "Lara": 3,
    "Ávila": 3,
    "Ríos": 3,
    "Cervantes": 3,
    "Silva": 3,
    "Delgado": 3,
    "Vega": 3,
    "Márquez": 3,
    "Sandoval": 3,
    "Fernández": 3,
    "León": 3,
    "Carrillo": 3,
    "Mejía": 3,
    "Solís": 3,
    "Núñez": 3,
    "Rosas": 3,
    "Valdez": 3,
    "Ibarra": 3,
    "Campos": 3,
    "Santos": 3,
    "Camacho": 3,
    "Navarro": 3,
    "Peña": 3,
    "Maldonado": 3,
    "Rosales": 3,
    "Acosta": 3,
    "Miranda": 2,
    "Trejo": 2,
    "Valencia": 2,
    "Nava": 2,
    "Pacheco": 2,
    "Huerta": 2,
    "Padilla": 2,
    "Molina": 2,
    "Cabrera": 2,
    "Fuentes": 2,
    "Orozco": 2,
    "Zamora": 2,
    "Galván": 2,
    "Lozano": 2,
    "Benítez": 2,
    "Velasco": 2,
    "Montes": 2,
    "Zúñiga": 2,
    "Tapia": 2,
    "Escobar": 2,
    "de la Cruz": 2,
    "de León": 2,
}
_TAIL_ROOTS = (
    "Al Bar Cal Der Es Fal Gal Her Ir Lar Mar Nar Or Par Quin Rin Sal Tor Ur Val Var Zar Bel Cor Mon".split()
)
_TAIL_ENDS = "ado edo illa ero ón ano ino uela ez iz ante ura aga eta oza ueta".split()
for _r in _TAIL_ROOTS:
    for _e in _TAIL_ENDS:
        SURNAMES.setdefault(_r + _e, 1)

MALE = {
    "José": 30,
    "Juan": 28,
    "Luis": 14,
    "Miguel Ángel": 12,
    "José Luis": 18,
    "Jesús": 14,
    "Francisco": 14,
    "Antonio": 12,
    "Alejandro": 12,
    "Carlos": 12,
    "Pedro": 10,
    "Juan Carlos": 10,
    "Manuel": 10,
    "Ricardo": 8,
    "Fernando": 8,
    "Jorge": 8,
    "Roberto": 8,
    "Eduardo": 7,
    "Daniel": 7,
    "Sergio": 7,
    "Javier": 7,
    "Arturo": 6,
    "Raúl": 6,
    "Martín": 6,
    "Héctor": 6,
    "Mario": 6,
    "Rafael": 5,
    "Óscar": 5,
    "Víctor": 5,
    "Gerardo": 5,
    "Enrique": 5,
    "Ramón": 4,
    "Ángel": 4,
    "Alberto": 4,
    "Jaime": 4,
    "Hugo": 4,
    "Rubén": 4,
    "Salvador": 4,
    "Guillermo": 4,
    "Andrés": 4,
    "Omar": 3,
    "Iván": 3,
    "Adrián": 3,
    "Armando": 3,
    "Israel": 3,
    "Abel": 2,
    "Felipe": 3,
    "Ernesto": 3,
    "Gabriel": 3,
    "Marco Antonio": 3,
    "José Manuel": 3,
    "Juan Manuel": 3,
}
FEMALE = {
    "María": 30,
    "Guadalupe": 18,
    "María Guadalupe": 16,
    "Juana": 10,
    "Margarita": 8,
    "Verónica": 8,
    "Patricia": 8,
    "Rosa María": 7,
    "Leticia": 7,
    "Elizabeth": 7,
    "Gabriela": 7,
    "Alejandra": 7,
    "Adriana": 6,
    "Claudia": 6,
    "María Elena": 6,
    "Silvia": 6,
    "Araceli": 5,
    "Martha": 5,
    "Teresa": 5,
    "Ana María": 5,
    "Laura": 5,
    "Mónica": 5,
    "Josefina": 4,
    "Yolanda": 4,
    "Sandra": 4,
    "Norma": 4,
    "Lucía": 4,
    "Carmen": 4,
    "Diana": 4,
    "Daniela": 4,
    "Fernanda": 3,
    "Karla": 3,
    "Brenda": 3,
    "Rocío": 3,
    "Alicia": 3,
    "Beatriz": 3,
    "Isabel": 3,
}
STATES = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS"
).split()
# Origin states of returnees are far from uniform (Michoacán, Guerrero, Oaxaca... lead).
STATE_WEIGHTS = [
    1,
    2,
    1,
    1,
    1,
    1,
    4,
    3,
    4,
    1,
    7,
    8,
    3,
    6,
    5,
    9,
    2,
    2,
    1,
    8,
    6,
    2,
    1,
    3,
    2,
    3,
    1,
    2,
    1,
    5,
    1,
    3,
]
POINTS = ["TIJ", "MXL", "SLR", "NOG", "CJS", "OJI", "ACU", "PNG", "NLD", "REY", "MAM", "AICM"]
BENCH_USER = "bench.tijuana"


class NameSampler:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames, self.s_weights = zip(*SURNAMES.items(), strict=True)
        self.male, self.m_weights = zip(*MALE.items(), strict=True)
        self.female, self.f_weights = zip(*FEMALE.items(), strict=True)

    def person(self) -> dict:
        rng = self.rng
        sex = rng.choice("HM")
        given = rng.choices(*(self.male, self.m_weights) if sex == "H" else (self.female, self.f_weights))[0]
        first, second = rng.choices(self.surnames, self.s_weights, k=2)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 58))
        state = rng.choices(STATES, STATE_WEIGHTS)[0]
        return {
            "given_names": given,
            "first_surname": first,
            "second_surname": second,
            "sex": sex,
            "birth_date": born,
            "birth_state": state,
        }


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    # A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)  # BENCH_SECRET
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    import django

    django.setup()


def ensure_database(db: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            conn.execute(f'CREATE DATABASE "{db}"')
            print(f"created database {db}")


def prepare(db: str, persons: int, seed: int) -> str:
    """Migrate, load reference data, bulk-load the history; return a fresh API token."""
    ensure_database(db)
    setup_django(db)
    from django.core.management import call_command

    from retorno.accounts.models import ApiToken, Role, User
    from retorno.identity.models import Person
    from retorno.reference.models import ReceptionPoint

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    point = ReceptionPoint.objects.get(code="TIJ")
    user, created = User.objects.get_or_create(
        username=BENCH_USER, defaults={"role": Role.RECEPTION_OFFICER, "reception_point": point}
    )
    have = Person.objects.count()
    if have < persons:
        bulk_load(persons - have, seed + have)
    from django.db import connection

    with connection.cursor() as cur:
        # Fresh planner statistics, as autovacuum keeps them in production (it may be off on a
        # test server: this one says autovacuum = off), including the tables earlier runs grew.
        cur.execute("SHOW autovacuum")
        print(f"autovacuum on this server: {cur.fetchone()[0]}; analysing the tables")
        cur.execute("ANALYZE")
    # The load generator is one bulk client: its token carries a limit above what it sends.
    token = ApiToken.issue(user, "bench", rate_per_minute=1_000_000)[1]
    return token


def bulk_load(n: int, seed: int) -> None:
    """COPY `n` persons and one closed past arrival each (the history the matcher searches)."""
    from django.db import connection
    from stdnum.mx import curp as stdnum_curp

    from retorno.identity import names
    from retorno.identity.curp import CurpStemInput, curp_stem
    from retorno.reference.models import ReceptionPoint, State

    rng = random.Random(seed)
    sampler = NameSampler(rng)
    state_ids = dict(State.objects.values_list("code", "id"))
    point_ids = [ReceptionPoint.objects.get(code=c).pk for c in POINTS]
    keys: dict[tuple[str, bool], str] = {}

    def key(text: str, given: bool) -> str:
        k = keys.get((text, given))
        if k is None:
            k = keys[(text, given)] = names.key(names.significant_given_name(text) if given else text)[:60]
        return k

    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM identity_person")
        start_id = cur.fetchone()[0] + 1
        cur.execute("SELECT curp FROM identity_person WHERE curp <> ''")
        used_curps = {row[0] for row in cur.fetchall()}
    t0 = time.perf_counter()
    chunk = 100_000
    now = datetime.now().astimezone()
    for offset in range(0, n, chunk):
        persons, events = StringIO(), StringIO()
        for i in range(offset, min(n, offset + chunk)):
            pid = start_id + i
            p = sampler.person()
            curp = ""
            if rng.random() < 0.45:  # many returnees know their CURP
                stem = curp_stem(
                    CurpStemInput(
                        p["given_names"],
                        p["first_surname"],
                        p["second_surname"],
                        p["sex"],
                        p["birth_date"],
                        p["birth_state"],
                    )
                )
                head = stem + (
                    rng.choice("ABCDEFGH") if p["birth_date"].year >= 2000 else str(rng.randrange(10))
                )
                candidate = head + stdnum_curp.calc_check_digit(head)
                if candidate not in used_curps:
                    used_curps.add(candidate)
                    curp = candidate
            arrived = now - timedelta(days=rng.randrange(30, 3650), minutes=rng.randrange(1440))
            age = (
                arrived.year
                - p["birth_date"].year
                - ((arrived.month, arrived.day) < (p["birth_date"].month, p["birth_date"].day))
            )
            persons.write(
                "\t".join(
                    [
                        str(pid),
                        p["given_names"],
                        p["first_surname"],
                        p["second_surname"],
                        p["sex"],
                        p["birth_date"].isoformat(),
                        str(state_ids[p["birth_state"]]),
                        "MX",
                        curp,
                        "t" if curp else "f",
                        "",
                        "",
                        "\\N",
                        "",
                        "es",
                        key(p["given_names"], True),
                        key(p["first_surname"], False),
                        key(p["second_surname"], False),
                        "\\N",
                        arrived.isoformat(),
                        arrived.isoformat(),
                        "\\N",
                        "",
                        "f",
                    ]
                )
                + "\n"
            )
            events.write(
                "\t".join(
                    [
                        str(pid),
                        arrived.isoformat(),
                        "land",
                        "[]",
                        "",
                        str(max(age, 0)),
                        # A minor of the history was unaccompanied (no companion recorded).
                        "t" if age < 18 else "f",
                        "t" if age < 18 else "f",
                        "",
                        "",
                        "closed",
                        arrived.isoformat(),
                        "",
                        arrived.isoformat(),
                        arrived.isoformat(),
                        "\\N",
                        "\\N",
                        "\\N",
                        str(state_ids[p["birth_state"]]),
                        str(pid),
                        str(rng.choice(point_ids)),
                        "\\N",
                    ]
                )
                + "\n"
            )
        with connection.cursor() as cur:
            with cur.copy(
                "COPY identity_person (id, given_names, first_surname, second_surname, sex, birth_date, "
                "birth_state_id, nationality, curp, curp_validated, phone_mx, phone_us, indigenous, "
                "indigenous_language, preferred_language, key_given, key_first_surname, "
                "key_second_surname, merged_into_id, created_at, updated_at, created_by_id, email, "
                "contact_by_message) FROM STDIN"
            ) as copy:
                copy.write(persons.getvalue())
            with cur.copy(
                "COPY reception_repatriationevent (id, arrived_at, mode, documents, "
                "destination_municipality, age_at_arrival, unaccompanied_minor, minor, "
                "estimated_age_band, accompanied_relationship, status, closed_at, notes, "
                "created_at, updated_at, closed_by_id, destination_state_id, family_group_id, "
                "origin_state_id, person_id, reception_point_id, registered_by_id) FROM STDIN"
            ) as copy:
                copy.write(events.getvalue())
        done = min(n, offset + chunk)
        print(f"  loaded {done:,}/{n:,} persons ({time.perf_counter() - t0:.0f} s)", flush=True)
    with connection.cursor() as cur:
        for table in ("identity_person", "reception_repatriationevent"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cur.execute("ANALYZE identity_person")
        cur.execute("ANALYZE reception_repatriationevent")


def sample_repeat_returnees(k: int, seed: int) -> list[dict]:
    """Existing persons who come back, typed at the desk the way officers do (no accents, caps)."""
    from django.db import connection

    from retorno.identity import names

    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.given_names, p.first_surname, p.second_surname, p.sex, p.birth_date, s.code, p.curp "
            "FROM identity_person p TABLESAMPLE SYSTEM (1) JOIN reference_state s ON s.id = p.birth_state_id "
            # Not someone already registered in the last day (a rerun would be a double entry).
            "WHERE NOT EXISTS (SELECT 1 FROM reception_repatriationevent e WHERE e.person_id = p.id "
            "AND e.arrived_at > now() - interval '1 day') LIMIT %s",
            [k],
        )
        rows = cur.fetchall()
    rng = random.Random(seed)
    people = []
    for given, first, second, sex, born, state, curp in rows:
        people.append(
            {
                "given_names": names.normalize(given).lower() if rng.random() < 0.5 else given.upper(),
                "first_surname": names.normalize(first),
                "second_surname": names.normalize(second).title(),
                "sex": sex,
                "birth_date": born.isoformat(),
                "birth_state": state,
                "curp": curp if rng.random() < 0.5 else "",
            }
        )
    return people


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.registration: list[float] = []
        self.match: list[float] = []
        self.create: list[float] = []
        self.repeat = 0
        self.errors: dict[str, int] = {}

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def client_loop(port, token, stop_at, stats: Stats, repeats: list[dict], seed: int) -> None:
    rng = random.Random(seed)
    sampler = NameSampler(rng)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(path: str, body: dict, extra: dict | None = None) -> tuple[int, dict]:
        nonlocal conn
        for attempt in range(2):
            try:
                conn.request("POST", path, json.dumps(body), {**headers, **(extra or {})})
                resp = conn.getresponse()
                return resp.status, json.loads(resp.read() or b"null")
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    while time.perf_counter() < stop_at:
        if repeats and rng.random() < 0.33:
            person = repeats.pop()
        else:
            p = sampler.person()
            person = {**p, "birth_date": p["birth_date"].isoformat(), "curp": ""}
        t0 = time.perf_counter()
        try:
            status, candidates = post("/api/identity/match", person)
            t1 = time.perf_counter()
            if status != 200:
                stats.error(f"match {status}")
                continue
            body = {**person, "documents": ["deportation_order"], "destination_state": person["birth_state"]}
            best = candidates[0] if candidates else None
            if best and best["band"] in ("certain", "probable"):
                body["existing_person_id"] = best["person_id"]
                body["match_ticket"] = best["match_ticket"]
                if not best["in_scope"]:  # received at another point: the officer states why
                    body["access_reason"] = "La persona está presente en este punto: nueva llegada."
            # Every registration is retry-safe, as a desk client would send it.
            status, created = post("/api/reception/events", body, {"Idempotency-Key": f"{seed}-{rng.random()}"})
            t2 = time.perf_counter()
        except Exception as exc:  # noqa: BLE001 - a benchmark counts failures, it does not stop
            stats.error(type(exc).__name__)
            continue
        if status != 201:
            stats.error(f"create {status}: {str(created)[:80]}")
            continue
        with stats.lock:
            stats.match.append(t1 - t0)
            stats.create.append(t2 - t1)
            stats.registration.append(t2 - t0)
            stats.repeat += "existing_person_id" in body


def cpu_seconds(server_pids: list[int], db: str) -> tuple[float, float]:
    """CPU seconds used so far by the server process trees (web server and the worker that seals
    the audit chain) and by the database's backends."""
    import psutil
    import psycopg

    def used(proc) -> float:
        try:
            t = proc.cpu_times()
            return t.user + t.system
        except psutil.Error:
            return 0.0

    app = 0.0
    for pid in server_pids:
        root = psutil.Process(pid)
        app += used(root) + sum(used(child) for child in root.children(recursive=True))
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as conn:
        pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db])]
    database = sum(used(psutil.Process(pid)) for pid in pids if psutil.pid_exists(pid))
    return app, database


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--clients", type=int, default=16)
    # 2 processes x 4 threads measured best on 2 CPUs (2026-12-01): with gunicorn, 3x2, 3x4, 4x1
    # and 6x1 spent more CPU per registration switching between processes (docs/reception.md).
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn -k: gthread or sync")
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8106)))
    parser.add_argument("--db", default="retorno_reception_bench")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument(
        "--seal-every", type=float, default=5, help="seconds between audit seals by the worker (0: no worker)"
    )
    args = parser.parse_args()
    # The history is reproducible (--seed); the arrivals differ per run, so a rerun does not
    # register the same new people again (that would be a double entry, refused with 409).
    run_seed = args.seed + int(time.time())

    t0 = time.perf_counter()
    token = prepare(args.db, args.persons, args.seed)
    from retorno.identity.models import Person

    total_persons = Person.objects.count()
    print(f"history: {total_persons:,} persons (prepared in {time.perf_counter() - t0:.0f} s)")
    repeats = sample_repeat_returnees(int(args.duration * 400), run_seed)
    from django.db import connections

    connections.close_all()

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "k" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        "DB_CONN_MAX_AGE": "600",
    }
    if args.server == "granian":
        command = [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--blocking-threads",
            str(args.threads),
            "--log-level",
            "warning",
            "retorno.wsgi:application",
        ]
    else:
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "retorno.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "-k",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # The background worker seals the audit trail's hash chain as in production.
    sealer = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "retorno"), "worker", "--seal-every", str(args.seal_every or 3600)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "retorno.settings"},
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"{args.server} did not start")

        # Warm-up (imports, connections, caches) is not measured.
        warm = Stats()
        stop = time.perf_counter() + args.warmup
        threads = [
            threading.Thread(target=client_loop, args=(args.port, token, stop, warm, [], run_seed + i))
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        stats = Stats()
        cpu_before = cpu_seconds([server.pid, sealer.pid], args.db)
        sealer_before = cpu_seconds([sealer.pid], args.db)[0]
        client_before = time.process_time()
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        stop = start + args.duration
        threads = [
            threading.Thread(
                target=client_loop, args=(args.port, token, stop, stats, repeats, run_seed + 100 + i)
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        cpu_after = cpu_seconds([server.pid, sealer.pid], args.db)
        sealer_cpu = cpu_seconds([sealer.pid], args.db)[0] - sealer_before
        client_cpu = time.process_time() - client_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        os.killpg(sealer.pid, signal.SIGTERM)
        sealer.wait(timeout=60)
    from retorno.audit.integrity import audit_verify
    from retorno.audit.models import AuditEntry

    unsealed = AuditEntry.objects.filter(seq__isnull=True).count()

    n = len(stats.registration)
    print()
    print(f"history            {total_persons:,} persons, PostgreSQL database {args.db}")
    print(
        f"server             {args.server} {args.workers} workers x {args.threads} threads"
        f"{f' ({args.worker_class})' if args.server == 'gunicorn' else ''}, 127.0.0.1:{args.port}"
    )
    print(
        f"load               {args.clients} concurrent clients for {elapsed:.1f} s; "
        f"machine: {os.cpu_count()} CPUs, load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    print(f"registrations      {n:,} ({stats.repeat:,} repeat returnees on their existing record)")
    print(f"throughput         {n / elapsed:.1f} registrations/s ({2 * n / elapsed:.1f} HTTP requests/s)")
    print(
        f"registration (ms)  p50 {pct(stats.registration, 50):.1f}  p90 {pct(stats.registration, 90):.1f}  "
        f"p99 {pct(stats.registration, 99):.1f}  mean {statistics.fmean(stats.registration) * 1000 if n else float('nan'):.1f}"
    )
    print(f"  match call (ms)  p50 {pct(stats.match, 50):.1f}  p99 {pct(stats.match, 99):.1f}")
    print(f"  create call (ms) p50 {pct(stats.create, 50):.1f}  p99 {pct(stats.create, 99):.1f}")
    if n:
        app_ms = (cpu_after[0] - cpu_before[0]) / n * 1000
        db_ms = (cpu_after[1] - cpu_before[1]) / n * 1000
        ceiling = (os.cpu_count() or 1) * 1000 / (app_ms + db_ms)
        print(
            f"CPU / registration app ({args.server}) {app_ms:.1f} ms + PostgreSQL {db_ms:.1f} ms "
            f"-> ceiling on {os.cpu_count()} idle CPUs about {ceiling:.0f} registrations/s "
            "(client threads not counted)"
        )
        print(f"  of the app's, the audit sealer (worker) {sealer_cpu / n * 1000:.2f} ms")
        print(
            f"CPU / registration of this load generator (same machine) {client_cpu / n * 1000:.1f} ms; "
            f"machine total {app_ms + db_ms + client_cpu / n * 1000:.1f} ms"
        )
    print(f"errors             {stats.errors or 'none'}")
    print(f"audit chain        {unsealed:,} entries not sealed yet when the run stopped (sealed every {args.seal_every} s)")
    if os.environ.get("BENCH_VERIFY_AUDIT"):
        result = audit_verify()
        print(f"audit verify       ok={result.ok} checked={result.checked:,} {result.problem}")


if __name__ == "__main__":
    main()
