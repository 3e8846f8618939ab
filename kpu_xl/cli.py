"""The `kpu-xl` command: parses arguments, calls the library, prints. No logic here.

Imports of the heavy modules happen inside the commands so that `kpu-xl --help`
starts fast (and never imports pandas).
"""

from __future__ import annotations

import os
import re
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import typer

from . import __version__


def _help_in_indonesian() -> None:
    """The parser's own words in help pages (Usage, Options, the --help line) in Bahasa Indonesia.

    They live in typer's vendored click (typer._click), which offers no translation hook; a typer
    without it keeps them in English rather than failing.
    """
    try:
        from typer._click import core, formatting
    except ImportError:
        return
    headings = {"Options": "Opsi", "Arguments": "Argumen", "Commands": "Perintah"}
    write_usage, write_heading, get_help_option = formatting.HelpFormatter.write_usage, formatting.HelpFormatter.write_heading, core.Command.get_help_option

    def usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ANN001
        write_usage(self, prog, args, "Pemakaian: " if prefix is None else prefix)

    def heading(self, text: str) -> None:  # noqa: ANN001
        write_heading(self, headings.get(text, text))

    def help_option(self, ctx):  # noqa: ANN001, ANN202
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "Tampilkan bantuan ini lalu keluar."
        return option

    formatting.HelpFormatter.write_usage, formatting.HelpFormatter.write_heading, core.Command.get_help_option = usage, heading, help_option


_help_in_indonesian()

app = typer.Typer(
    name="kpu-xl",
    help="Validasi dan konsolidasi Perjanjian Kinerja (PK) dan Rencana Aksi (RA) KPU dari berkas Excel.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rich-rendered help imports markdown-it and costs ~40 ms per start
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpu-xl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Tampilkan versi lalu keluar.", callback=_version, is_eager=True),
) -> None:
    """Validasi dan konsolidasi Perjanjian Kinerja (PK) dan Rencana Aksi (RA) KPU dari berkas Excel."""


@app.command("kebijakan")
def kebijakan() -> None:
    """Cetak kebijakan perhitungan capaian bawaan (TOML) untuk disalin dan diubah."""
    from .core.policy import dump

    typer.echo(dump())


def _timpa():  # noqa: ANN202 - typer's OptionInfo: the same --timpa on every command that writes
    return typer.Option(False, "--timpa", help="Timpa berkas yang sudah ada walau bukan buatan kpu-xl (mis. PK/RA yang sudah diisi).")


def _kebijakan():  # noqa: ANN202 - the same --kebijakan on every command that computes capaian
    return typer.Option(None, "--kebijakan", help="Berkas kebijakan TOML (lihat: kpu-xl kebijakan).")


class Format(str, Enum):
    text = "text"
    json = "json"


# C0 controls except tab/newline, DEL and C1 controls (U+009B is a terminal escape): user text
# and file names must never drive the terminal.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def Text(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201, N802 - rich.text.Text, imported when first printed
    from rich.text import Text as RichText

    return RichText(*args, **kwargs)


def _safe(text: str | None):  # noqa: ANN201 - rich.text.Text
    """User-derived text for the terminal: literal (no rich markup), without control characters."""
    return Text(_TERMINAL_UNSAFE.sub("\ufffd", text or "-"))


def _print_findings(report, console) -> None:
    from rich.table import Table

    from .core.findings import shown_and_rest

    by_file: dict[str, list] = {}
    for f in report.findings:
        by_file.setdefault(f.file, []).append(f)
    for file, items in by_file.items():
        table = Table(title=_safe(file), title_justify="left", show_lines=False, expand=False)
        for header in ("Lembar", "Sel", "Tingkat", "Kode", "Pesan"):
            table.add_column(header, overflow="fold")
        shown, rest = shown_and_rest(items, lambda f: f.code)
        for f in shown:
            level = "[red]galat[/red]" if f.is_error else "[yellow]peringatan[/yellow]"
            table.add_row(_safe(f.sheet), _safe(f.cell), level, Text(f.code), _safe(f.message))
        console.print(table)
        if rest:
            listed = ", ".join(f"{code} {n}" for code, n in rest)
            console.print(Text(f"... dan {sum(n for _, n in rest)} temuan lain di berkas ini tidak ditampilkan ({listed}); daftar lengkap: --format json atau --annotate."))


