"""The `kpu-xl` command: arguments in, the library's front door (api.py) called, results printed.

Nothing is computed here: the figures, the consolidate gate, the summary sentences and the
findings grouped by file come from the library. Every KpuXlError (a run that cannot go on, with
its message in Bahasa Indonesia and its exit status) is mapped once, in run(); a bug is reported
as a bug. Heavy modules (the library, rich) are imported inside the commands, so that
`kpu-xl --help` starts fast. The console script is kpu_xl/__main__.py, which installs the signal
handlers before this module is imported.

Help and mistakes are said in Bahasa Indonesia through click's public extension points: the
command classes given to typer (cls=) make contexts whose help formatter writes Indonesian
headings, and name the help option in Indonesian; the group resolves the Indonesian aliases of
the English command names and suggests the nearest command for a mistyped one.
"""

from __future__ import annotations

import difflib
import os
import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text as RichText

    from .core.findings import Report
    from .kinds.base import DocumentKind

# --- help in Bahasa Indonesia ---------------------------------------------------------------------

HEADINGS = {"Options": "Opsi", "Arguments": "Argumen", "Commands": "Perintah"}
HELP_OPTION = "Tampilkan bantuan ini lalu keluar."
# The parser's own words in usage lines and option lists.
WORDS = (("[OPTIONS]", "[OPSI]"), ("COMMAND [ARGS]...", "PERINTAH [ARGUMEN]..."), ("[required]", "[wajib]"), ("[default: ", "[bawaan: "))
ALIASES = {"periksa": "validate", "gabungkan": "consolidate", "templat": "template"}  # the English names stay: scripts use them


class HelpFormatter(typer.Context.formatter_class):
    """click's help formatter, with the usage prefix and the section headings in Bahasa Indonesia."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = re.sub(r"\{([A-Z]+)\}", r"\1", _words(args))  # typer's "{BERKAS}...": the metavar as is
        super().write_usage(prog, args, "Pemakaian: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        # typer writes an argument as "BERKAS <list[Path]>": the Python type means nothing to a user
        rows = [(re.sub(r" <list\[\w+\]>$", "...", first), _words(second)) for first, second in rows]
        super().write_dl(rows, *args, **kwargs)


def _words(text: str) -> str:
    for english, indonesian in WORDS:
        text = text.replace(english, indonesian)
    return text


class Context(typer.Context):
    formatter_class = HelpFormatter


class _Indonesian:
    """What every command class here adds to typer's: contexts with the Indonesian help formatter,
    and the help option described in Indonesian."""

    context_class = Context

    def get_help_option(self, ctx: typer.Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option


class Command(_Indonesian, TyperCommand):
    pass


class Group(_Indonesian, TyperGroup):
    """A command group: Indonesian help, the aliases, and the nearest command for a mistyped one."""

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        name = cmd_name.lower()  # "Validate", "PERIKSA": a command typed with capitals is still known
        return super().get_command(ctx, ALIASES.get(name, name))

    def invoke(self, ctx: typer.Context) -> Any:
        """Run the command; what goes wrong in it is said once, here (_failed), and ends with its status."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if _is_click_exit(exc):
                raise
            raise typer.Exit(_failed(exc)) from None

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            names = self.list_commands(ctx)
            known = [*names, *(alias for alias, real in ALIASES.items() if real in names)]
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
            hint = f"; maksudnya: {close[0]}?" if close else "."
            ctx.fail(f'Perintah "{name}" tidak dikenal{hint} Perintah yang ada: {", ".join(self._named(names))}.')
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((self._named([name])[0], command.get_short_help_str(formatter.width - 30)))
        if rows:
            with formatter.section("Perintah"):
                formatter.write_dl(rows)

    @staticmethod
    def _named(names: list[str]) -> list[str]:
        """Command names with their Indonesian aliases: "validate (periksa)"."""
        by = {real: alias for alias, real in ALIASES.items()}
        return [f"{n} ({by[n]})" if n in by else n for n in names]


