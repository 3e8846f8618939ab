"""Sentences of the Laporan Kinerja, generated from the same computed values as its tables.

Every sentence states only what the figures say, in Indonesian number style ("111,11%",
"Rp 19.651.888.000"), with the verb chosen by the figure as it is printed: above 100
"melampaui target", exactly 100 "mencapai target", below "belum mencapai target"; a grade
"tercapai" or "belum tercapai"; against last year "naik", "tetap" or "turun" with the points.
Nothing here is typed twice: the numbers come from compute/ and print with the policy's
display decimals, as the tables print them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.values import Grade, Number, format_number, show

if TYPE_CHECKING:
    from ..compute.history import IndicatorHistory
    from ..compute.recap import Recap
    from ..compute.satker import Consolidated, IndicatorResult
    from ..core.capaian import Capaian
    from ..core.values import Value


def pct(value: float | None, decimals: int) -> str:
    return "-" if value is None else f"{format_number(value, decimals)}%"


def rupiah(value: float | None) -> str:
    return "-" if value is None else f"Rp {format_number(value, 0)}"


def points(value: float, decimals: int) -> str:
    return f"{format_number(abs(value), decimals)} poin"


def verdict(capaian: Capaian, decimals: int) -> str:
    """The verb phrase of a capaian, as printed: melampaui / mencapai / belum mencapai target."""
    if capaian.met is not None:
        return "tercapai" if capaian.met else "belum tercapai"
    shown = round(capaian.value, decimals)
    if shown > 100:
        return "melampaui target"
    if shown == 100:
        return "mencapai target"
    return "belum mencapai target"


def change(delta: float | None, decimals: int) -> str | None:
    """ "naik 2,51 poin" / "tetap" / "turun 2,51 poin", by the change as printed."""
    if delta is None:
        return None
    shown = round(delta, decimals)
    if shown > 0:
        return f"naik {points(delta, decimals)}"
    if shown < 0:
        return f"turun {points(delta, decimals)}"
    return "tetap"


def value_text(v: Value | None, jenis: str | None) -> str:
    return "-" if v is None else show(v, jenis)


def indicator_paragraph(r: IndicatorResult, hist: IndicatorHistory | None, decimals: int) -> str:
    """One factual paragraph per indicator: target, realisasi, capaian and verdict; then the year before."""
    ind = r.indicator
    name = f'Indikator {ind.kode} "{ind.nama}"'
    target = value_text(ind.target, ind.jenis)
    if r.realisasi is None:
        text = f"{name} dengan target {target} belum memiliki realisasi; capaiannya belum dapat dihitung."
    elif r.capaian.value is None:
        text = f"{name} dengan target {target} terealisasi {value_text(r.realisasi, ind.jenis)}; capaiannya tidak dapat dihitung ({r.capaian.reason})."
    elif isinstance(r.realisasi, Grade):
        text = f"{name} dengan target {target} terealisasi {r.realisasi.code}: {verdict(r.capaian, decimals)}."
    else:
        text = f"{name} dengan target {target} terealisasi {value_text(r.realisasi, ind.jenis)}, capaian {pct(r.capaian.value, decimals)}: {verdict(r.capaian, decimals)}."
    if hist is not None and hist.previous is not None:
        prev = hist.previous
        moved = change(hist.perubahan, decimals)
        if moved is not None:
            text += f" Dibanding {prev.year} (realisasi {value_text(prev.realisasi, ind.jenis)}, capaian {pct(prev.capaian.value, decimals)}), capaian {moved}."
        elif prev.realisasi is None:
            text += f" Realisasi {prev.year} tidak tercatat di Renstra, sehingga belum dapat dibandingkan."
    return text


def executive_summary(result: Consolidated) -> list[str]:
    """The Ringkasan Eksekutif: satker capaian and kategori, indicators per kategori, best and weakest
    sasaran, the budget, and the comparison with last year where known."""
    d = result.policy.desimal_tampilan
    ident = result.identity
    n = len(result.indicators)
    out = [
        f"Laporan Kinerja {ident.satker} Tahun {ident.tahun} menyajikan capaian {n} indikator kinerja dari "
        f"{len(result.sasaran)} sasaran strategis Perjanjian Kinerja Tahun {ident.tahun}. Capaian kinerja satker "
        f"(rata-rata capaian sasaran) adalah {pct(result.satker_capaian, d)}, kategori {result.satker_kategori or '-'}."
    ]
    per = ", ".join(f"{count} {nama}" for nama, count in result.kategori_counts.items() if count)
    not_computed = sum(1 for r in result.indicators if r.kategori is None)
    met = sum(1 for r in result.indicators if r.capaian.value is not None and verdict(r.capaian, d) in ("melampaui target", "mencapai target", "tercapai"))
    text = f"Menurut kategori capaian: {per or 'tidak ada yang dapat dikategorikan'}"
    text += f"; {not_computed} indikator belum dapat dihitung." if not_computed else "."
    text += f" Sebanyak {met} dari {n} indikator mencapai atau melampaui targetnya"
    missed = [r.indicator.kode for r in result.indicators if r.capaian.value is not None and verdict(r.capaian, d) in ("belum mencapai target", "belum tercapai")]
    text += f"; yang belum: {', '.join(missed)}." if missed else "."
    out.append(text)
    ranked = [s for s in result.sasaran if s.capaian is not None]
    if len(ranked) > 1:
        # ties as printed are named together: S1 and S8 both print 111,11%
        top = max(round(s.capaian, d) for s in ranked)
        bottom = min(round(s.capaian, d) for s in ranked)
        if top != bottom:
            best = [s for s in ranked if round(s.capaian, d) == top]
            weakest = [s for s in ranked if round(s.capaian, d) == bottom]

            def named(items: list) -> str:
                return " dan ".join(f"{s.kode} ({s.nama})" for s in items)

            out.append(f"Capaian sasaran tertinggi pada {named(best)}, {pct(top, d)}; terendah pada {named(weakest)}, {pct(bottom, d)}.")
    out.append(
        f"Pagu anggaran {rupiah(result.pagu_total)} terealisasi {rupiah(result.realisasi_total)}, "
        f"serapan {pct(result.serapan_total, d)}; efisiensi (capaian kinerja dikurangi serapan) "
        f"{format_number(result.efisiensi_total, d) + ' poin' if result.efisiensi_total is not None else '-'}."
    )
    h = result.history
    if h is not None:
        parts = []
        if h.satker_capaian_lalu is not None and result.satker_capaian is not None:
            parts.append(f"capaian satker {change(result.satker_capaian - h.satker_capaian_lalu, d)} dari {pct(h.satker_capaian_lalu, d)}")
        if h.serapan_lalu is not None and result.serapan_total is not None:
            parts.append(f"serapan anggaran {change(result.serapan_total - h.serapan_lalu, d)} dari {pct(h.serapan_lalu, d)}")
        parts.append(f"{h.naik} indikator naik, {h.tetap} tetap dan {h.turun} turun")
        out.append(f"Dibanding tahun {h.year - 1}: " + "; ".join(parts) + ".")
    else:
        out.append("Perbandingan dengan tahun sebelumnya belum dapat disajikan karena Renstra tidak disertakan.")
    return out


def closing_summary(result: Consolidated) -> list[str]:
    """BAB IV: the results in brief (conclusions and plans are the people's to write)."""
    d = result.policy.desimal_tampilan
    out = [
        f"Secara keseluruhan capaian kinerja {result.identity.satker} tahun {result.identity.tahun} adalah "
        f"{pct(result.satker_capaian, d)} (kategori {result.satker_kategori or '-'}), dengan serapan anggaran "
        f"{pct(result.serapan_total, d)}."
    ]
    below = [r for r in result.indicators if r.capaian.value is not None and verdict(r.capaian, d) in ("belum mencapai target", "belum tercapai")]
    if below:
        out.append("Indikator yang belum mencapai target: " + "; ".join(f'{r.indicator.kode} "{r.indicator.nama}" ({pct(r.capaian.value, d)})' for r in below) + ".")
    else:
        out.append("Seluruh indikator yang capaiannya dapat dihitung mencapai atau melampaui targetnya.")
    return out


def number_text(v: object) -> str:  # a table cell
    """How a plain number cell of a report table prints in Word (Indonesian style)."""
    if isinstance(v, Number):
        v = v.value
    if isinstance(v, Grade):
        return v.code
    if isinstance(v, float):
        return format_number(v, None if not v.is_integer() else 0)
    return format_number(v, 0) if isinstance(v, int) else str(v)


def cell_text(value: object, kind: str, decimals: int) -> tuple[str, str | None]:  # a table cell
    """How a report table's cell prints in Word and on the web page: (text, "right" | "center" | None)."""
    if value is None or value == "":
        return "", None
    if isinstance(value, Grade):
        return value.code, "center"
    if kind == "capaian" and isinstance(value, (int, float)):
        return format_number(value, decimals), "right"
    if kind == "money" and isinstance(value, (int, float)):
        return format_number(value, 0), "right"
    if isinstance(value, (Number, int, float)) and not isinstance(value, bool):
        return number_text(value), "right"
    return str(value), ("center" if kind == "center" else None)


def anggaran_line(result: Consolidated) -> str:
    """The budget and the validation status in one sentence (the CLI's summary, the web page's result)."""
    from ..core.values import format_rupiah

    d = result.policy.desimal_tampilan
    return f"Anggaran: pagu {format_rupiah(result.pagu_total)}, realisasi {format_rupiah(result.realisasi_total)}, serapan {pct(result.serapan_total, d)}. {result.status}."


def comparison_line(result: Consolidated) -> str:  # one with a history (result.history is not None)
    """This year against last year, in one sentence (the CLI's summary, the web page's result)."""
    h = result.history
    d = result.policy.desimal_tampilan
    return (
        f"Dibanding {h.year - 1} (Renstra {h.renstra.identity.periode}): "
        f"capaian satker {pct(result.satker_capaian, d)} (tahun lalu {pct(h.satker_capaian_lalu, d)}), "
        f"serapan {pct(result.serapan_total, d)} (tahun lalu {pct(h.serapan_lalu, d)}); "
        f"{h.naik} indikator naik, {h.turun} turun, {h.tetap} tetap; "
        f"{h.with_previous} dari {len(h.indicators)} indikator punya realisasi tahun lalu, {h.with_end_target} punya target akhir Renstra."
    )


def readiness(result: Consolidated) -> list[tuple[str, str]]:
    """What the data answers of criterion 3.b of the SAKIP evaluation: (item, "ada" or what is missing)."""
    h = result.history
    n = len(result.indicators)
    analysed = sum(1 for r in result.indicators if any(row.analisis for row in r.ra_rows))
    national = sum(1 for m in (h.renstra.data.indicators if h else []) if m.target_nasional is not None)
    return [
        ("Perbandingan dengan target tahunan", "ada" if n else "tidak ada indikator"),
        ("Perbandingan dengan target jangka menengah", f"ada ({h.with_end_target} dari {n} indikator)" if h else "belum: Renstra tidak disertakan"),
        ("Perbandingan dengan tahun sebelumnya", f"ada ({h.with_previous} dari {n} indikator)" if h else "belum: Renstra (Riwayat Realisasi) tidak disertakan"),
        ("Perbandingan dengan standar nasional", f"ada ({national} indikator bertarget nasional)" if national else "belum: Target Nasional di Renstra kosong"),
        ("Efisiensi penggunaan sumber daya", "ada" if result.programs else "belum: PK tanpa lembar Anggaran"),
        ("Analisis penyebab dan upaya", f"{analysed} dari {n} indikator diisi divisi" + ("" if analysed == n else "; sisanya ditandai untuk diisi")),
    ]


def summary_lines(result: Consolidated) -> list[str]:
    """What the CLI and the page say after a consolidation, sentence by sentence."""
    d = result.policy.desimal_tampilan
    lines = [f"Capaian satker {pct(result.satker_capaian, d)} ({result.satker_kategori or '-'}).", anggaran_line(result)]
    if result.history is not None:
        lines.append(comparison_line(result))
    return lines


def report_lines(result: Consolidated, placeholders: list[str]) -> list[str]:
    """What the CLI and the page say of a written Laporan Kinerja, after the summary."""
    return [
        f"{len(placeholders)} bagian masih perlu ditulis orang (ditandai kuning di dokumen).",
        "Kesiapan evaluasi (kriteria 3.b SAKIP):",
        *(f"  {item}: {answer}" for item, answer in readiness(result)),
    ]


RANKING_SHOWN = 10  # satker listed in full up to this many; more: the first and the last five


def ranking_lines(recap: Recap) -> list[str]:
    """The recap's ranking in short, then the counts (the CLI's `rekap` summary)."""
    d = recap.policy.desimal_tampilan
    ranked = sorted((s for s in recap.satker if s.peringkat is not None), key=lambda s: s.peringkat)
    shown = ranked if len(ranked) <= RANKING_SHOWN else ranked[: RANKING_SHOWN // 2] + ranked[-RANKING_SHOWN // 2 :]
    lines = [f"{s.peringkat:>4}. {s.satker} {s.tahun}: {pct(s.capaian, d)} ({s.figures.kategori}){f', {s.errors} galat' if s.errors else ''}" for s in shown]
    lines.append(f"{len(recap.satker)} satker, {len(recap.incomplete)} belum lengkap (lembar Belum Lengkap); {len(recap.findings)} temuan.")
    return lines
