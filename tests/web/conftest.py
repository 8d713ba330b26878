"""Fixtures for the web app: an in-process client, a live server on a free port, a browser.

Browser tests use Debian's Chromium (``/usr/bin/chromium``, installed by
``.ci/run``) through Playwright; they skip when either is missing.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from accordingto.web import WebSettings, create_app

CHROMIUM = Path("/usr/bin/chromium")


with warnings.catch_warnings():  # starlette's TestClient asks for the httpx2 package; httpx works
    warnings.simplefilter("ignore")
    import fastapi.testclient  # noqa: F401


def public_resolver(host: str, port: int) -> list[str]:
    """Every host has one public address: tests never touch DNS."""
    return ["93.184.215.14"]


@pytest.fixture(scope="session")
def client():
    """A TestClient of the single-article app (the spaCy pipeline loads once per session)."""
    from fastapi.testclient import TestClient

    with TestClient(create_app(WebSettings(resolve=public_resolver))) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app in a background thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def live_server(settings: WebSettings) -> LiveServer:
    return LiveServer(create_app(settings))


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """The single-article app on a free localhost port."""
    with live_server(WebSettings(resolve=public_resolver)) as server:
        httpx.get(server.url + "/", timeout=10).raise_for_status()
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium via Playwright; skip if either is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (`apt-get install chromium`)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (desktop width) that fails the test on any JavaScript dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


#: A tiny corpus written for these tests: one speaker in two outlets, a repeated
#: quotation, an altered one, an anonymous source and an outlet citing another.
CORPUS = [
    (
        "Harbour Herald",
        "2026-01-10",
        "Ferry to return",
        (
            "“The ferry will run again in March,” said Harbour Master Lena Voss.\n\n"
            "The Coast Gazette reported that the old pier had been closed for repairs.\n"
        ),
    ),
    (
        "Coast Gazette",
        "2026-02-03",
        "Island ferry plans",
        (
            "“The ferry will run again in March,” Lena Voss told reporters on Tuesday.\n\n"
            "An official, who spoke on condition of anonymity, said that fares would rise.\n"
        ),
    ),
    (
        "Harbour Herald",
        "2026-03-15",
        "Ferry delayed",
        (
            "“The ferry will probably run again by April,” said Harbour Master Lena Voss.\n\n"
            "Residents said that the delay was <script>alert('x')</script> a disgrace.\n"
        ),
    ),
]


def build_corpus(path: Path) -> Path:
    """A store of :data:`CORPUS` at ``path``, made the way ``accordingto run`` makes one."""
    from accordingto import analyze
    from accordingto.model import Article
    from accordingto.store import Store
    from accordingto.store.people import link_people

    with Store(path) as store:
        for i, (outlet, date, title, text) in enumerate(CORPUS):
            article = Article(text=text, title=title, outlet=outlet, date=date)
            store.add(analyze(article), source=f"doc-{i}")
        link_people(store)
    return path


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A store of :data:`CORPUS`."""
    return build_corpus(tmp_path_factory.mktemp("corpus") / "corpus.db")


@pytest.fixture(scope="session")
def corpus_client(corpus_db):
    from fastapi.testclient import TestClient

    with TestClient(create_app(WebSettings(db=corpus_db, resolve=public_resolver))) as c:
        yield c


@pytest.fixture(scope="session")
def corpus_url(corpus_db) -> Iterator[str]:
    """The app with the corpus pages, on a free localhost port."""
    with live_server(WebSettings(db=corpus_db, resolve=public_resolver)) as server:
        yield server.url