class TemplateGroup(Group):
    """`kpu-xl template <kind>`: one command per document kind, derived from the kinds' registry
    (kinds/) when first asked for, so that `kpu-xl --help` does not load the kinds."""

    _built: dict[str, Any] | None = None

    def _commands(self) -> dict[str, Any]:
        if self._built is None:
            from .kinds import KINDS

            sub = typer.Typer(cls=Group, rich_markup_mode=None)
            sub.callback()(lambda: None)  # a group, whatever the number of kinds
            for kind in KINDS.values():
                sub.command(kind.slug, cls=Command, help=kind.template.help)(_template_command(kind))
            TemplateGroup._built = dict(typer.main.get_command(sub).commands)
        return self._built

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self._commands())

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        return self._commands().get(cmd_name.lower())


app = typer.Typer(
    name="kpu-xl",
    cls=Group,
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
def _root(version: Annotated[bool, typer.Option("--version", help="Tampilkan versi lalu keluar.", callback=_version, is_eager=True)] = False) -> None:
    """Validasi dan konsolidasi Perjanjian Kinerja (PK) dan Rencana Aksi (RA) KPU dari berkas Excel."""


# --- the options several commands share, declared once --------------------------------------------

Paths = Annotated[list[Path], typer.Argument(metavar="BERKAS", help="Berkas .xlsx/.xlsm atau folder (dicari rekursif).")]
Timpa = Annotated[bool, typer.Option("--timpa", help="Timpa berkas yang sudah ada walau bukan buatan kpu-xl (mis. PK/RA yang sudah diisi).")]
Kebijakan = Annotated[Optional[Path], typer.Option("--kebijakan", metavar="BERKAS", help="Berkas kebijakan TOML (lihat: kpu-xl kebijakan).")]
IzinkanGalat = Annotated[bool, typer.Option("--izinkan-galat", help="Tetap tulis walau ada galat; baris terdampak ditandai.")]


def Output(what: str) -> Any:  # noqa: N802 - a type, as the aliases above
    """-o/--output: the file a command writes."""
    return Annotated[Path, typer.Option("-o", "--output", metavar="BERKAS", help=f"Berkas yang ditulis: {what}.")]


class Format(str, Enum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="text (tabel) atau json.")]


# --- printing ---------------------------------------------------------------------------------------

# C0 controls except tab/newline, DEL and C1 controls (U+009B is a terminal escape): user text
# and file names must never drive the terminal.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def Text(text: str, style: str = "") -> RichText:  # noqa: N802 - rich.text.Text, imported when first printed
    from rich.text import Text as RichText

    return RichText(_TERMINAL_UNSAFE.sub("\ufffd", text), style=style)


def _print_findings(report: Report, console: Console) -> None:
    """The findings grouped by file (Report.by_file), a table each, as many as a terminal can take."""
    from rich.table import Table

    for group in report.by_file():
        table = Table(title=Text(group.file), title_justify="left", show_lines=False, expand=False)
        for header in ("Lembar", "Sel", "Tingkat", "Kode", "Pesan"):
            table.add_column(header, overflow="fold")
        for f in group.findings:
            level = Text("galat", "red") if f.is_error else Text("peringatan", "yellow")
            table.add_row(Text(f.sheet or "-"), Text(f.cell or "-"), level, Text(f.code), Text(f.message))
        console.print(table)
        if group.more:
            listed = ", ".join(f"{code} {n}" for code, n in group.more_codes)
            console.print(Text(f"... dan {group.more} temuan lain di berkas ini tidak ditampilkan ({listed}); daftar lengkap: --format json atau --annotate."))


def _print_lines(lines: list[str], console: Console) -> None:
    for line in lines:
        console.print(Text(line))


