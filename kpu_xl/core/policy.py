"""The capaian policy (kebijakan): every rule a satker may set, in one object.

Defaults follow the common LKjIP practice described in DOMAIN.md. A policy is
loaded from TOML (`--kebijakan FILE`); `kpu-xl kebijakan` prints the defaults as
TOML to copy and edit. Bad content raises PolicyError (a KpuXlError) with the
reason in Bahasa Indonesia.
"""

from __future__ import annotations

import codecs
import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KpuXlError
from .files import os_reason

NEGATIF_2T_MINUS_R = "2T-R"  # (2T - R) / T x 100, LKjIP / PermenPANRB
NEGATIF_T_OVER_R = "T/R"  # T / R x 100, used by some systems
RUMUS_NEGATIF = (NEGATIF_2T_MINUS_R, NEGATIF_T_OVER_R)


@dataclass(frozen=True)
class Band:
    minimum: float  # capaian >= minimum (percent points) falls in this band
    nama: str


STATUS_TERCAPAI = "Tercapai"
STATUS_SESUAI_JALUR = "Sesuai jalur"
STATUS_PERLU_UPAYA = "Perlu upaya lebih"

DEFAULT_BANDS = (
    Band(91, "Sangat Baik"),
    Band(76, "Baik"),
    Band(66, "Cukup"),
    Band(51, "Kurang"),
    Band(float("-inf"), "Sangat Kurang"),
)


@dataclass(frozen=True)
class Policy:
    rumus_negatif: str = NEGATIF_2T_MINUS_R
    batas_atas: float | None = None  # cap on indicator capaian; None = no cap
    kategori: tuple[Band, ...] = field(default=DEFAULT_BANDS)
    desimal_tampilan: int = 2  # decimals shown for capaian in outputs (data keeps full precision)
    # Capaian Jangka Menengah: "Sesuai jalur" when this year's capaian is at least this (percent points).
    sesuai_jalur_minimum: float = 100.0

    def kategori_for(self, capaian: float) -> str:
        for band in self.kategori:
            if capaian >= band.minimum:
                return band.nama
        return self.kategori[-1].nama

    def status_jangka_menengah(self, terhadap_akhir: float | None, met_akhir: bool | None, tahun_ini: float | None, met_tahun: bool | None) -> str | None:
        """Tercapai (at or past the end-of-period target), Sesuai jalur (this year's target met: capaian at
        least sesuai_jalur_minimum, or a grade met), Perlu upaya lebih (otherwise); None when not computable."""
        if terhadap_akhir is None:
            return None
        if met_akhir if met_akhir is not None else terhadap_akhir >= 100:
            return STATUS_TERCAPAI
        if tahun_ini is not None and (met_tahun if met_tahun is not None else tahun_ini >= self.sesuai_jalur_minimum):
            return STATUS_SESUAI_JALUR
        return STATUS_PERLU_UPAYA

    def describe(self) -> str:
        """One line for output sheets and the terminal (Bahasa Indonesia)."""
        cap = "tanpa batas atas" if self.batas_atas is None else f"batas atas {self.batas_atas:g}%"
        negatif = "(2T - R) / T x 100%" if self.rumus_negatif == NEGATIF_2T_MINUS_R else "T / R x 100%"
        bands = ", ".join(f"{b.nama} >= {b.minimum:g}" if b.minimum != float("-inf") else f"{b.nama} lainnya" for b in self.kategori)
        return f"Positif: R / T x 100%; Negatif: {negatif}; {cap}; kategori: {bands}"


DEFAULT_POLICY = Policy()


class PolicyError(KpuXlError):
    """A policy file that cannot be used; the message says why (Bahasa Indonesia)."""

    @property
    def reason(self) -> str:
        return self.message


