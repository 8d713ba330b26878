"""The private-address guard on every fetch: analyze, URL lists, feeds, robots.txt and redirect hops.

Every test fetches through an ``httpx.MockTransport`` that records what reaches
it, with a fake resolver: nothing reaches the network, and the assertion that
a private address was never contacted is that the transport never saw it.
"""

from __future__ import annotations

import inspect

import httpx
import pytest

from accordingto.errors import FetchError
from accordingto.ingest import PoliteFetcher, fetch_url, iter_documents, read_input
from accordingto.ingest.guard import embedded_ipv4, is_public_address

PUBLIC = "93.184.215.14"
HOSTS = {
    "news.example": [PUBLIC],
    "intranet.example": ["10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "six.example": ["2002:a9fe:a9fe::1"],  # 6to4 wrapping 169.254.169.254
}
PAGE = (
    "<html><body><article><h1>Ferry fares rise</h1><p>“Fares will rise by ten cents,” said "
    "Harbour Master Lena Voss on Tuesday, adding that the council had agreed.</p></article>"
    "</body></html>"
)


def resolve(host: str, port: int) -> list[str]:
    if host in HOSTS:
        return HOSTS[host]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    raise OSError("Name or service not known")


class Network:
    """A fake network: every request is logged by the host it was *meant* for."""

    def __init__(self, routes: dict[str, httpx.Response]) -> None:
        self.routes, self.seen = routes, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.headers["host"]
        self.seen.append(host)
        return self.routes.get(f"{host}{request.url.path}", httpx.Response(404))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def html(body: str = PAGE) -> httpx.Response:
    return httpx.Response(200, text=body, headers={"Content-Type": "text/html; charset=utf-8"})


# -- addresses that carry an IPv4 address are judged by it ----------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254 (metadata)
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:0a00:0001::", False),  # 6to4 of 10.0.0.1
        ("2002:5db8:d70e::1", True),  # 6to4 of 93.184.215.14
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::5db8:d70e", True),  # NAT64 of 93.184.215.14
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),  # Teredo, client 10.0.0.1
        ("2001:0:5db8:d70e:8000:63bf:a247:28f1", True),  # Teredo, server and client public
        ("::ffff:169.254.169.254", False),  # IPv4-mapped
        ("::ffff:93.184.215.14", True),
        ("2606:4700::6810:85e5", True),  # plain global IPv6 carries nothing
    ],
)
def test_embedded_ipv4_is_judged_by_the_same_rules(address, public):
    assert is_public_address(address) is public


def test_embedded_ipv4_decodes_each_kind():
    import ipaddress

    def v4s(a: str) -> list[str]:
        return [str(x) for x in embedded_ipv4(ipaddress.IPv6Address(a))]

    assert v4s("2002:a9fe:a9fe::1") == ["169.254.169.254"]
    assert v4s("64:ff9b::a9fe:a9fe") == ["169.254.169.254"]
    assert v4s("::ffff:10.1.2.3") == ["10.1.2.3"]
    assert v4s("2001:0:4136:e378:8000:63bf:f5ff:fffe") == ["65.54.227.120", "10.0.0.1"]
    assert v4s("fe80::1") == []


# -- one article: read_input / fetch_url ----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8080/admin",
        "http://[::1]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://intranet.example/wiki",
        "http://six.example/",
    ],
)
def test_analyze_refuses_private_addresses_before_connecting(url):
    net = Network({})
    with pytest.raises(FetchError, match="--allow-private-addresses"):
        read_input(url, transport=net.transport(), resolve=resolve)
    assert net.seen == []


def test_redirect_hop_to_a_private_address_is_refused():
    net = Network(
        {
            "news.example/story": httpx.Response(
                302, headers={"Location": "http://169.254.169.254/latest/"}
            )
        }
    )
    with pytest.raises(FetchError, match="169.254.169.254"):
        fetch_url("https://news.example/story", transport=net.transport(), resolve=resolve)
    assert net.seen == ["news.example"]


def test_allow_private_lets_a_private_address_through():
    net = Network({"10.0.0.5/story": html()})
    article = read_input("http://10.0.0.5/story", transport=net.transport(), allow_private=True)
    assert "Fares will rise" in article.text and net.seen == ["10.0.0.5"]


def test_a_public_host_is_fetched_at_its_checked_address():
    net = Network({"news.example/story": html()})
    article = read_input("https://news.example/story", transport=net.transport(), resolve=resolve)
    assert article.url == "https://news.example/story" and net.seen == ["news.example"]


# -- corpora: URL lists, feeds, robots.txt, redirects -----------------------------------------------


def polite(net: Network, **kw) -> PoliteFetcher:
    return PoliteFetcher(
        transport=net.transport(), resolve=resolve, delay=0, sleep=lambda s: None, **kw
    )


def test_url_list_with_private_addresses_contacts_none_of_them(tmp_path):
    path = tmp_path / "list.urls"
    path.write_text(
        "http://169.254.169.254/x\nhttp://10.0.0.1/y\nhttp://intranet.example/z\n"
        "https://news.example/story\n",
        encoding="utf-8",
    )
    net = Network({"news.example/story": html()})
    with polite(net) as fetcher:
        docs = list(iter_documents([str(path)], fetcher=fetcher))
    assert [d.article is not None for d in docs] == [False, False, False, True]
    for doc in docs[:3]:
        assert doc.stage == "fetch" and "refused to fetch" in doc.error
        assert doc.error.startswith(doc.source)  # names the page, not only its robots.txt
    assert set(net.seen) == {"news.example"}


def test_feed_entries_and_redirects_to_private_addresses_are_refused():
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>'
        "<item><title>Meta</title><link>http://metadata.example/latest</link></item>"
        "<item><title>Hop</title><link>https://news.example/hop</link></item>"
        "<item><title>Fares</title><link>https://news.example/story</link></item>"
        "</channel></rss>"
    )
    net = Network(
        {
            "news.example/feed": httpx.Response(
                200, text=feed, headers={"Content-Type": "application/rss+xml"}
            ),
            "news.example/hop": httpx.Response(
                301, headers={"Location": "http://127.0.0.1:9200/_cat/indices"}
            ),
            "news.example/story": html(),
        }
    )
    with polite(net, retries=0) as fetcher:
        docs = {d.source: d for d in iter_documents(["https://news.example/feed"], fetcher=fetcher)}
    assert "refused to fetch" in docs["http://metadata.example/latest"].error
    assert "127.0.0.1" in docs["https://news.example/hop"].error
    assert docs["https://news.example/story"].article.outlet == "Harbour News"
    assert set(net.seen) == {"news.example"}  # neither 169.254.169.254 nor 127.0.0.1


def test_polite_fetcher_allows_private_addresses_when_told():
    net = Network({"10.0.0.5/robots.txt": httpx.Response(404), "10.0.0.5/story": html()})
    with polite(net, allow_private=True) as fetcher:
        assert fetcher.get("http://10.0.0.5/story").content.startswith(b"<html>")


# -- the CLI switches -------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["analyze", "run"])
def test_cli_commands_have_the_opt_out_off_by_default(module):
    import importlib

    cli = importlib.import_module(f"accordingto.cli.{module}")
    command = getattr(cli, f"{module}_command")
    param = inspect.signature(command).parameters["allow_private_addresses"]
    assert param.default is False
