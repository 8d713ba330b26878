"""Refuse URLs that point into the local machine or network (server-side request forgery).

A web app that fetches URLs for its users must not become a way into the
network it runs in: ``http://127.0.0.1:8080/admin``, ``http://169.254.169.254/``
(cloud metadata) or ``http://printer.lan/``.  :func:`check_url` resolves the
host and refuses any address that is not globally routable (loopback, private,
link-local, shared, reserved, multicast, unspecified; IPv4-mapped IPv6 is
judged by its IPv4 address).

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
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from accordingto.errors import FetchError

__all__ = ["GuardedTransport", "Resolver", "check_url", "is_public_address", "resolve_host"]

#: ``(host, port) -> addresses``; the default asks the system resolver.
Resolver = Callable[[str, int], list[str]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def resolve_host(host: str, port: int) -> list[str]:
    """The IP addresses of ``host`` from the system resolver (literal IPs come back as they are)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: str | IPAddress) -> bool:
    """``True`` for a globally routable unicast address; ``False`` for loopback, private and the rest."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


@dataclass(frozen=True, slots=True)
class Checked:
    """A URL that passed :func:`check_url`: its host and the address to connect to."""

    host: str
    address: str


def check_url(
    url: str, *, allow_private: bool = False, resolve: Resolver = resolve_host
) -> Checked:
    """Check that ``url`` is http(s) and, unless ``allow_private``, that its host is public.

    Every address the host resolves to must be public (a name with one private
    address among public ones is refused: the client could pick either).

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
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        addresses = resolve(host, port)
    except (OSError, ValueError, UnicodeError) as e:
        raise FetchError(
            f"{url}: the host {host} could not be resolved ({e}); check the URL"
        ) from e
    if not addresses:
        raise FetchError(f"{url}: the host {host} has no address; check the URL")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(
                    f"{url}: refused to fetch from {host} ({address}), a loopback, private, "
                    "link-local or reserved address; start the server with "
                    "--allow-private-urls to allow it"
                )
    return Checked(host, addresses[0])


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that runs :func:`check_url` on every request, redirects included.

    With ``allow_private`` false, the request goes to the checked address (the
    original host stays in the ``Host`` header and is the TLS server name), so
    the name is resolved once.  ``inner`` defaults to ``httpx.HTTPTransport()``.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        allow_private: bool = False,
        resolve: Resolver = resolve_host,
    ) -> None:
        self._inner = inner if inner is not None else httpx.HTTPTransport()
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
