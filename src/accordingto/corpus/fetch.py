"""A polite fetcher for many URLs: per-host rate limit, robots.txt, timeouts, retries with back-off.

>>> with PoliteFetcher(delay=2.0) as fetcher:                    # doctest: +SKIP
...     page = fetcher.get("https://example.org/news/1")

One :class:`httpx.Client` is kept for all requests (connections are reused).
Before each request to a host the fetcher waits until ``delay`` seconds (or the
host's robots.txt ``Crawl-delay``, if longer) have passed since the last one.
robots.txt is read once per host, following RFC 9309: a 4xx answer means no
rules (everything allowed); a 5xx answer or no answer means nothing is allowed.
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
from accordingto.ingest.fetch import USER_AGENT, FetchResult
from accordingto.ingest.fetch import _read_capped as read_capped  # one size/deadline check
from accordingto.ingest.fetch import _status_message as status_message

__all__ = ["MAX_RETRY_AFTER", "RETRY_STATUSES", "PoliteFetcher"]

log = logging.getLogger(__name__)

#: HTTP statuses worth trying again after a pause.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Longest wait for a ``Retry-After``, in seconds.
MAX_RETRY_AFTER = 60.0


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
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.delay, self.timeout, self.retries, self.backoff = delay, timeout, retries, backoff
        self.max_bytes, self.robots, self.user_agent = max_bytes, robots, user_agent
        self._sleep, self._clock = sleep, clock
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}  # Crawl-delay by site
        self._rules: dict[str, RobotFileParser | None] = {}
        self.client = httpx.Client(
            follow_redirects=True,
            max_redirects=5,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": user_agent},
            transport=transport,
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
            FetchError: refused by robots.txt, or still failing after the retries.
        """
        if self.robots and not self.allowed(url):
            raise FetchError(
                f"{url}: disallowed by the site's robots.txt; skip it, or pass "
                "--no-robots if you have the site's permission"
            )
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
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._rules:
            self._rules[key] = self._read_robots(key)
        rules = self._rules[key]
        return rules is not None and rules.can_fetch(self.user_agent, url)

    def _read_robots(self, site: str) -> RobotFileParser | None:
        """The site's rules; ``None`` (nothing allowed) when robots.txt cannot be had."""
        parser = RobotFileParser(f"{site}/robots.txt")
        try:
            self._wait_turn(site)
            response = self.client.get(f"{site}/robots.txt")
        except httpx.HTTPError as e:
            log.warning("%s/robots.txt unreachable (%s): not fetching from this site", site, e)
            return None
        if response.status_code >= 500:
            return None
        parser.parse(response.text.splitlines() if response.status_code < 400 else [])
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
                media = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
                return FetchResult(str(response.url), content, media, response.charset_encoding)
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


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value.isdigit():
        return None
    return min(float(value), MAX_RETRY_AFTER)
