"""Canonical URLs: one key for the addresses under which the same article is published.

Conservative on purpose: two URLs get the same key only when they differ in
what never changes the article (scheme, letter case of the host, a ``www.``
prefix, the default port, a trailing slash, the fragment, and tracking
parameters such as ``utm_*``); any other query parameter is kept, because on
many sites it selects the article (``?id=123``).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "canonical_url", "url_host"]

#: Query parameters that only track where a reader came from.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ocid",
    "cmpid", "smid", "smtyp", "ref", "ref_src", "ito", "at_medium", "at_campaign",
})  # fmt: skip


def canonical_url(url: str | None) -> str | None:
    """The canonical form of ``url``, or ``None`` for no URL or one that is not http(s).

    >>> canonical_url("HTTPS://www.Example.org:443/news/a/?utm_source=x&id=3#top")
    'example.org/news/a?id=3'
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or ""
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit(("", host, path, urlencode(sorted(query)), "")).lstrip("/")


def url_host(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``, lower case; ``None`` if there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None
