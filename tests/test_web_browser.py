"""kpu-xl web in a real browser: `kpu-xl web` in a subprocess, driven through Debian's headless
Chromium with selenium (chromium and chromium-driver; .ci/run installs them, nothing is downloaded).

A planning officer's path: open the page, choose the samples, Periksa and see them clean; a
sample with a wrong target and see the finding at its cell; Gabungkan and download, and the
downloaded workbook's figures equal the CLI's. Also: a file dropped on the page (the script's
drag-and-drop) and the plain form with JavaScript off. Without Chromium the tests are skipped,
except under CI=true where they fail.
"""

from __future__ import annotations

import base64
import json
import os
import shutil

import pytest
from helpers import PK, RA_SEMUA, edit, run
from openpyxl import load_workbook
from web_client import by_name, chromium, chromium_driver, running_server, wait_for_download

pytest.importorskip("selenium", reason="pip install '.[test]'")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _require_chromium() -> None:
    if chromium() is None:
        message = "chromium and chromium-driver not installed: apt-get install chromium chromium-driver (.ci/run installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def server():
    _require_chromium()
    with running_server() as (url, proc):
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("unduhan")


@pytest.fixture(scope="module")
def browser(server, downloads):
    driver = chromium_driver(downloads)
    yield driver
    driver.quit()


@pytest.fixture
def fresh_downloads(downloads):
    for p in downloads.iterdir():
        p.unlink()
    return downloads


def submit(driver, url: str, files, button: str) -> None:
    driver.get(url)
    driver.find_element(By.ID, "berkas").send_keys("\n".join(str(p) for p in files))
    driver.find_element(By.CSS_SELECTOR, f"button[formaction='/{button}']").click()
    WebDriverWait(driver, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ringkas, h1")))
    WebDriverWait(driver, 60).until(lambda d: d.current_url.rstrip("/").endswith(button))


def test_clean_samples_are_clean(browser, server, samples):
    submit(browser, server, sorted(samples.iterdir()), "periksa")
    assert browser.title.startswith("Hasil pemeriksaan")
    summary = browser.find_element(By.CSS_SELECTOR, "p.ringkas")
    assert summary.text == "0 galat, 0 peringatan dalam 8 berkas: siap diserahkan."
    names = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.berkas h2")]
    assert names == sorted(p.name for p in samples.iterdir())
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.temuan")) == 0


def test_wrong_target_is_shown_at_its_cell_and_in_the_copy(browser, server, samples, fresh_downloads):
    edit(samples / RA_SEMUA, "Rencana Aksi", {"D5": "100%"})  # PK says 90: target-berbeda
    submit(browser, server, sorted(samples.iterdir()), "periksa")
    assert browser.find_element(By.CSS_SELECTOR, "p.ringkas").text.startswith("1 galat, 0 peringatan dalam 8 berkas")
    section = next(s for s in browser.find_elements(By.CSS_SELECTOR, "section.berkas") if s.find_element(By.TAG_NAME, "h2").text == RA_SEMUA)
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in section.find_elements(By.CSS_SELECTOR, "table.temuan tbody tr")]
    assert len(rows) == 1
    sheet, cell, level, code, message = rows[0]
    assert (sheet, cell, level, code) == ("Rencana Aksi", "D5", "galat", "target-berbeda")
    assert "IK8.1" in message
    section.find_element(By.CSS_SELECTOR, "a.unduh").click()
    copy = wait_for_download(fresh_downloads, ".temuan.xlsx")
    assert copy.name == "ra-semua-divisi.temuan.xlsx"
    comment = load_workbook(copy)["Rencana Aksi"]["D5"].comment
    assert comment is not None and "target-berbeda" in comment.text


def test_consolidate_and_download_equals_the_cli(browser, server, samples, fresh_downloads, tmp_path):
    submit(browser, server, sorted(samples.iterdir()), "gabungkan")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hasil konsolidasi: KPU Kabupaten Tanjung Jabung Timur - 2023"
    satker_row = browser.find_element(By.CSS_SELECTOR, "tr.tebal").text
    assert "102,66" in satker_row and "Sangat Baik" in satker_row  # the seed's capaian satker
    browser.find_element(By.CSS_SELECTOR, "a.unduh.utama").click()
    got = wait_for_download(fresh_downloads, ".xlsx")
    assert got.name == "konsolidasi-kpu-kabupaten-tanjung-jabung-timur-2023.xlsx"
    cli = tmp_path / "cli.xlsx"
    assert run("consolidate", samples, "-o", cli).exit_code == 0
    web_wb, cli_wb = load_workbook(got), load_workbook(cli)
    assert web_wb.sheetnames == cli_wb.sheetnames
    for name in cli_wb.sheetnames:  # the CLI names inputs by path, the page by uploaded name
        expected = by_name(json.dumps([list(r) for r in cli_wb[name].iter_rows(values_only=True)], default=str, ensure_ascii=False), samples)
        assert json.dumps([list(r) for r in web_wb[name].iter_rows(values_only=True)], default=str, ensure_ascii=False) == expected, name


def test_a_dropped_file_is_sent(browser, server, samples):
    """The script's drag-and-drop: a file dropped on the zone joins the form and is listed."""
    browser.get(server)
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.documentElement.classList.contains('js')"))  # the script is in
    data = base64.b64encode((samples / PK).read_bytes()).decode()
    browser.execute_script(
        """
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], arguments[1]));
        document.getElementById("jatuhkan").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        """,
        data,
        PK,
    )
    WebDriverWait(browser, 10).until(lambda d: PK in d.find_element(By.ID, "daftar").text)
    assert browser.find_element(By.ID, "kosong").text == "1 berkas dipilih:"
    browser.find_element(By.CSS_SELECTOR, "button[formaction='/periksa']").click()
    WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.ringkas")))
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.berkas h2")] == [PK]


def test_the_form_works_without_javascript(server, samples, tmp_path):
    folder = tmp_path / "unduhan"
    folder.mkdir()
    driver = chromium_driver(folder, javascript=False)
    try:
        driver.get(server)
        assert driver.find_element(By.ID, "berkas").is_displayed() and not driver.find_element(By.CSS_SELECTOR, ".pilih").is_displayed()  # the script did not run
        submit(driver, server, [samples / PK, samples / RA_SEMUA], "periksa")
        assert driver.find_element(By.CSS_SELECTOR, "p.ringkas").text.startswith("0 galat, 9 peringatan dalam 2 berkas")
    finally:
        driver.quit()
    shutil.rmtree(folder)


def test_the_shared_address_works_when_clicked_on_another_site(tmp_path):
    """The address printed with ?kode= is sent in a chat or a mail and clicked there: a navigation
    from another site. The page must open, not ask for the code again."""
    _require_chromium()
    with running_server("--kode-akses", "ABCD-2345") as (url, _):
        assert url.endswith("?kode=ABCD-2345")
        driver = chromium_driver(tmp_path)
        try:
            driver.get(f"data:text/html,<a id=tautan href='{url}'>buka</a>")  # a page of another site
            driver.find_element(By.ID, "tautan").click()
            WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
            assert driver.find_element(By.TAG_NAME, "h1").text == "Periksa buku kerja sebelum diserahkan"
            driver.get(url.split("?")[0])  # and later visits keep working
            assert driver.find_element(By.TAG_NAME, "h1").text == "Periksa buku kerja sebelum diserahkan"
        finally:
            driver.quit()
