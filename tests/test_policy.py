"""The policy: defaults, TOML round trip, bad files (issue: foundation)."""

import pytest
from typer.testing import CliRunner

from kpu_xl.cli import app
from kpu_xl.core.policy import DEFAULT_POLICY, Band, Policy, PolicyError, dump, load, loads


def refused(text: str) -> str:
    """The reason a policy text is refused with (PolicyError, a KpuXlError)."""
    with pytest.raises(PolicyError) as raised:
        loads(text)
    return raised.value.reason


def refused_file(path) -> str:  # noqa: ANN001
    with pytest.raises(PolicyError) as raised:
        load(path)
    return raised.value.reason


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
    assert "TOML" in refused("rumus_negatif = ")
    assert "2T-R" in refused('[capaian]\nrumus_negatif = "R/T"')
    assert "batas_atas" in refused("[capaian]\nbatas_atas = -5")
    assert "urut" in refused('[[kategori]]\nnama="A"\nminimum=50\n[[kategori]]\nnama="B"\nminimum=80')
    assert "tidak ditemukan" in refused_file("/nonexistent/k.toml")


def test_bands_without_floor_get_one():
    p = loads('[[kategori]]\nnama="Baik"\nminimum=80')
    assert p.kategori_for(79) != "Baik"
    assert p.kategori_for(85) == "Baik"


def test_version_and_help():
    runner = CliRunner()
    assert "0.1.0" in runner.invoke(app, ["--version"]).stdout
    assert "kebijakan" in runner.invoke(app, ["--help"]).stdout


# --- hardening (issue 15): encodings, nan/inf, unknown keys -----------------------------------


def _powershell(text: str, encoding: str) -> bytes:
    """What PowerShell 5's `>` (UTF-16 LE with BOM) or Notepad (UTF-8 with BOM) writes: CRLF, a mark."""
    return text.replace("\n", "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_policy_saved_with_byte_order_mark_is_read(tmp_path, encoding):
    text = dump(Policy(batas_atas=120))
    raw = _powershell(text, encoding)
    if encoding == "utf-16-le":
        raw = b"\xff\xfe" + raw
    elif encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path = tmp_path / "kebijakan.toml"
    path.write_bytes(raw)
    assert load(path) == Policy(batas_atas=120)


def test_readme_powershell_redirect_round_trips(tmp_path):
    # `kpu-xl kebijakan > kebijakan.toml` in Windows PowerShell 5 writes UTF-16 LE with a BOM
    out = CliRunner().invoke(app, ["kebijakan"]).stdout
    path = tmp_path / "kebijakan.toml"
    path.write_bytes(_powershell(out, "utf-16"))
    assert load(path) == DEFAULT_POLICY


def test_text_with_bom_character_loads():
    assert loads("\ufeff" + dump()) == DEFAULT_POLICY


def test_codec_error_is_said_in_indonesian(tmp_path):
    path = tmp_path / "kebijakan.toml"
    path.write_bytes(b'[capaian]\nrumus_negatif = "T/R"\n# \xe9t\xe9\n')  # Latin-1, not UTF-8
    reason = refused_file(path).removeprefix(f"berkas kebijakan {path} ")
    assert reason.startswith("bukan teks UTF-8 atau UTF-16 yang sah (byte tidak dikenal pada posisi 34)"), reason
    assert "codec" not in reason and "decode" not in reason
    assert "tidak ditemukan" in refused_file(tmp_path / "tidak-ada.toml")
    assert "folder" in refused_file(tmp_path)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("[capaian]\nbatas_atas = nan", "batas_atas"),
        ("[capaian]\nbatas_atas = inf", "batas_atas"),
        ("[capaian]\nbatas_atas = +inf", "batas_atas"),
        ("[capaian]\ndesimal_tampilan = nan", "desimal_tampilan"),
        ("[jangka_menengah]\nsesuai_jalur_minimum = nan", "sesuai_jalur_minimum"),
        ("[jangka_menengah]\nsesuai_jalur_minimum = inf", "sesuai_jalur_minimum"),
        ('[[kategori]]\nnama = "Baik"\nminimum = nan', "minimum kategori"),
        ('[[kategori]]\nnama = "Baik"\nminimum = inf', "minimum kategori"),
        ('[[kategori]]\nnama = "Baik"\nminimum = 80\n[[kategori]]\nnama = "Kurang"\nminimum = -inf', "minimum kategori"),
    ],
)
def test_nan_and_inf_are_refused_for_every_number(text, name):
    reason = refused(text)
    assert name in reason
    assert "nan (bukan angka)" in reason or "inf (tak terhingga)" in reason


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[capaian]\nbatas_ata = 120", ['"batas_ata"', "[capaian]", 'maksudnya "batas_atas"']),
        ("batas_atas = 120\n[capaian]", ['"batas_atas"', "salah tempat", "[capaian]"]),
        ("[capaian]\nsesuai_jalur_minimum = 90", ['"sesuai_jalur_minimum"', "salah tempat", "[jangka_menengah]"]),
        ("[jangka_menengah]\nbatas_atas = 120", ['"batas_atas"', "salah tempat", "[capaian]"]),
        ("[capain]\nbatas_atas = 120", ['bagian "capain"', 'maksudnya "capaian"']),
        ("[lain]\nx = 1", ['bagian "lain"', "tidak dikenal"]),
        ('[[kategori]]\nnama = "Baik"\nminimal = 80', ["kategori ke-1", '"minimal"', 'maksudnya "minimum"']),
    ],
)
def test_unknown_or_misplaced_keys_are_named(text, said):
    reason = refused(text)
    for part in said:
        assert part in reason, reason


def test_toml_syntax_error_is_in_indonesian():
    reason = refused("[capaian]\nbatas_atas = 12%")
    assert reason.startswith("berkas kebijakan bukan TOML yang sah di baris 2, kolom 16")
    assert "Expected" not in reason and "line" not in reason


def test_bad_policy_file_stops_consolidate_with_its_reason(samples, tmp_path):
    path = tmp_path / "kebijakan.toml"
    path.write_text("[capaian]\nbatas_ata = 120\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["consolidate", str(samples), "-o", str(tmp_path / "k.xlsx"), "--kebijakan", str(path)])
    assert result.exit_code == 2
    assert "berkas kebijakan" in result.output and "batas_ata" in result.output and not (tmp_path / "k.xlsx").exists()