def _print_sasaran(result: Any, console: Console) -> None:
    """The Capaian Sasaran table of the report (report/tables.py), as the terminal shows it."""
    from rich.table import Table

    from .report import tables as T
    from .report.narrative import cell_text

    table = T.capaian_sasaran(result).select([T.C.H_KODE_SASARAN, T.C.H_SASARAN, T.H_CAPAIAN, T.H_KATEGORI])
    shown = Table(title=Text(f"{result.identity.satker} - {result.identity.tahun}"), title_justify="left")
    for col in table.columns:
        shown.add_column(col.header, overflow="fold", justify="right" if col.kind == "capaian" else "left")
    for i, row in enumerate(table.rows):
        style = "bold" if i in table.bold_rows else ""
        shown.add_row(*(Text(cell_text(v, c.kind, result.policy.desimal_tampilan)[0], style) for v, c in zip(row, table.columns)))
    console.print(shown)


def _progress(console: Console, total: int | None = None) -> Any:
    """A transient progress bar naming the file being read; yields the callback for the library."""
    from contextlib import contextmanager

    from rich.progress import Progress

    @contextmanager
    def bar() -> Any:
        # Redrawn as each file is read, not by rich's refresh thread: with one thread the worker
        # processes are forked (fast), and Ctrl-C meets no forkserver nor resource tracker to stop.
        with Progress(transient=True, console=console, auto_refresh=False) as progress:
            task = progress.add_task("Membaca berkas", total=total)
            yield lambda name: progress.update(task, advance=1, description=f"Membaca {Path(name).name}", refresh=True)

    return bar()


def _options(kebijakan: Path | None) -> Any:
    from . import api

    return api.Options(policy=api.load_policy(kebijakan)) if kebijakan is not None else api.Options()


# --- the commands -----------------------------------------------------------------------------------


@app.command("kebijakan", cls=Command)
def kebijakan() -> None:
    """Cetak kebijakan perhitungan capaian bawaan (TOML) untuk disalin dan diubah."""
    from .api import policy_toml

    typer.echo(policy_toml())


@app.command("validate", cls=Command)
def validate_cmd(
    paths: Paths,
    format: FormatOption = Format.text,
    annotate_dir: Annotated[Optional[Path], typer.Option("--annotate", metavar="FOLDER", help="Folder untuk salinan beranotasi (sel bermasalah ditandai dan diberi komentar).")] = None,
    timpa: Timpa = False,
) -> None:
    """Periksa buku kerja PK dan RA; tunjukkan setiap masalah sampai ke selnya.

    Status keluar: 0 tanpa galat (peringatan boleh), 1 ada galat, 2 tidak ada masukan yang dapat diperiksa atau salinan beranotasi yang diminta tidak dapat ditulis.
    """
    from . import api

    report = api.validate(paths)
    console = _console()
    failed = 0
    if annotate_dir is not None:
        for name, written, problem in api.annotate(report, annotate_dir, overwrite=timpa):
            if problem:
                failed += 1
                _console(stderr=True).print(Text(f"Salinan beranotasi dari {name}: {problem}", "red"), soft_wrap=True)
            elif format != Format.json:
                console.print(Text(f"Salinan beranotasi: {written}"), soft_wrap=True)
    if format == Format.json:
        from .report.jsontext import text

        typer.echo(text(report))
    else:
        if report.inputs_found == 0:
            console.print(Text("Tidak ada berkas .xlsx/.xlsm yang dapat diperiksa.", "red"))
        _print_findings(report, console)
        console.print(Text(report.summary_line(), "bold"))
    raise typer.Exit(2 if failed else report.exit_code)