def dump(policy: Policy = DEFAULT_POLICY) -> str:
    """The policy as a commented TOML document that `load` reads back."""
    lines = [
        "# Kebijakan perhitungan capaian kpu-xl.",
        "# Salin berkas ini, ubah seperlunya, lalu pakai: kpu-xl consolidate ... --kebijakan berkas.toml",
        "",
        "[capaian]",
        "# Rumus indikator berpolaritas negatif (makin rendah makin baik):",
        '#   "2T-R" : (2 x Target - Realisasi) / Target x 100%  (lazim di LKjIP, PermenPANRB)',
        '#   "T/R"  : Target / Realisasi x 100%',
        f'rumus_negatif = "{policy.rumus_negatif}"',
        "",
        "# Batas atas capaian per indikator (persen). Tanpa baris ini: tidak dibatasi.",
        "# Contoh: batas_atas = 120",
    ]
    if policy.batas_atas is not None:
        lines.append(f"batas_atas = {policy.batas_atas:g}")
    lines += [
        "",
        "# Banyaknya desimal capaian yang ditampilkan (data tetap presisi penuh).",
        f"desimal_tampilan = {policy.desimal_tampilan}",
        "",
        "# Aturan tetap (tidak diatur di sini):",
        "# - Target 0, polaritas positif: capaian tidak dapat dihitung.",
        "# - Target 0, polaritas negatif: Realisasi 0 -> 100%; selain itu tidak dapat dihitung.",
        "# - Predikat SAKIP / Opini BPK: tercapai bila realisasi setingkat atau di atas target -> 100%;",
        "#   tidak tercapai -> peringkat realisasi / peringkat target x 100%",
        "#   (SAKIP: D=1 C=2 CC=3 B=4 BB=5 A=6 AA=7; BPK: TMP=1 TW=2 WDP=3 WTP=4).",
        "# - Capaian sasaran = rata-rata capaian indikatornya; capaian satker = rata-rata capaian sasaran.",
        "",
        "[jangka_menengah]",
        "# Status capaian terhadap target akhir periode Renstra (lembar Capaian Jangka Menengah):",
        "#   Tercapai          : realisasi s.d. tahun ini mencapai atau melampaui Target Akhir Periode",
        "#   Sesuai jalur      : belum, tetapi capaian tahun ini >= sesuai_jalur_minimum (predikat/opini: tercapai)",
        "#   Perlu upaya lebih : selain itu",
        f"sesuai_jalur_minimum = {policy.sesuai_jalur_minimum:g}",
        "",
        "# Kategori: capaian >= minimum masuk kategori itu (diperiksa dari atas).",
        "# Capaian di atas 100% masuk kategori tertinggi. Baris terakhir tanpa minimum menampung sisanya.",
    ]
    for band in policy.kategori:
        lines.append("[[kategori]]")
        lines.append(f'nama = "{band.nama}"')
        if band.minimum != float("-inf"):
            lines.append(f"minimum = {band.minimum:g}")
        lines.append("")
    return "\n".join(lines)


# Keys a policy file may hold, per table ("" = the top level, "kategori" = each [[kategori]] entry).
_KEYS: dict[str, tuple[str, ...]] = {
    "": ("capaian", "jangka_menengah", "kategori"),
    "capaian": ("rumus_negatif", "batas_atas", "desimal_tampilan"),
    "jangka_menengah": ("sesuai_jalur_minimum",),
    "kategori": ("nama", "minimum"),
}


def _where(table: str, is_table: bool = False) -> str:
    if not table:
        return "" if is_table else " (di luar bagian mana pun)"
    return " di [[kategori]]" if table == "kategori" else f" di [{table}]"


def _unknown_key(key: str, table: str, is_table: bool = False) -> str | None:
    """Why `key` does not belong in `table`, naming where it does belong (or the nearest known key)."""
    if key in _KEYS[table]:
        return None
    home = next((t for t, keys in _KEYS.items() if t and key in keys), None)
    if home is not None:
        place = "[[kategori]]" if home == "kategori" else f"[{home}]"
        return f'kunci "{key}"{_where(table)} salah tempat; tulis di bawah {place}'
    known = [k for keys in _KEYS.values() for k in keys] if not table else list(_KEYS[table])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f'; maksudnya "{close[0]}"?' if close else f"; yang dikenal: {', '.join(_KEYS[table])}"
    what = "bagian" if is_table else "kunci"
    return f'{what} "{key}"{_where(table, is_table)} tidak dikenal{hint}'