def _json_text(data: dict) -> str:
    """JSON with DEL and C1 controls escaped too (json.dumps leaves them raw with ensure_ascii=False)."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


@app.command("validate")
def validate_cmd(
    paths: list[Path] = typer.Argument(..., help="Berkas .xlsx/.xlsm atau folder (dicari rekursif)."),
    format: Format = typer.Option(Format.text, "--format", help="text (tabel) atau json."),
    annotate_dir: Optional[Path] = typer.Option(None, "--annotate", help="Folder untuk salinan beranotasi (sel bermasalah ditandai dan diberi komentar)."),
    timpa: bool = _timpa(),
) -> None:
    """Periksa buku kerja PK dan RA; tunjukkan setiap masalah sampai ke selnya.

    Status keluar: 0 tanpa galat (peringatan boleh), 1 ada galat, 2 tidak ada masukan yang dapat diperiksa atau salinan beranotasi yang diminta tidak dapat ditulis.
    """
    from .pipeline.load import load, report_of

    result = load(paths, keep_rows=False)  # a report needs no rows: memory stays small for many files
    report = report_of(result)
    if annotate_dir is not None or format != Format.json:  # rich only when something is printed with it
        from rich.console import Console

        console = Console(stderr=False, highlight=False)
        errors = Console(stderr=True, highlight=False)
    failed = 0
    if annotate_dir is not None:
        failed = _annotate(result, paths, annotate_dir, console, errors, quiet=format == Format.json, overwrite=timpa)
    if format == Format.json:
        typer.echo(_json_text(report.as_dict()))
    else:
        if report.inputs_found == 0:
            console.print("Tidak ada berkas .xlsx/.xlsm yang dapat diperiksa.", style="red", markup=False)
        _print_findings(report, console)
        console.print(Text(report.summary_line(), style="bold"))
    raise typer.Exit(2 if failed else report.exit_code)


def _annotate(result, paths, out_dir: Path, console, errors, quiet: bool, overwrite: bool = False) -> int:
    """Write the annotated copies; returns how many could not be written (reported on stderr)."""
    from .pipeline.load import collect_paths
    from .report.annotate import annotate_all

    inputs = [p for p, _ in collect_paths(paths).files]
    failed = 0
    for doc, written, problem in annotate_all(result.documents, result.findings, out_dir, protect=inputs, overwrite=overwrite):
        if problem:
            failed += 1
            errors.print(_safe(f"Salinan beranotasi {doc.display_name} tidak ditulis: {problem}"), style="red")
        elif not quiet:
            console.print(_safe(f"Salinan beranotasi: {written}"))
    return failed


template_app = typer.Typer(
    help="Buat templat Excel Perjanjian Kinerja (PK) atau Rencana Aksi (RA) yang siap diisi.",
    no_args_is_help=True,
)
app.add_typer(template_app, name="template")


def _template_failed(err: Exception) -> NoReturn:
    typer.echo(f"Galat: {err}", err=True)
    raise typer.Exit(2)


def _warn_if_pk_has_errors(dari: Path, pk) -> None:  # noqa: ANN001 - the PK Document as read
    errors = sum(1 for f in pk.findings if f.is_error)
    if errors:
        typer.echo(f"Perhatian: PK {dari.name} berisi {errors} galat; periksa dengan: kpu-xl validate {dari.name}", err=True)


@template_app.command("pk")
def template_pk(
    output: Path = typer.Option(..., "-o", "--output", help="Berkas templat yang ditulis (.xlsx)."),
    satker: str = typer.Option("", "--satker", help="Nama satuan kerja, diisikan di lembar Identitas."),
    tahun: Optional[int] = typer.Option(None, "--tahun", help="Tahun PK, diisikan di lembar Identitas."),
    timpa: bool = _timpa(),
) -> None:
    """Buat templat Perjanjian Kinerja (PK)."""
    from .api import template
    from .xlsx.template import TemplateError

    try:
        template("PK", output, satker=satker, tahun=tahun, overwrite=timpa)
    except TemplateError as err:
        _template_failed(err)
    typer.echo(f"Templat PK ditulis: {output}")


@template_app.command("ra")
def template_ra(
    output: Path = typer.Option(..., "-o", "--output", help="Berkas templat yang ditulis (.xlsx)."),
    dari: Optional[Path] = typer.Option(None, "--dari", help="PK (.xlsx) sumber: identitas dan indikatornya diisikan."),
    divisi: str = typer.Option("", "--divisi", help="Divisi penyusun; dengan --dari hanya indikator divisi ini yang diisikan."),
    timpa: bool = _timpa(),
) -> None:
    """Buat templat Rencana Aksi (RA), kosong atau berisi indikator dari PK (--dari)."""
    from .api import template, template_ra_from_pk
    from .xlsx.template import TemplateError

    try:
        if dari is None:
            template("RA", output, divisi=divisi, overwrite=timpa)
            typer.echo(f"Templat RA ditulis: {output}")
            return
        count, pk = template_ra_from_pk(dari, output, divisi=divisi, overwrite=timpa)
    except TemplateError as err:
        _template_failed(err)
    typer.echo(f"Templat RA ditulis: {output} ({count} indikator dari {dari.name})")
    _warn_if_pk_has_errors(dari, pk)
    if count == 0:
        typer.echo("Perhatian: tidak ada indikator yang diisikan (PK kosong, atau tidak ada indikator dengan Pelaksana divisi ini).", err=True)


@template_app.command("renstra")
def template_renstra(
    output: Path = typer.Option(..., "-o", "--output", help="Berkas templat yang ditulis (.xlsx)."),
    satker: str = typer.Option("", "--satker", help="Nama satuan kerja, diisikan di lembar Identitas."),
    periode: str = typer.Option("2025-2029", "--periode", help="Periode Renstra, mis. 2020-2024; kolom Target dan Realisasi tiap tahun mengikutinya."),
    dari: Optional[Path] = typer.Option(None, "--dari", help="PK (.xlsx) sumber: sasaran dan indikatornya diisikan, targetnya sebagai target tahun PK."),
    timpa: bool = _timpa(),
) -> None:
    """Buat templat Rencana Strategis (Renstra): target jangka menengah, riwayat realisasi dan anggaran."""
    from .api import template, template_renstra_from_pk
    from .xlsx.template import TemplateError

    try:
        if dari is None:
            template("RENSTRA", output, satker=satker, periode=periode, overwrite=timpa)
            typer.echo(f"Templat Renstra {periode} ditulis: {output}")
            return
        count, pk = template_renstra_from_pk(dari, output, satker=satker, periode=periode, overwrite=timpa)
    except TemplateError as err:
        _template_failed(err)
    typer.echo(f"Templat Renstra {periode} ditulis: {output} ({count} indikator dari {dari.name})")
    from .kinds.renstra import parse_periode

    years = parse_periode(periode)
    if pk.identity.tahun is not None and not isinstance(years, str) and not years[0] <= pk.identity.tahun <= years[1]:
        typer.echo(f"Perhatian: tahun PK {pk.identity.tahun} di luar periode {periode}; target PK tidak diisikan sebagai target tahunan.", err=True)
    _warn_if_pk_has_errors(dari, pk)


@app.command("consolidate")
def consolidate_cmd(
    paths: list[Path] = typer.Argument(..., help="Satu PK dan RA-RA satu satker dan tahun (berkas atau folder)."),
    output: Path = typer.Option(..., "-o", "--output", help="Berkas .xlsx hasil konsolidasi."),
    kebijakan: Optional[Path] = _kebijakan(),
    izinkan_galat: bool = typer.Option(False, "--izinkan-galat", help="Tetap tulis hasil walau ada galat; baris terdampak ditandai."),
    timpa: bool = _timpa(),
) -> None:
    """Gabungkan PK dan RA satu satker menjadi satu buku kerja tabel LKjIP BAB III.

    Status keluar: 0 berhasil, 1 ada galat (tidak ada yang ditulis tanpa --izinkan-galat), 2 tidak dapat berjalan.
    """
    from .api import write
    from .core.files import OutputError

    console, result, inputs = _consolidated(paths, output, kebijakan, izinkan_galat, ".xlsx")
    try:
        written = write(result, output, inputs=inputs, overwrite=timpa)
    except OutputError as exc:
        console.print(Text(f"Hasil tidak dapat ditulis: {exc}.", style="red"))
        raise typer.Exit(2) from None
    _print_summary(result, console)
    console.print(Text(f"Ditulis: {written}", style="bold green"))
    raise typer.Exit(0)


def _policy_or_exit(kebijakan: Path | None, console):  # noqa: ANN001, ANN202 - rich Console -> Policy
    """The policy a --kebijakan file gives (the default without one); exit 2 with the reason when it cannot be used."""
    from .core.policy import DEFAULT_POLICY, PolicyError
    from .core.policy import load as load_policy

    if kebijakan is None:
        return DEFAULT_POLICY
    loaded = load_policy(kebijakan)
    if isinstance(loaded, PolicyError):
        console.print(Text(f"Kebijakan tidak dapat dipakai: {loaded.reason}", style="red"))
        raise typer.Exit(2)
    return loaded


def _consolidated(paths: list[Path], output: Path, kebijakan: Path | None, izinkan_galat: bool, suffix: str):  # noqa: ANN202
    """What consolidate and laporan share: refuse to write over an input, load the policy, read and
    check, and stop with exit 1 on errors unless --izinkan-galat. Returns (console, result, inputs)."""
    from rich.console import Console
    from rich.progress import Progress

    from .api import ConsolidateError, consolidate
    from .core.files import OutputError, refuse_inputs
    from .pipeline.load import collect_paths

    console = Console(highlight=False)
    if output.suffix.lower() != suffix:
        console.print(Text(f"Nama berkas keluaran harus berakhiran {suffix}: {output} (mis. {output.with_suffix(suffix).name}).", style="red"))
        raise typer.Exit(2)
    # Every file the paths name, duplicates included: none of them may be overwritten.
    inputs = [path for path, _ in collect_paths(paths).files]
    try:
        refuse_inputs(output, inputs)
    except OutputError as exc:
        console.print(Text(f"Hasil tidak dapat ditulis: {exc}.", style="red"))
        raise typer.Exit(2) from None
    policy = _policy_or_exit(kebijakan, console)
    try:
        with Progress(transient=True, console=console) as bar:
            task = bar.add_task("Membaca berkas", total=None)
            result = consolidate(paths, policy, progress=lambda name: bar.update(task, description=f"Membaca {Path(name).name}"))
    except ConsolidateError as exc:
        console.print(Text(str(exc), style="red"))
        raise typer.Exit(2) from None
    if result.errors and not izinkan_galat:
        from .pipeline.load import Report

        _print_findings(Report(result.files, result.errors, len(result.files)), console)
        console.print(Text(f"{len(result.errors)} galat: tidak ada yang ditulis. Perbaiki, atau pakai --izinkan-galat untuk tetap menulis dengan penanda.", style="bold red"))
        raise typer.Exit(1)
    return console, result, inputs


@app.command("laporan")
def laporan_cmd(
    paths: list[Path] = typer.Argument(..., help="PK, RA-RA dan Renstra satu satker (berkas atau folder)."),
    output: Path = typer.Option(..., "-o", "--output", help="Berkas .docx Laporan Kinerja yang ditulis."),
    kebijakan: Optional[Path] = _kebijakan(),
    izinkan_galat: bool = typer.Option(False, "--izinkan-galat", help="Tetap tulis walau ada galat."),
    templat_laporan: Optional[Path] = typer.Option(None, "--templat-laporan", help="Dokumen Word kantor (kop, logo, gaya, margin) sebagai dasar."),
    timpa: bool = _timpa(),
) -> None:
    """Tulis draf Laporan Kinerja (LKjIP) sebagai dokumen Word dari angka yang sama dengan konsolidasi.

    Status keluar: 0 berhasil, 1 ada galat (tidak ada yang ditulis tanpa --izinkan-galat), 2 tidak dapat berjalan.
    """
    from .api import write_report
    from .core.files import OutputError

    if templat_laporan is not None and not templat_laporan.is_file():
        what = "adalah folder, bukan dokumen Word" if templat_laporan.is_dir() else "tidak ditemukan"
        typer.echo(f"Templat laporan {templat_laporan} {what}.", err=True)
        raise typer.Exit(2)
    console, result, inputs = _consolidated(paths, output, kebijakan, izinkan_galat, ".docx")
    try:
        written = write_report(result, output, inputs=inputs, base=templat_laporan, overwrite=timpa)
    except OutputError as exc:
        console.print(Text(f"Laporan tidak dapat ditulis: {exc}.", style="red"))
        raise typer.Exit(2) from None
    except Exception:  # noqa: BLE001 - an office template python-docx cannot open
        if templat_laporan is None:
            raise
        console.print(Text(f"Templat laporan {templat_laporan.name} tidak dapat dipakai: bukan dokumen Word (.docx) yang dapat dibuka; simpan ulang di Word sebagai .docx.", style="red"))
        raise typer.Exit(2) from None
    from .report.docx import readiness

    _print_summary(result, console)
    console.print(Text("Kesiapan evaluasi (kriteria 3.b SAKIP):", style="bold"))
    for item, answer in readiness(result):
        console.print(Text(f"  {item}: {answer}"))
    console.print(Text(f"Ditulis: {written.path}", style="bold green"))
    console.print(Text(f"{len(written.placeholders)} bagian masih perlu ditulis orang (ditandai kuning di dokumen)."))
    raise typer.Exit(0)


@app.command("rekap")
def rekap_cmd(
    paths: list[Path] = typer.Argument(..., help="PK, RA dan Renstra banyak satker (berkas atau folder, susunan folder bebas)."),
    output: Path = typer.Option(..., "-o", "--output", help="Berkas .xlsx rekap yang ditulis."),
    kebijakan: Optional[Path] = _kebijakan(),
    format: Format = typer.Option(Format.text, "--format", help="text (ringkas) atau json."),
    timpa: bool = typer.Option(False, "--timpa", help="Timpa berkas yang sudah ada walau bukan buatan kpu-xl."),
) -> None:
    """Rekap semua satker dan tahun di antara masukan: capaian, peringkat, indikator bersama, yang belum lengkap.

    Status keluar: 0 ditulis (temuan adalah isi rekap, bukan kegagalan), 2 tidak dapat berjalan.
    """
    from rich.console import Console
    from rich.progress import Progress

    from .api import recap, write_recap
    from .core.files import OutputError, refuse_inputs
    from .pipeline.load import collect_paths

    console = Console(highlight=False, stderr=format == Format.json)
    if output.suffix.lower() != ".xlsx":
        console.print(Text(f"Nama berkas keluaran harus berakhiran .xlsx: {output}.", style="red"))
        raise typer.Exit(2)
    inputs = [path for path, _ in collect_paths(paths).files]
    if not inputs:
        console.print(Text("Tidak ada berkas .xlsx/.xlsm yang dapat dibaca.", style="red"))
        raise typer.Exit(2)
    try:
        refuse_inputs(output, inputs)
    except OutputError as exc:
        console.print(Text(f"Rekap tidak dapat ditulis: {exc}.", style="red"))
        raise typer.Exit(2) from None
    policy = _policy_or_exit(kebijakan, console)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Membaca berkas", total=len(inputs))
        result = recap(paths, policy, progress=lambda name: bar.update(task, advance=1, description=f"Membaca {Path(name).name}"))
    try:
        written = write_recap(result, output, inputs=inputs, overwrite=timpa)
    except OutputError as exc:
        console.print(Text(f"Rekap tidak dapat ditulis: {exc}.", style="red"))
        raise typer.Exit(2) from None
    if format == Format.json:
        typer.echo(_json_text(result.as_dict()))
        raise typer.Exit(0)
    from .report.narrative import pct

    ranked = sorted((s for s in result.satker if s.peringkat is not None), key=lambda s: s.peringkat)
    shown = ranked if len(ranked) <= 10 else ranked[:5] + ranked[-5:]
    for s in shown:
        console.print(Text(f"{s.peringkat:>4}. {s.satker} {s.tahun}: {pct(s.capaian, policy.desimal_tampilan)} ({s.figures.kategori}){'' if not s.errors else f', {s.errors} galat'}"))
    console.print(Text(f"{len(result.satker)} satker, {len(result.incomplete)} belum lengkap (lembar Belum Lengkap); {len(result.findings)} temuan."))
    console.print(Text(f"Ditulis: {written}", style="bold green"))
    raise typer.Exit(0)


@app.command("web")
def web_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat yang didengar: 127.0.0.1 hanya komputer ini; 0.0.0.0 untuk jaringan kantor (perlu kode akses)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port halaman."),
    kode_akses: Optional[str] = typer.Option(None, "--kode-akses", help="Kode yang harus dimasukkan pengguna; tanpa ini, untuk --host selain 127.0.0.1 dibuat acak dan dicetak."),
) -> None:
    """Jalankan halaman web lokal: rekan kantor memeriksa, menggabungkan dan membuat laporan dari peramban.

    Status keluar: 0 dihentikan dengan Ctrl-C, 2 tidak dapat dijalankan.
    """
    try:
        from .web.server import ServeError, serve
    except ImportError as exc:
        package = (exc.name or "starlette").split(".")[0]
        typer.echo(f"Halaman web memerlukan paket tambahan ({package}); pasang di folder kpu-xl dengan: pip install '.[web]'", err=True)
        raise typer.Exit(2) from None
    try:
        serve(host, port, kode_akses, echo=typer.echo)
    except ServeError as exc:
        typer.echo(f"Galat: {exc}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(0)


def _print_summary(result, console) -> None:
    from rich.table import Table

    from .report.narrative import anggaran_line, comparison_line
    from .report.narrative import pct as _pct

    def pct(v):  # noqa: ANN001, ANN202
        return _pct(v, result.policy.desimal_tampilan)

    table = Table(title=f"{result.identity.satker} - {result.identity.tahun}", title_justify="left")
    table.add_column("Sasaran", overflow="fold")
    table.add_column("Capaian", justify="right")
    table.add_column("Kategori")
    for s in result.sasaran:
        table.add_row(Text(f"{s.kode} {s.nama}"), pct(s.capaian), Text(s.kategori or "-"))
    table.add_row(Text("Satker", style="bold"), pct(result.satker_capaian), Text(result.satker_kategori or "-"))
    console.print(table)
    console.print(Text(anggaran_line(result)))
    if result.history is not None:
        console.print(Text(comparison_line(result)))


def _usage_message(exc) -> str:  # noqa: ANN001 - a click UsageError
    """A command-line mistake said in Bahasa Indonesia (click's own messages are English)."""
    import re as _re

    name = type(exc).__name__
    param = getattr(exc, "param", None)
    opts = " / ".join(getattr(param, "opts", None) or []) if param is not None else ""
    if name == "MissingParameter":
        if getattr(param, "param_type_name", "") == "argument" or (param is not None and not getattr(param, "opts", [""])[0].startswith("-")):
            return f"Argumen wajib belum diberikan: {(getattr(param, 'name', '') or '').upper()} (berkas atau folder)."
        return f"Opsi wajib belum diberikan: {opts}."
    if name == "NoSuchOption":
        hint = f" Maksudnya {', '.join(exc.possibilities)}?" if getattr(exc, "possibilities", None) else ""
        return f"Opsi tidak dikenal: {exc.option_name}.{hint}"
    if name in ("BadParameter", "BadOptionUsage", "BadArgumentUsage"):
        choices = getattr(getattr(param, "type", None), "choices", None)
        if choices is None and param is not None and hasattr(param, "type") and hasattr(param.type, "enum"):
            choices = [e.value for e in param.type.enum]
        found = _re.search(r"'([^']*)' is not one of (.*?)\.?$", exc.format_message())
        value = f' "{found.group(1)}"' if found else ""
        if choices is None and found:
            choices = _re.findall(r"'([^']*)'", found.group(2))
        listed = f"; pilih salah satu: {', '.join(map(str, choices))}" if choices else ""
        return f"Nilai{value} untuk {opts or 'argumen'} tidak sah{listed}."
    found = _re.search(r"No such command '([^']*)'", exc.format_message())
    if found:
        return f'Perintah "{found.group(1)}" tidak dikenal; perintah yang ada: {", ".join(sorted(c.name for c in app.registered_commands))}, template.'
    if "Got unexpected extra argument" in exc.format_message():
        return "Ada argumen berlebih yang tidak dikenal."
    return f"Penulisan perintah tidak sah ({exc.format_message()})."


def _stop_on_signal(signum, frame) -> None:  # noqa: ANN001
    """Ctrl-C or SIGTERM stops the run from the handler itself: temporary files are removed and
    nothing half-written stays. It does not raise KeyboardInterrupt: one that lands in a callback
    (an import lock's, a finaliser's) is printed by Python as a traceback and then ignored, and the
    run went on as if nobody had pressed Ctrl-C."""
    global _STOPPED_BY
    _STOPPED_BY = signum
    _stopped(in_handler=True)


_STOPPED_BY: int | None = None  # the signal that stopped the run (SIGINT when None)


def main() -> None:
    """The console script: Indonesian messages for command-line mistakes, and a clean stop on
    Ctrl-C or SIGTERM (exit 130 / 143, temporary files removed, no traceback)."""
    signal.signal(signal.SIGINT, _stop_on_signal)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        _stopped()
    except Exception as exc:  # noqa: BLE001 - click's usage errors; anything else is re-raised
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code") and type(exc).__name__ != "Abort"):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":  # `kpu-xl` or `kpu-xl template` alone: the help page
            typer.echo(exc.format_message())
            raise SystemExit(exc.exit_code) from None
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            typer.echo(ctx.get_usage().replace("Usage:", "Pemakaian:"), err=True)
            typer.echo(f"Bantuan: {ctx.command_path} --help", err=True)
        typer.echo(f"Galat: {_usage_message(exc)}", err=True)
        raise SystemExit(exc.exit_code) from None
    if code == 130:  # typer turns a KeyboardInterrupt into 130
        _stopped()
    raise SystemExit(code or 0)


def _stopped(in_handler: bool = False) -> NoReturn:
    """After Ctrl-C or SIGTERM: ignore further signals, remove temporary files, end reading workers,
    and leave. From a signal handler, or with workers, at once with os._exit: there an exception may
    be swallowed, and a pool's threads would wait for the killed workers.

    Nothing is imported here: the signal may have come in the middle of an import (seen in CI:
    importing multiprocessing from the handler met a half-imported struct). What is not loaded yet
    has nothing to clean: no temporary file without core.files, no worker without multiprocessing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # getattr: a module may be half-imported when the signal comes
    remove_temporaries = getattr(sys.modules.get("kpu_xl.core.files"), "remove_temporaries", None)
    if remove_temporaries is not None:
        remove_temporaries()
    code = 128 + (_STOPPED_BY or signal.SIGINT)
    active_children = getattr(sys.modules.get("multiprocessing"), "active_children", None)
    workers = active_children() if active_children is not None else []
    for child in workers:
        child.kill()  # workers only read; nothing of theirs needs cleaning
    if not in_handler and not workers:
        typer.echo("Dibatalkan.", err=True)
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001, S110 - interrupted mid-write (reentrant flush): nothing to save
            pass
    os.write(2, b"Dibatalkan.\n")  # not through sys.stderr, which the signal may have interrupted
    os._exit(code)


if __name__ == "__main__":
    main()