def _consolidated(paths: list[Path], output: Path, fmt: str, kebijakan: Path | None, izinkan_galat: bool, timpa: bool, **render: Any) -> tuple[Console, Any, Any]:
    """What consolidate and laporan share: the output checked before any reading; the inputs read,
    checked and computed (api.consolidate's gate refuses errors unless --izinkan-galat); the output
    written in its format; the result said. Returns (console, result, what was written)."""
    from . import api
    from .report.narrative import summary_lines

    console = _console()
    inputs = api.collect(paths)
    api.check_output(fmt, output, inputs, protect=render.get("protect", ()))
    options = _options(kebijakan)
    with _progress(console) as progress:
        result = api.consolidate(inputs, options, allow_errors=izinkan_galat, progress=progress)
    written = api.render(result, output, fmt, overwrite=timpa, **render)
    _print_sasaran(result, console)
    _print_lines(summary_lines(result), console)
    console.print(Text(f"Ditulis: {written.path}", "bold green"), soft_wrap=True)
    return console, result, written


@app.command("consolidate", cls=Command)
def consolidate_cmd(
    paths: Annotated[list[Path], typer.Argument(metavar="BERKAS", help="Satu PK dan RA-RA satu satker dan tahun (berkas atau folder).")],
    output: Output("hasil konsolidasi (.xlsx)"),
    kebijakan: Kebijakan = None,
    izinkan_galat: IzinkanGalat = False,
    timpa: Timpa = False,
) -> None:
    """Gabungkan PK dan RA satu satker menjadi satu buku kerja tabel LKjIP BAB III.

    Status keluar: 0 berhasil, 1 ada galat (tidak ada yang ditulis tanpa --izinkan-galat), 2 tidak dapat berjalan.
    """
    _consolidated(paths, output, "konsolidasi", kebijakan, izinkan_galat, timpa)


@app.command("laporan", cls=Command)
def laporan_cmd(
    paths: Annotated[list[Path], typer.Argument(metavar="BERKAS", help="PK, RA-RA dan Renstra satu satker (berkas atau folder).")],
    output: Output("Laporan Kinerja (.docx)"),
    kebijakan: Kebijakan = None,
    izinkan_galat: IzinkanGalat = False,
    templat_laporan: Annotated[Optional[Path], typer.Option("--templat-laporan", metavar="BERKAS", help="Dokumen Word kantor (kop, logo, gaya, margin) sebagai dasar.")] = None,
    timpa: Timpa = False,
) -> None:
    """Tulis draf Laporan Kinerja (LKjIP) sebagai dokumen Word dari angka yang sama dengan konsolidasi.

    Status keluar: 0 berhasil, 1 ada galat (tidak ada yang ditulis tanpa --izinkan-galat), 2 tidak dapat berjalan.
    """
    from . import api
    from .report.narrative import report_lines

    api.check_template_laporan(templat_laporan)
    protect = [templat_laporan] if templat_laporan else []
    console, result, written = _consolidated(paths, output, "laporan", kebijakan, izinkan_galat, timpa, protect=protect, base=templat_laporan)
    _print_lines(report_lines(result, written.notes), console)


@app.command("rekap", cls=Command)
def rekap_cmd(
    paths: Annotated[list[Path], typer.Argument(metavar="BERKAS", help="PK, RA dan Renstra banyak satker (berkas atau folder, susunan folder bebas).")],
    output: Output("rekap (.xlsx)"),
    kebijakan: Kebijakan = None,
    format: Annotated[Format, typer.Option("--format", help="text (ringkas) atau json.")] = Format.text,
    timpa: Timpa = False,
) -> None:
    """Rekap semua satker dan tahun di antara masukan: capaian, peringkat, indikator bersama, yang belum lengkap.

    Status keluar: 0 ditulis (temuan adalah isi rekap, bukan kegagalan), 2 tidak dapat berjalan.
    """
    from . import api
    from .report.narrative import ranking_lines

    console = _console(stderr=format == Format.json)
    inputs = api.collect(paths)
    api.check_output("rekap", output, inputs)
    options = _options(kebijakan)
    with _progress(console, total=len(inputs.files)) as progress:
        result = api.recap(inputs, options, progress=progress)
    written = api.render(result, output, "rekap", overwrite=timpa)
    if format == Format.json:
        from .report.jsontext import text

        typer.echo(text(result))
        return
    _print_lines(ranking_lines(result), console)
    console.print(Text(f"Ditulis: {written.path}", "bold green"), soft_wrap=True)