def _check_keys(data: dict) -> str | None:
    for key, value in data.items():
        reason = _unknown_key(key, "", isinstance(value, (dict, list)))
        if reason:
            return reason
    for table in ("capaian", "jangka_menengah"):
        if isinstance(data.get(table), dict):
            for key in data[table]:
                reason = _unknown_key(key, table)
                if reason:
                    return reason
    if isinstance(data.get("kategori"), list):
        for i, item in enumerate(data["kategori"], 1):
            if isinstance(item, dict):
                for key in item:
                    reason = _unknown_key(key, "kategori")
                    if reason:
                        return f"kategori ke-{i}: {reason}"
    return None


def _number(value: object) -> bool:
    """A finite TOML number: not a boolean, not nan, not inf."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def _not_finite(name: str, value: object) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        shown = "nan (bukan angka)" if math.isnan(value) else f"{'-' if value < 0 else ''}inf (tak terhingga)"
        return f"{name} bernilai {shown}; tulis angka biasa, misalnya 100"
    return None


# tomllib's messages are English; the ones a hand-edited policy meets, in Bahasa Indonesia.
_TOML_REASONS = (
    ("Invalid value", "nilai tidak sah (teks perlu tanda kutip, angka tanpa satuan)"),
    ("Expected '=' after a key", "tanda = tidak ada setelah nama kunci"),
    ("Cannot declare", "bagian atau kunci dideklarasikan dua kali"),
    ("Cannot overwrite a value", "kunci diisi dua kali"),
    ("Unclosed array", "daftar [ ... ] tidak ditutup"),
    ("Unterminated string", "teks tidak ditutup dengan tanda kutip"),
    ("Illegal character", "karakter tidak sah"),
    ("Invalid statement", "baris tidak dapat dibaca"),
    ("Expected newline or end of document", "ada isi lain setelah nilai pada baris yang sama"),
    ("Expected ']' at the end of a table", "nama bagian tidak ditutup dengan ]"),
    ("Expected ']]'", "nama [[kategori]] tidak ditutup dengan ]]"),
    ("Cannot redefine namespace", "bagian atau kunci dideklarasikan dua kali"),
    ("Cannot mutate immutable namespace", "bagian atau kunci dideklarasikan dua kali"),
    ("Duplicate inline table key", "kunci diisi dua kali"),
    ("Unclosed inline table", "tabel { ... } tidak ditutup"),
    ("Invalid date or datetime", "tanggal tidak sah"),
    ("Unescaped", "garis miring terbalik (\\) dalam teks harus ditulis \\\\"),
    ("Found invalid character", "karakter tidak sah"),
    ("Invalid initial character for a key part", "nama kunci tidak sah"),
)


def _toml_reason(exc: tomllib.TOMLDecodeError) -> str:
    text = str(exc)
    what = next((ind for en, ind in _TOML_REASONS if text.startswith(en)), "penulisan tidak sah")
    at = re.search(r"at line (\d+), column (\d+)", text)
    if at is not None:
        where = f" di baris {at.group(1)}, kolom {at.group(2)}"
    else:
        where = " di akhir berkas" if "end of document" in text else ""
    return f"berkas kebijakan bukan TOML yang sah{where}: {what}"


def loads(text: str) -> Policy:
    """A policy from TOML text; PolicyError says what is wrong."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(_toml_reason(exc)) from None
    reason = _check_keys(data)
    if reason:
        raise PolicyError(reason)
    cap = data.get("capaian", {})
    if not isinstance(cap, dict):
        raise PolicyError("bagian [capaian] harus berupa tabel")
    rumus = cap.get("rumus_negatif", DEFAULT_POLICY.rumus_negatif)
    if rumus not in RUMUS_NEGATIF:
        raise PolicyError(f'rumus_negatif "{rumus}" tidak dikenal; pilih "2T-R" atau "T/R"')
    batas = cap.get("batas_atas")
    if batas is not None and (reason := _not_finite("batas_atas", batas)):
        raise PolicyError(reason)
    if batas is not None and (not _number(batas) or batas <= 0):
        raise PolicyError("batas_atas harus angka lebih dari 0 (persen), atau hapus barisnya")
    desimal = cap.get("desimal_tampilan", DEFAULT_POLICY.desimal_tampilan)
    if reason := _not_finite("desimal_tampilan", desimal):
        raise PolicyError(reason)
    if isinstance(desimal, bool) or not isinstance(desimal, int) or not 0 <= desimal <= 6:
        raise PolicyError("desimal_tampilan harus bilangan bulat 0 sampai 6")
    jm = data.get("jangka_menengah", {})
    if not isinstance(jm, dict):
        raise PolicyError("bagian [jangka_menengah] harus berupa tabel")
    jalur = jm.get("sesuai_jalur_minimum", DEFAULT_POLICY.sesuai_jalur_minimum)
    if reason := _not_finite("sesuai_jalur_minimum", jalur):
        raise PolicyError(reason)
    if not _number(jalur) or not 0 < jalur <= 1000:
        raise PolicyError("sesuai_jalur_minimum harus angka lebih dari 0 (persen)")
    bands = DEFAULT_POLICY.kategori
    if "kategori" in data:
        raw = data["kategori"]
        if not isinstance(raw, list) or not raw:
            raise PolicyError("[[kategori]] harus berisi paling sedikit satu kategori")
        parsed = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, dict) or not isinstance(item.get("nama"), str) or not item["nama"].strip():
                raise PolicyError(f"kategori ke-{i} harus punya nama")
            minimum = item.get("minimum", float("-inf"))
            if "minimum" in item and (reason := _not_finite(f'minimum kategori "{item["nama"]}"', minimum)):
                raise PolicyError(reason + " (hapus minimum pada kategori terakhir untuk menampung sisanya)")
            if isinstance(minimum, bool) or not isinstance(minimum, (int, float)):
                raise PolicyError(f'minimum kategori "{item["nama"]}" harus angka')
            parsed.append(Band(float(minimum), item["nama"].strip()))
        minimums = [b.minimum for b in parsed]
        if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
            raise PolicyError("kategori harus diurutkan dari minimum tertinggi ke terendah, tanpa minimum ganda")
        if parsed[-1].minimum != float("-inf"):
            parsed.append(Band(float("-inf"), "Di Bawah Kategori"))
        bands = tuple(parsed)
    return Policy(rumus_negatif=rumus, batas_atas=None if batas is None else float(batas), kategori=bands, desimal_tampilan=desimal, sesuai_jalur_minimum=float(jalur))


