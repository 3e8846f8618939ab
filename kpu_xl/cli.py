"""The `kpu-xl` command: parses arguments, calls the library, prints. No logic here.

Imports of the heavy modules happen inside the commands so that `kpu-xl --help`
starts fast (and never imports pandas).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import __version__

app = typer.Typer(
    name="kpu-xl",
    help="Validasi dan konsolidasi Perjanjian Kinerja (PK) dan Rencana Aksi (RA) KPU dari berkas Excel.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
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
    from .policy import dump

    typer.echo(dump())


def main() -> None:
    app()


if __name__ == "__main__":
    main()