app.add_typer(typer.Typer(cls=TemplateGroup, no_args_is_help=True, rich_markup_mode=None), name="template", help="Buat templat Excel yang siap diisi: PK, Rencana Aksi (RA) atau Renstra.")


def _template_command(kind: DocumentKind) -> Any:
    """The `kpu-xl template <kind>` command: -o, the kind's own options (kinds/), --dari where the kind
    can be prefilled from a PK, and --timpa. Built from the kind's declarations."""
    import inspect

    spec = kind.template
    params = [inspect.Parameter("output", inspect.Parameter.KEYWORD_ONLY, annotation=Output(f"templat {kind.name} (.xlsx)"))]
    for p in spec.params:
        annotation = Annotated[Optional[p.type] if p.default is None else p.type, typer.Option(p.flag, metavar="TAHUN" if p.type is int else "TEKS", help=p.help)]
        params.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=p.default))
    if spec.from_pk:
        params.append(inspect.Parameter("dari", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[Optional[Path], typer.Option("--dari", metavar="BERKAS", help=spec.from_pk)], default=None))
    params.append(inspect.Parameter("timpa", inspect.Parameter.KEYWORD_ONLY, annotation=Timpa, default=False))

    def command(output: Path, timpa: bool = False, dari: Path | None = None, **options: Any) -> None:
        from . import api

        written = api.template(kind.code, output, dari=dari, overwrite=timpa, **options)
        source = f" ({written.count} indikator dari {written.source})" if written.source is not None else ""
        typer.echo(f"{written.title} ditulis: {output}{source}")
        for warning in written.warnings:
            typer.echo(f"Perhatian: {warning}", err=True)

    command.__signature__ = inspect.Signature(params)
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__name__ = f"template_{kind.slug}"
    return command