# Byte-order marks, longest first: Notepad saves UTF-8 with one, PowerShell 5's `>` writes UTF-16 LE.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(raw: bytes) -> str:
    """The text of a policy file by its byte-order mark (UTF-8 without one); raises UnicodeDecodeError."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None and len(raw) >= 2 and b"\x00" in raw[:2]:
        # UTF-16 without a mark (some editors): ASCII text has a NUL in every other byte.
        encoding = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
    return raw.decode(encoding or "utf-8")


def load(path: str | Path) -> Policy:
    """A policy from a TOML file; PolicyError names the file and what is wrong."""
    try:
        p = Path(path)
        if p.exists() and not p.is_dir() and not p.is_file():
            raise PolicyError(f"berkas kebijakan {path} tidak dapat dibaca: bukan berkas biasa")
        raw = p.read_bytes()
    except OSError as exc:
        raise PolicyError(f"berkas kebijakan {path} tidak dapat dibaca: {os_reason(exc)}") from None
    if len(raw) > 1_000_000:
        raise PolicyError(f"berkas kebijakan {path} terlalu besar untuk sebuah kebijakan (lebih dari 1 MB)")
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        raise PolicyError(
            f"berkas kebijakan {path} bukan teks UTF-8 atau UTF-16 yang sah (byte tidak dikenal pada posisi {exc.start}); "
            "simpan ulang sebagai UTF-8, misalnya di Notepad: Simpan Sebagai, Encoding UTF-8"
        ) from None
    try:
        return loads(text)
    except PolicyError as exc:
        raise PolicyError(f"berkas kebijakan {path}: {exc.reason}") from None
