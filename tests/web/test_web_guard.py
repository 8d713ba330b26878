"""The private-address guard for fetched URLs: a table of addresses, redirects, and the app's use of it."""

from __future__ import annotations

import httpx
import pytest

from accordingto.errors import FetchError
from accordingto.ingest import fetch_url
from accordingto.ingest.guard import GuardedTransport, check_url, is_public_address


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:85e5", True),
        ("127.0.0.1", False),  # loopback
        ("127.8.9.10", False),
        ("::1", False),
        ("10.1.2.3", False),  # private
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("fd00::1", False),  # unique local
        ("169.254.169.254", False),  # link-local (cloud metadata)
        ("fe80::1", False),
        ("100.64.0.1", False),  # shared address space (carrier NAT)
        ("0.0.0.0", False),  # unspecified
        ("240.0.0.1", False),  # reserved
        ("224.0.0.1", False),  # multicast
        ("192.0.2.1", False),  # documentation
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.215.14", True),
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


HOSTS = resolver(
    {
        "news.example": ["93.184.215.14"],
        "intranet.example": ["10.0.0.5"],
        "mixed.example": ["93.184.215.14", "127.0.0.1"],
        "127.0.0.1": ["127.0.0.1"],
        "localhost": ["127.0.0.1", "::1"],
    }
)


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://news.example/story", None),
        ("http://127.0.0.1:8000/admin", "loopback, private"),
        ("http://localhost/", "loopback, private"),
        ("http://intranet.example/", "loopback, private"),
        ("http://mixed.example/", "loopback, private"),  # one private address is enough
        ("http://nowhere.example/", "could not be resolved"),
        ("ftp://news.example/story", "only http"),
        ("file:///etc/passwd", "only http"),
        ("http:///no-host", "no host"),
    ],
)
def test_check_url(url, refused):
    if refused is None:
        assert check_url(url, resolve=HOSTS).address == "93.184.215.14"
    else:
        with pytest.raises(FetchError, match=refused):
            check_url(url, resolve=HOSTS)


def test_check_url_allows_private_when_told():
    assert (
        check_url("http://127.0.0.1:8000/", allow_private=True, resolve=HOSTS).address
        == "127.0.0.1"
    )


def test_refusal_says_how_to_allow():
    with pytest.raises(FetchError, match="--allow-private-urls"):
        check_url("http://127.0.0.1/", resolve=HOSTS)


def _server(seen: list[httpx.Request]):
    """A fake network: news.example redirects to the intranet, /ok answers HTML."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/to-intranet":
            return httpx.Response(302, headers={"Location": "http://intranet.example/secret"})
        return httpx.Response(200, html="<html><body><p>Hello.</p></body></html>")

    return httpx.MockTransport(handle)


def test_redirect_to_private_address_is_refused():
    seen: list[httpx.Request] = []
    transport = GuardedTransport(_server(seen), resolve=HOSTS)
    with pytest.raises(FetchError, match="intranet.example"):
        fetch_url("https://news.example/to-intranet", transport=transport)
    assert [r.url.path for r in seen] == ["/to-intranet"]  # the intranet was never asked


def test_request_goes_to_the_checked_address_with_the_host_kept():
    seen: list[httpx.Request] = []
    result = fetch_url(
        "https://news.example/ok", transport=GuardedTransport(_server(seen), resolve=HOSTS)
    )
    assert seen[0].url.host == "93.184.215.14"
    assert seen[0].headers["Host"] == "news.example"
    assert seen[0].extensions["sni_hostname"] == "news.example"
    assert result.url == "https://news.example/ok"  # the caller still sees the name


def test_private_redirect_allowed_when_told():
    seen: list[httpx.Request] = []
    transport = GuardedTransport(_server(seen), allow_private=True, resolve=HOSTS)
    assert (
        fetch_url("https://news.example/to-intranet", transport=transport).url
        == "http://intranet.example/secret"
    )
