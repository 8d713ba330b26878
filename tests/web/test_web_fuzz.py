"""Fuzz the JSON API from its own OpenAPI schema (schemathesis, in-process): never a 5xx.

Besides "not a server error", schemathesis's default checks hold too (documented
status codes, response schemas and content types, ``Allow`` on 405), except
``positive_data_acceptance``: ``POST /analyze.json`` declares each input optional
but rejects none or several with 422, which OpenAPI form schemas cannot state.
URLs are "fetched" from a fake network, so no request leaves the process.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
import schemathesis
from conftest import build_corpus, public_resolver
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from accordingto.web import WebSettings, create_app


def _fake_network(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, text="“The pier reopens,” said Harbour Master Lena Voss.\n")


APP = create_app(
    WebSettings(
        resolve=public_resolver,
        max_upload_bytes=20_000,
        fetch_transport=httpx.MockTransport(_fake_network),
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


def fuzzed(max_examples: int):
    """Hypothesis settings of a fuzz test: few examples (the whole file runs in well under a minute)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )


def check(case) -> None:
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    )
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


@schema.parametrize()
@fuzzed(30)
def test_no_server_errors(case):
    check(case)


# The corpus app is made at import (schemathesis reads its schema then); its
# store is built before the tests run and removed after them.
CORPUS_DIR = Path(tempfile.mkdtemp(prefix="accordingto-web-fuzz-"))
CORPUS_APP = create_app(WebSettings(db=CORPUS_DIR / "corpus.db", resolve=public_resolver))
corpus_schema = schemathesis.openapi.from_asgi("/openapi.json", CORPUS_APP)


@pytest.fixture(scope="module", autouse=True)
def corpus_store():
    build_corpus(CORPUS_DIR / "corpus.db")
    yield
    shutil.rmtree(CORPUS_DIR, ignore_errors=True)


@corpus_schema.include(
    path_regex="^/(corpus|search|speakers|outlet|quotes|articles|dyad)"
).parametrize()
@fuzzed(20)
def test_corpus_api_has_no_server_errors(case):
    check(case)