@app.command("web", cls=Command)
def web_cmd(
    host: Annotated[str, typer.Option("--host", metavar="ALAMAT", help="Alamat yang didengar: 127.0.0.1 hanya komputer ini; 0.0.0.0 untuk jaringan kantor (perlu kode akses).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="PORT", help="Port halaman.")] = 8000,
    kode_akses: Annotated[
        Optional[str], typer.Option("--kode-akses", metavar="KODE", help="Kode yang harus dimasukkan pengguna; tanpa ini, untuk --host selain 127.0.0.1 dibuat acak dan dicetak.")
    ] = None,
) -> None:
    """Jalankan halaman web lokal: rekan kantor memeriksa, menggabungkan dan membuat laporan dari peramban.

    Status keluar: 0 dihentikan dengan Ctrl-C, 2 tidak dapat dijalankan.
    """
    try:
        from .web.server import serve
    except ImportError as exc:
        package = (exc.name or "starlette").split(".")[0]
        raise _error(f"Halaman web memerlukan paket tambahan ({package}); pasang di folder kpu-xl dengan: pip install '.[web]'") from None
    serve(host, port, kode_akses, echo=typer.echo)


def _error(message: str) -> Exception:
    from .core.errors import KpuXlError

    return KpuXlError(message)


# --- one mapping from what went wrong to what is said and the exit status ----------------------------


def run(args: list[str] | None = None) -> int:
    """Run the command line (args: sys.argv[1:]); returns the exit status. What goes wrong inside a
    command is said by Group.invoke; here, click's own usage errors, in Bahasa Indonesia."""
    try:
        code = app(args=args, prog_name="kpu-xl", standalone_mode=False)
    except Exception as exc:  # noqa: BLE001 - click's usage errors; anything else is re-raised
        if type(exc).__name__ == "Abort":  # click's word for a KeyboardInterrupt: the caller stops the run
            raise KeyboardInterrupt from None
        if not _is_click_exit(exc):
            raise
        return _usage_failed(exc)
    return code or 0


def _is_click_exit(exc: BaseException) -> bool:
    """typer.Exit, or one of click's exceptions (usage errors): they carry their exit status."""
    from .core.errors import KpuXlError

    return hasattr(exc, "exit_code") and not isinstance(exc, KpuXlError)


def _failed(exc: Exception) -> int:
    """What went wrong in a command, said once: a KpuXlError's message (and the findings it carries)
    with its status; the machine's trouble (a full disk, a closed pipe) with its reason and status 2;
    anything else is a bug, said as such (its traceback under KPU_XL_DEBUG=1)."""
    from .api import Refused, error_of
    from .core.errors import InternalError

    exc = error_of(exc, "menjalankan perintah ini")  # e.g. what it prints goes to a full disk
    if isinstance(exc, InternalError) and os.environ.get("KPU_XL_DEBUG"):
        import traceback

        traceback.print_exception(exc.__cause__ or exc)

    report = getattr(exc, "report", None)
    if report is not None and report.findings:
        _print_findings(report, _console())
    advice = " Perbaiki, atau pakai --izinkan-galat untuk tetap menulis dengan penanda." if isinstance(exc, Refused) else ""
    if isinstance(exc, InternalError):
        advice = " Jalankan lagi dengan KPU_XL_DEBUG=1 untuk rinciannya."
    _console(stderr=True).print(Text(f"Galat: {exc.message}{advice}", "bold red"), soft_wrap=True)  # unbroken: paths stay whole
    return exc.exit_code


def _usage_failed(exc: Any) -> int:
    """A command-line mistake: the usage line, where to find help, and the mistake in Bahasa Indonesia."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # `kpu-xl` or `kpu-xl template` alone: the help page
        typer.echo(exc.format_message())
        return exc.exit_code
    if not hasattr(exc, "format_message"):  # typer.Exit
        return exc.exit_code
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"Bantuan: {ctx.command_path} --help", err=True)
    typer.echo(f"Galat: {_usage_message(exc)}", err=True)
    return exc.exit_code


def _usage_message(exc: Any) -> str:
    """A command-line mistake said in Bahasa Indonesia (click's own messages are English)."""
    name = type(exc).__name__
    param = getattr(exc, "param", None)
    opts = " / ".join(getattr(param, "opts", None) or []) if param is not None else ""
    message = exc.format_message()
    if name == "MissingParameter":
        if getattr(param, "param_type_name", "") == "argument" or (param is not None and not getattr(param, "opts", [""])[0].startswith("-")):
            return f"Argumen wajib belum diberikan: {(getattr(param, 'metavar', None) or getattr(param, 'name', '') or '').upper()} (berkas atau folder)."
        return f"Opsi wajib belum diberikan: {opts}."
    if name == "NoSuchOption":
        hint = f" Maksudnya {', '.join(exc.possibilities)}?" if getattr(exc, "possibilities", None) else ""
        return f"Opsi tidak dikenal: {exc.option_name}.{hint}"
    if name == "BadOptionUsage" and "requires an argument" in message:
        return f"Opsi {exc.option_name} memerlukan nilai."
    if name in ("BadParameter", "BadOptionUsage", "BadArgumentUsage"):
        choices = getattr(getattr(param, "type", None), "choices", None)
        if choices is None and param is not None and hasattr(param, "type") and hasattr(param.type, "enum"):
            choices = [e.value for e in param.type.enum]
        found = re.search(r"'([^']*)' is not one of (.*?)\.?$", message)
        value = f' "{found.group(1)}"' if found else ""
        if choices is None and found:
            choices = re.findall(r"'([^']*)'", found.group(2))
        listed = f"; pilih salah satu: {', '.join(map(str, choices))}" if choices else ""
        return f"Nilai{value} untuk {opts or 'argumen'} tidak sah{listed}."
    if message.startswith('Perintah "'):  # ours (Group.resolve_command)
        return message
    if "Got unexpected extra argument" in message:
        return "Ada argumen berlebih yang tidak dikenal."
    return f"Penulisan perintah tidak sah ({message})."
