"""Driving `kpu-xl web` from the tests and docs/render.py: a real server, a real headless Chromium.

with running_server() as url: ...   `kpu-xl web --port 0` in a subprocess; the printed address
chromium_driver(download_dir)       selenium over Debian's chromium and chromium-driver
                                    (nothing is downloaded: selenium-manager is never asked)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT = 60  # seconds for the server to print its address (workers import pandas)


def by_name(text: str, folder: Path) -> str:
    """Text of the CLI's (JSON, cells) with each file of folder named by its name instead of its path:
    what the page says for the same files, uploaded."""
    for p in folder.iterdir():
        text = text.replace(json.dumps(str(p))[1:-1], p.name)
    return text


def chromium() -> tuple[str, str] | None:
    """(browser, driver) executables, or None when chromium or chromium-driver is not installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/lib/chromium/chromedriver" if os.path.exists("/usr/lib/chromium/chromedriver") else None)
    return (browser, driver) if browser and driver else None


@contextlib.contextmanager
def running_server(*args: str, env: dict | None = None, program: str | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start `kpu-xl web --port 0 ARGS` (or `python -c PROGRAM ARGS`); yields (the first address printed,
    the process, its own process group). Stopped with SIGINT."""
    command = [sys.executable, "-c", program, *args] if program else [sys.executable, "-c", "from kpu_xl.__main__ import main; main()", "web", "--port", "0", *args]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    url = None
    lines = []
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.search(r"(http://\S+)", line)
            if found and url is None:
                url = found.group(1)
            if "Ctrl-C" in line:
                break
        if url is None:
            proc.kill()
            raise RuntimeError(f"kpu-xl web did not start: {''.join(lines)}{proc.stderr.read()}")
        proc.printed = lines  # type: ignore[attr-defined]
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def chromium_driver(download_dir: Path, width: int = 1280, height: int = 900, javascript: bool = True):  # noqa: ANN201 - selenium WebDriver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never fetch a browser or a driver
    browser, driver = chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}", "--lang=id-ID"):
        options.add_argument(arg)
    prefs = {"download.default_directory": str(download_dir), "download.prompt_for_download": False, "safebrowsing.enabled": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def wait_for_download(folder: Path, suffix: str, timeout: float = 60) -> Path:
    """The file Chromium downloaded into folder, once it is complete."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        partial = [p for p in folder.iterdir() if p.name.endswith(".crdownload")]
        if done and not partial:
            return done[0]
        time.sleep(0.2)
    raise TimeoutError(f"no {suffix} downloaded into {folder}: {[p.name for p in folder.iterdir()]}")


def full_page_png(driver, path: Path) -> None:  # noqa: ANN001
    """A screenshot of the whole page (the window made as tall as the content)."""
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(max(height + 120, 600), 6000))
    driver.save_screenshot(str(path))
