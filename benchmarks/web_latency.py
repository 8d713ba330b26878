"""How much does the web app add to analyzing one article?

Analyzes the bundled example (``harbor-bridge.md``, the article a new user
pastes first) three ways, in one process, with one loaded spaCy pipeline:

* ``api``: :func:`accordingto.analyze` on the article read as the CLI reads it;
* ``web-inprocess``: ``POST /analyze.json`` with the text as a form field,
  through FastAPI's ``TestClient`` (form parsing, analysis, side-panel summary,
  JSON), no network;
* ``web-http``: the same request over a real localhost socket to uvicorn, plus
  ``GET /analysis/{id}`` (the HTML page a browser is redirected to).

All three are warmed up first; then they alternate for ``--rounds`` rounds (the
order rotating each round) and the median of each is reported with the ratio
against ``api`` measured in the same run.  The example ships with the package,
so this benchmark needs nothing from ``../shared``.

    .venv/bin/python benchmarks/web_latency.py --rounds 30
"""

from __future__ import annotations

import argparse
import platform
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable

import httpx


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app) -> tuple[str, Callable[[], None]]:
    """uvicorn serving ``app`` in a thread; its URL and a function that stops it."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return f"http://127.0.0.1:{port}", stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="measured rounds (default 30)")
    args = parser.parse_args(argv)

    from fastapi.testclient import TestClient

    from accordingto import analyze
    from accordingto.ingest import read_bytes
    from accordingto.nlp import load_pipeline
    from accordingto.web import WebSettings, create_app
    from accordingto.web.analyzer import EXAMPLE_NAME, example_text

    text = example_text()
    nlp = load_pipeline()
    app = create_app(WebSettings(preload=True))
    client = TestClient(app)
    url, stop = _serve(app)
    http = httpx.Client(base_url=url, timeout=60)

    def api() -> None:
        analyze(read_bytes(text.encode("utf-8"), source=EXAMPLE_NAME, name=EXAMPLE_NAME), nlp=nlp)

    def web_inprocess() -> None:
        client.post("/analyze.json", data={"text": text}).raise_for_status()

    def web_http() -> None:
        r = http.post("/analyze", data={"text": text}, follow_redirects=False)
        http.get(r.headers["location"]).raise_for_status()

    runs = {"api": api, "web-inprocess": web_inprocess, "web-http": web_http}
    for fn in runs.values():  # warm-up: pipeline caches, first request, JIT-free but lazy imports
        fn(), fn()
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for i in range(args.rounds):
        for name in names[i % 3 :] + names[: i % 3]:
            times[name].append(_timed(runs[name]))
    stop()

    base = statistics.median(times["api"])
    print(
        f"bundled example: {len(text):,} characters, {len(text.split())} words; "
        f"{args.rounds} rounds; Python {platform.python_version()}, {platform.machine()}"
    )
    print(f"{'path':<15} {'median ms':>10} {'p90 ms':>8} {'ratio to api':>13}")
    for name, ts in times.items():
        med, p90 = statistics.median(ts), statistics.quantiles(ts, n=10)[-1]
        print(f"{name:<15} {med * 1000:>10.1f} {p90 * 1000:>8.1f} {med / base:>13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
