"""A real ``sbu serve`` in a subprocess and headless Chromium, for the browser tests.

The database is a temporary SQLite file, migrated in this process; the first administrator is
created with sbu.org.services.create_member and a password chosen here. The server runs with a
random secret key and ``SBU_AUTH__MAX_FAILED_LOGINS=3``.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from sbu.bootstrap import build
from sbu.core.audit import Actor
from sbu.db.migrate import upgrade
from sbu.org.services import create_member
from tests.conftest import make_settings, require_or_skip

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
ADMIN_EMAIL = "admin@browser.example"
ADMIN_PASSWORD = "quiet meadow 58 lanterns"
MAX_FAILED_LOGINS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    env: dict[str, str]
    tmp: Path

    def sbu(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "sbu", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr + done.stdout


def prepare_database(tmp: Path) -> str:
    """A migrated SQLite file with the first administrator; returns its URL."""
    url = f"sqlite:///{tmp / 'sbu.db'}"
    app = build(make_settings(url, tmp))
    try:
        upgrade(app.db)
        create_member(app.db, app.clock, Actor("test", "browser"), name="Alice Admin",
                      email=ADMIN_EMAIL, role="admin", password=ADMIN_PASSWORD)  # fmt: skip
    finally:
        app.close()
    return url


@contextmanager
def running_server(tmp: Path) -> Iterator[Server]:
    """Prepare the database, start ``sbu serve`` on a free port, stop it afterwards."""
    if not CHROMIUM.exists():
        require_or_skip("browser", f"{CHROMIUM} is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SBU_")}
    env.update(
        {
            "SBU_DATABASE__URL": prepare_database(tmp),
            "SBU_DATA_DIR": str(tmp),
            "SBU_LOG_LEVEL": "WARNING",
            "SBU_WEB__SECRET_KEY": secrets.token_urlsafe(48),
            "SBU_AUTH__MAX_FAILED_LOGINS": str(MAX_FAILED_LOGINS),
        }
    )
    port = free_port()
    handle = Server(f"http://127.0.0.1:{port}", env, tmp)
    log_path = tmp / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sbu", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{handle.url}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "The server did not become healthy in 60 s."
                time.sleep(0.2)
            yield handle
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def sign_in(page: Page, email: str, password: str) -> None:
    """Fill and send the sign-in form of the page open now (the browser follows redirects)."""
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.auth-card button[type=submit]")
    page.wait_for_load_state()
