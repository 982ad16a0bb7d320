import shutil

import pytest
import yaml

from retorno.core.reference_loading import ReferenceDataError
from retorno.policy import extract_seeds, reference_data
from retorno.policy.models import GcmObjective, Indicator, PemLine, PemObjective, PemStrategy
from retorno.policy.tests.factories import COUNTRY_DIR, load_catalog

pytestmark = pytest.mark.django_db
SEEDS = extract_seeds.Path("/work/shared/seeds")


def _declared() -> dict:
    return yaml.safe_load((COUNTRY_DIR / "policy" / "pem.yaml").read_text(encoding="utf-8"))["program"][
        "declared"
    ]


def test_catalog_counts_match_the_totals_the_seed_declares():
    load_catalog()
    declared = _declared()
    assert declared == {"objectives": 5, "strategies": 26, "lines": 195, "indicators": 11}
    assert PemObjective.objects.count() == declared["objectives"]
    assert PemStrategy.objects.count() == declared["strategies"]
    assert PemLine.objects.count() == declared["lines"]
    # The seed's 11, then the employment indicators the job bank adds (IND-12 on, issue 13).
    seed_codes = [f"IND-{n:02d}" for n in range(1, declared["indicators"] + 1)]
    assert Indicator.objects.filter(code__in=seed_codes).count() == declared["indicators"]
    assert set(Indicator.objects.exclude(code__in=seed_codes).values_list("query", flat=True)) == {
        "employment_hires_90d",
        "job_bank_persons",
        "employment_hires_women_share",
        "certifications_awarded",
        "vacancies_hiring_returnees",
        "businesses_operating",
    }
    assert GcmObjective.objects.count() == 23


def test_lines_keep_their_codes_and_full_text():
    load_catalog()
    line = PemLine.objects.get(code="1.5.2")
    assert line.strategy.code == "1.5" and line.strategy.objective.code == "1"
    assert line.text.startswith("Crear un sistema nacional de información y estadística migratoria")
    # a line wrapped over two lines in the seed is joined
    assert "internacionales en materia migratoria" in PemLine.objects.get(code="1.1.6").text
    # a line glued to its code in the seed ("1.2.4Promover") is still found
    assert PemLine.objects.get(code="1.2.4").text.startswith("Promover mecanismos")
    assert GcmObjective.objects.get(number=21).title_en.startswith(
        "Cooperate in facilitating safe and dignified return"
    )


def test_loading_twice_changes_nothing():
    load_catalog()
    before = (
        PemLine.objects.count(),
        PemLine.gcm_objectives.through.objects.count(),
        Indicator.pem_lines.through.objects.count(),
    )
    load_catalog()
    after = (
        PemLine.objects.count(),
        PemLine.gcm_objectives.through.objects.count(),
        Indicator.pem_lines.through.objects.count(),
    )
    assert before == after
    assert after[1] > 100  # the mapping was loaded


def test_mapping_links_return_lines_to_objective_21():
    load_catalog()
    codes = set(GcmObjective.objects.get(number=21).pem_lines.values_list("code", flat=True))
    assert {"3.4.3", "4.6.1"} <= codes


def _copy_country(tmp_path):
    target = tmp_path / "mx"
    shutil.copytree(COUNTRY_DIR / "policy", target / "policy")
    return target


def test_unknown_line_code_in_mapping_is_a_clear_error(tmp_path):
    country = _copy_country(tmp_path)
    mapping = country / "policy" / "pem_gcm_map.yaml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8") + '- line: "9.9.9"\n  gcm: [1]\n', encoding="utf-8"
    )
    with pytest.raises(ReferenceDataError, match="unknown PEM line of action '9.9.9'"):
        reference_data.load(country, lambda _m: None)


def test_unknown_compact_objective_in_indicators_is_a_clear_error(tmp_path):
    country = _copy_country(tmp_path)
    path = country / "policy" / "indicators.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows[0]["gcm"] = [24]
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="IND-01.*unknown Global Compact objective '24'"):
        reference_data.load(country, lambda _m: None)


def test_country_without_policy_folder_gets_the_compact_and_no_national_plan(tmp_path):
    """A pack without policy/ (Guatemala's) reports on the Global Compact from common/; the PEM
    is Mexico's alone."""
    shutil.copytree(COUNTRY_DIR.parent / "common", tmp_path / "common")
    (tmp_path / "xx").mkdir()
    messages = []
    reference_data.load(tmp_path / "xx", messages.append)
    assert PemLine.objects.count() == 0
    assert GcmObjective.objects.count() == 23
    assert any("none" in m for m in messages)


def test_country_without_any_compact_file_is_refused(tmp_path):
    with pytest.raises(ReferenceDataError, match="gcm.yaml"):
        reference_data.load(tmp_path, lambda _m: None)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not available")
def test_extraction_script_reproduces_the_committed_files(tmp_path):
    extract_seeds.main(["--seeds", str(SEEDS), "--out", str(tmp_path)])
    for name in ("pem.yaml", "gcm.yaml"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (COUNTRY_DIR / "policy" / name).read_text(
            encoding="utf-8"
        )
