"""Checks that several kinds share: a list of indicators (PK, Renstra) with codes, texts and sasaran."""

from __future__ import annotations

from ..core import contract as C
from ..core.contract import text_key as _key
from ..core.findings import Code, Finding, finding
from ..core.values import display
from ..model import Document


def duplicate_indicators(doc: Document, indicators: list, sheet: str, code: Code) -> list[Finding]:
    """The same Kode Indikator twice, or the same indicator text twice (the seed's BAB II)."""
    out = []
    seen_kode: dict = {}
    seen_text: dict = {}
    for ind in indicators:
        if ind.kode:
            first = seen_kode.setdefault(_key(ind.kode), ind)
            if first is not ind:
                out.append(
                    finding(
                        code,
                        f'Kode Indikator "{display(ind.kode)}" sudah dipakai di baris {first.row}; setiap indikator perlu kode sendiri.',
                        doc.display_name,
                        sheet,
                        ind.cells.get(C.H_KODE_INDIKATOR),
                    )
                )
        if ind.nama:
            first = seen_text.setdefault(_key(ind.nama), ind)
            if first is not ind:
                out.append(
                    finding(
                        code,
                        f'Indikator "{display(ind.nama)}" sama dengan baris {first.row}; indikator yang sama tertulis dua kali (salah salin?).',
                        doc.display_name,
                        sheet,
                        ind.cells.get(C.H_INDIKATOR),
                    )
                )
    return out


def inconsistent_sasaran(doc: Document, indicators: list, sheet: str, code: Code) -> list[Finding]:
    """One Kode Sasaran with two names, one name with two codes, or an indicator named as a sasaran."""
    out = []
    name_by_code: dict = {}
    code_by_name: dict = {}
    sasaran_names = {_key(i.sasaran): i for i in indicators if i.sasaran}

    def add(message: str, cell: str | None) -> None:
        out.append(finding(code, message, doc.display_name, sheet, cell))

    for ind in indicators:
        if ind.kode_sasaran and ind.sasaran:
            first = name_by_code.setdefault(_key(ind.kode_sasaran), ind)
            if _key(first.sasaran) != _key(ind.sasaran):
                add(f'Kode Sasaran "{display(ind.kode_sasaran)}" bernama "{display(first.sasaran)}" di baris {first.row} tetapi "{display(ind.sasaran)}" di sini.', ind.cells.get(C.H_SASARAN))
            first = code_by_name.setdefault(_key(ind.sasaran), ind)
            if _key(first.kode_sasaran) != _key(ind.kode_sasaran):
                add(f'Sasaran "{display(ind.sasaran)}" berkode "{display(first.kode_sasaran)}" di baris {first.row} tetapi "{display(ind.kode_sasaran)}" di sini.', ind.cells.get(C.H_KODE_SASARAN))
        if ind.nama and _key(ind.nama) in sasaran_names:
            add(f'Indikator "{display(ind.nama)}" sama dengan nama sebuah sasaran; tulis indikator yang mengukur sasaran itu.', ind.cells.get(C.H_INDIKATOR))
    return out
