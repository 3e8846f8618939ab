"""Render the README pictures of `kpu-xl web`: the two result pages, as a planning officer sees them.

Starts `kpu-xl web --port 0`, opens it in Debian's headless Chromium (selenium, chromium-driver)
and, with copies of the bundled samples:

1. Periksa with one RA changed as a user might get it wrong (the zona integritas target 100%
   where the PK says 90%: target-berbeda at D5) -> docs/web-periksa.png;
2. Gabungkan with the samples as shipped -> docs/web-gabungkan.png.

    python docs/render_web.py [OUT_DIR]        (default: docs/)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import RA_SEMUA, SAMPLES, edit  # noqa: E402
from web_client import chromium_driver, full_page_png, running_server  # noqa: E402


def main(out: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp, running_server() as (url, _):
        wrong = Path(tmp) / "salah"
        shutil.copytree(SAMPLES, wrong)
        edit(wrong / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})
        driver = chromium_driver(Path(tmp), width=1200, height=800)
        try:
            for folder, button, name in ((wrong, "periksa", "web-periksa.png"), (SAMPLES, "gabungkan", "web-gabungkan.png")):
                driver.set_window_size(1200, 800)
                driver.get(url)
                driver.find_element(By.ID, "berkas").send_keys("\n".join(str(p) for p in sorted(folder.iterdir())))
                driver.find_element(By.CSS_SELECTOR, f"button[formaction='/{button}']").click()
                WebDriverWait(driver, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
                WebDriverWait(driver, 60).until(lambda d, b=button: d.current_url.endswith(b))
                full_page_png(driver, out / name)
                print(out / name)
        finally:
            driver.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
