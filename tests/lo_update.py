"""Open a document in headless LibreOffice, update its indexes and fields (the table of contents),
and export it to PDF: what a user does with Tools > Update > Update All, then File > Export as PDF.

Run by the tests with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno):

    /usr/bin/python3 tests/lo_update.py IN.docx OUT.pdf PROFILE_DIR
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import uno  # noqa: F401 - registers the com.sun.star modules
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(src: str, out: str, profile: str) -> int:
    pipe = f"kpuxl{os.getpid()}"
    soffice = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless", "--norestore", "--nolockcheck", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(600):  # up to 60 s for the first start of a fresh profile
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.1)
        if ctx is None:
            print("could not connect to soffice", file=sys.stderr)
            return 2
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "writer_pdf_Export"),))
        print(indexes.getCount())
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge closes as soffice exits
            pass
        return 0
    finally:
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(soffice.pid, 9)


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
