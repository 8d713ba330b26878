"""Refuse URLs that point into the local machine or network (server-side request forgery).

A web app that fetches URLs for its users must not become a way into the
network it runs in: ``http://127.0.0.1:8080/admin``, ``http://169.254.169.254/``
(cloud metadata) or ``http://printer.lan/``.  :func:`check_url` resolves the
host and refuses any address that is not globally routable (loopback, private,
link-local, shared, reserved, multicast, unspecified).  An IPv6 address that
carries an IPv4 address (IPv4-mapped ``::ffff:0:0/96``, 6to4 ``2002::/16``,
NAT64 ``64:ff9b::/96``, Teredo ``2001::/32``) is judged by the IPv4 addresses
it carries: ``2002:a9fe:a9fe::`` reaches 169.254.169.254 and is refused.

Every fetch of the package goes through this guard (:func:`~accordingto.ingest.fetch_url`,
:class:`~accordingto.ingest.polite.PoliteFetcher`, the web app); ``allow_private=True``
(``--allow-private-addresses`` on ``analyze`` and ``run``, ``--allow-private-urls`` on
``serve``) turns the address check off.

:class:`GuardedTransport` wraps an httpx transport so that :func:`fetch_url`
checks **every request, redirects included**, and connects to the very address
it checked (the host name is kept for the ``Host`` header and TLS), so a DNS
answer that changes between check and connect cannot slip through::

    from accordingto.ingest import fetch_url
    from accordingto.ingest.guard import GuardedTransport
    fetch_url(url, transport=GuardedTransport())
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import httpx

from accordingto.errors import FetchError

__all__ = [
    "NAT64_PREFIX",
    "Checked",
    "GuardedTransport",
    "HostResolver",
    "check_url",
    "embedded_ipv4",
    "guarded",
    "is_public_address",
    "resolve_host",
    "ssl_context",
]

#: ``(host, port) -> addresses``; the default asks the system resolver.
HostResolver = Callable[[str, int], list[str]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def resolve_host(host: str, port: int) -> list[str]:
    """The IP addresses of ``host`` from the system resolver (literal IPs come back as they are)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


#: NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 address.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, NAT64, Teredo server and client).

    >>> embedded_ipv4(ipaddress.IPv6Address("2002:a9fe:a9fe::1"))
    (IPv4Address('169.254.169.254'),)
    >>> embedded_ipv4(ipaddress.IPv6Address("2606:4700::6810:85e5"))
    ()
    """
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip in NAT64_PREFIX:
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    if ip.teredo is not None:
        return ip.teredo
    return ()


def is_public_address(address: str | IPAddress) -> bool:
    """``True`` for a globally routable unicast address; ``False`` for loopback, private and the rest.

    An IPv6 address that carries IPv4 addresses (see :func:`embedded_ipv4`) is
    public when every one of them is.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and (carried := embedded_ipv4(ip)):
        return all(_is_public(v4) for v4 in carried)
    return _is_public(ip)


def _is_public(ip: IPAddress) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


@dataclass(frozen=True, slots=True)
class Checked:
    """A URL that passed :func:`check_url`: its host and the address to connect to."""

    host: str
    address: str


def check_url(
    url: str, *, allow_private: bool = False, resolve: HostResolver = resolve_host
) -> Checked:
    """Check that ``url`` is http(s) and, unless ``allow_private``, that its host is public.

    Every address the host resolves to must be public (a name with one private
    address among public ones is refused: the client could pick either).  With
    ``allow_private`` the host is not resolved here (``address`` is the host).

    Raises:
        FetchError: not http(s), no host, the host does not resolve, or it
            resolves to a loopback, private, link-local or reserved address.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// URLs can be fetched")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: the URL has no host name; give a full http(s):// URL")
    if allow_private:
        return Checked(host, host)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        addresses = resolve(host, port)
    except (OSError, ValueError, UnicodeError) as e:
        raise FetchError(
            f"{url}: the host {host} could not be resolved ({e}); check the URL"
        ) from e
    if not addresses:
        raise FetchError(f"{url}: the host {host} has no address; check the URL")
    for address in addresses:
        if not is_public_address(address):
            raise FetchError(
                f"{url}: refused to fetch from {host} ({address}), a loopback, private, "
                "link-local or reserved address; if you trust it, pass "
                "--allow-private-addresses (analyze, run), start the server with "
                "--allow-private-urls, or give allow_private=True"
            )
    return Checked(host, addresses[0])


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that runs :func:`check_url` on every request, redirects included.

    With ``allow_private`` false, the request goes to the checked address (the
    original host stays in the ``Host`` header and is the TLS server name), so
    the name is resolved once.  ``inner`` defaults to httpx's network transport.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        allow_private: bool = False,
        resolve: HostResolver = resolve_host,
    ) -> None:
        self._inner = inner if inner is not None else httpx.HTTPTransport(verify=ssl_context())
        self._allow_private = allow_private
        self._resolve = resolve

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        checked = check_url(
            str(request.url), allow_private=self._allow_private, resolve=self._resolve
        )
        if not self._allow_private and checked.address != checked.host:
            # A copy: the client keeps the original request, so redirects and
            # ``response.url`` go on naming the host, not the address.
            request = httpx.Request(
                request.method,
                request.url.copy_with(host=checked.address),
                headers=request.headers,
                stream=request.stream,
                extensions={**request.extensions, "sni_hostname": checked.host},
            )
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def guarded(
    transport: httpx.BaseTransport | None = None,
    *,
    allow_private: bool = False,
    resolve: HostResolver | None = None,
) -> GuardedTransport:
    """``transport`` behind the guard; a :class:`GuardedTransport` already is returned as it is.

    ``transport`` defaults to httpx's network transport with httpx's default TLS
    context; ``resolve`` to :func:`resolve_host`.
    """
    if isinstance(transport, GuardedTransport):
        return transport
    inner = transport if transport is not None else httpx.HTTPTransport(verify=ssl_context())
    return GuardedTransport(
        inner, allow_private=allow_private, resolve=resolve if resolve is not None else resolve_host
    )


@cache
def ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CA bundle, or SSL_CERT_FILE), built once.

    Building it costs ~0.1 s, which would otherwise be paid for every URL of a batch.
    """
    return httpx.create_ssl_context()
