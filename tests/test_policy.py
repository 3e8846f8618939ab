"""The policy: defaults, TOML round trip, bad files (issue: foundation)."""

from typer.testing import CliRunner

from kpu_xl.cli import app
from kpu_xl.core.policy import DEFAULT_POLICY, Band, Policy, PolicyError, dump, load, loads


def test_default_dump_loads_back_to_default():
    assert loads(dump()) == DEFAULT_POLICY


def test_custom_policy_round_trips():
    p = Policy(rumus_negatif="T/R", batas_atas=120, kategori=(Band(90, "Tinggi"), Band(float("-inf"), "Rendah")), desimal_tampilan=1)
    assert loads(dump(p)) == p


def test_cli_prints_valid_policy(tmp_path):
    result = CliRunner().invoke(app, ["kebijakan"])
    assert result.exit_code == 0
    path = tmp_path / "k.toml"
    path.write_text(result.stdout, encoding="utf-8")
    assert load(path) == DEFAULT_POLICY
    assert 'rumus_negatif = "2T-R"' in result.stdout


def test_bad_policies_give_reasons():
    assert "TOML" in loads("rumus_negatif = ").reason
    assert "2T-R" in loads('[capaian]\nrumus_negatif = "R/T"').reason
    assert "batas_atas" in loads("[capaian]\nbatas_atas = -5").reason
    assert "urut" in loads('[[kategori]]\nnama="A"\nminimum=50\n[[kategori]]\nnama="B"\nminimum=80').reason
    assert isinstance(load("/nonexistent/k.toml"), PolicyError)


def test_bands_without_floor_get_one():
    p = loads('[[kategori]]\nnama="Baik"\nminimum=80')
    assert p.kategori_for(79) != "Baik"
    assert p.kategori_for(85) == "Baik"


def test_version_and_help():
    runner = CliRunner()
    assert "0.1.0" in runner.invoke(app, ["--version"]).stdout
    assert "kebijakan" in runner.invoke(app, ["--help"]).stdout
