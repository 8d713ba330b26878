"""A polite fetcher for many URLs: per-host rate limit, robots.txt, timeouts, retries with back-off.

>>> with PoliteFetcher(delay=2.0) as fetcher:                    # doctest: +SKIP
...     page = fetcher.get("https://example.org/news/1")

One :class:`httpx.Client` is kept for all requests (connections are reused).
Before each request to a host the fetcher waits until ``delay`` seconds (or the
host's robots.txt ``Crawl-delay``, if longer) have passed since the last one.
robots.txt is read once per host, following RFC 9309: a 4xx answer means no
rules (everything allowed); a 5xx or 429 answer, or no answer at all
(connection refused, timeout, TLS failure), means the whole site is disallowed
for now, and each of its URLs fails with what actually happened
(``robots.txt unreachable: could not connect (…)``, ``robots.txt answered HTTP 503``)
rather than "disallowed".  Every request, robots.txt and each redirect hop
included, goes through the private-address guard (:mod:`accordingto.ingest.guard`)
unless ``allow_private=True``.
Timeouts, connection errors and HTTP 429/5xx are retried ``retries`` times,
waiting ``backoff × 2^attempt`` seconds (or the server's ``Retry-After``, capped at
:data:`MAX_RETRY_AFTER`).  Every failure is a one-line
:class:`~accordingto.errors.FetchError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Self
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from accordingto.errors import FetchError

from .fetch import USER_AGENT, FetchResult, media_type, one_line, read_capped, status_message
from .guard import HostResolver, guarded

__all__ = ["MAX_RETRY_AFTER", "RETRY_STATUSES", "ROBOTS_MAX_BYTES", "PoliteFetcher"]

log = logging.getLogger(__name__)

#: HTTP statuses worth trying again after a pause.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Longest wait for a ``Retry-After``, in seconds.
MAX_RETRY_AFTER = 60.0
#: How much of a robots.txt is read (RFC 9309 asks for at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024


class PoliteFetcher:
    """GET many URLs politely; use as a context manager (or call :meth:`close`)."""

    def __init__(
        self,
        *,
        delay: float = 1.0,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_bytes: int = 10_000_000,
        robots: bool = True,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        allow_private: bool = False,
        resolve: HostResolver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``transport`` replaces httpx's network transport (tests, proxies); it is put behind
        the private-address guard, which ``allow_private`` turns off and which resolves host
        names with ``resolve`` (default: the system resolver)."""
        self.delay, self.timeout, self.retries, self.backoff = delay, timeout, retries, backoff
        self.max_bytes, self.robots, self.user_agent = max_bytes, robots, user_agent
        self._sleep, self._clock = sleep, clock
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}  # Crawl-delay by site
        #: Each site's robots.txt rules, or why none could be had (everything disallowed).
        self._rules: dict[str, RobotFileParser | str] = {}
        self.client = httpx.Client(
            follow_redirects=True,
            max_redirects=5,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": user_agent},
            transport=guarded(transport, allow_private=allow_private, resolve=resolve),
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str) -> FetchResult:
        """The page at ``url``, fetched within the host's rate limit, robots.txt and retries.

        Raises:
            FetchError: a private address, refused by robots.txt (or robots.txt could not
                be had), or still failing after the retries.
        """
        if self.robots and (refusal := self.robots_refusal(url)) is not None:
            raise FetchError(refusal)
        for attempt in range(self.retries + 1):
            try:
                return self._get_once(url)
            except _Retry as e:
                if attempt == self.retries:
                    raise FetchError(f"{e.message} (after {self.retries + 1} tries)") from e
                wait = e.retry_after if e.retry_after is not None else self.backoff * 2**attempt
                log.info("retrying %s in %.1f s: %s", url, wait, e.message)
                self._sleep(wait)
        raise AssertionError("unreachable")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets this user agent fetch it."""
        return self.robots_refusal(url) is None

    def robots_refusal(self, url: str) -> str | None:
        """Why robots.txt keeps this user agent from ``url`` (one line), or ``None`` if it may.

        Raises:
            FetchError: the site's host is a private address (the guard refused robots.txt).
        """
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._rules:
            try:
                self._rules[site] = self._read_robots(site)
            except FetchError as e:  # the guard refused the host: the page is refused too
                raise FetchError(f"{url}: not fetched: {e}") from e
        rules = self._rules[site]
        if isinstance(rules, str):
            return (
                f"{url}: not fetched: {site}/{rules}; RFC 9309 treats that as disallowing "
                "the whole site for now: try again later, or pass --no-robots if you have "
                "the site's permission"
            )
        if not rules.can_fetch(self.user_agent, url):
            return (
                f"{url}: disallowed by the site's robots.txt; skip it, or pass "
                "--no-robots if you have the site's permission"
            )
        return None

    def _read_robots(self, site: str) -> RobotFileParser | str:
        """The site's rules; when robots.txt cannot be had, what happened instead."""
        parser = RobotFileParser(f"{site}/robots.txt")
        self._wait_turn(site)
        try:
            with self.client.stream("GET", f"{site}/robots.txt") as response:
                status = response.status_code
                body = b"" if status >= 400 else _read_some(response, ROBOTS_MAX_BYTES)
        except httpx.HTTPError as e:
            what = f"robots.txt unreachable: {type(e).__name__} ({one_line(e)})"
            log.warning("%s/%s", site, what)
            return what
        if status >= 500 or status == 429:
            return f"robots.txt answered HTTP {status} (a server error, so no rules are known)"
        # RFC 9309: robots.txt is UTF-8, whatever the server declares; 4xx means no rules
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        crawl_delay = parser.crawl_delay(self.user_agent)
        if crawl_delay:
            self._delays[site] = float(crawl_delay)
        return parser

    def _wait_turn(self, url: str) -> None:
        """Sleep until the host may be asked again, and book its next turn."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        now = self._clock()
        wait = self._next.get(site, now) - now
        if wait > 0:
            self._sleep(wait)
        self._next[site] = max(now, now + wait) + max(self.delay, self._delays.get(site, 0.0))

    def _get_once(self, url: str) -> FetchResult:
        self._wait_turn(url)
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retry(status_message(url, response), _retry_after(response))
                if response.status_code >= 400:
                    raise FetchError(status_message(url, response))
                content = read_capped(url, response, self.max_bytes, timeout=self.timeout)
                return FetchResult(
                    str(response.url), content, media_type(response), response.charset_encoding
                )
        except httpx.TimeoutException as e:
            raise _Retry(
                f"{url}: timed out after {self.timeout:g} s; try again later or allow "
                "more time (--timeout)"
            ) from e
        except httpx.TooManyRedirects as e:
            raise FetchError(
                f"{url}: too many redirects; open it in a browser to see where it leads"
            ) from e
        except httpx.TransportError as e:
            raise _Retry(
                f"{url}: fetching failed ({type(e).__name__}); check the URL and "
                "your network connection"
            ) from e


class _Retry(Exception):
    """A failure worth another try (timeout, connection error, 429, 5xx)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


def _read_some(response: httpx.Response, limit: int) -> bytes:
    """The first ``limit`` bytes of the body (the rest is not downloaded)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value.isdigit():
        return None
    return min(float(value), MAX_RETRY_AFTER)
