"""The one HTTP layer every connector uses.

    client = HttpClient("seoul", base_url, secrets=[key], min_interval=0.3)
    page = client.get("KEY/json/SearchCatalogService/1/1000/", parse=read_page)

What it does, once for all sources:
- timeouts on every request, and a User-Agent that says who is calling;
- a minimum interval between requests to the same source (the sources throttle or block
  clients that hammer them);
- retries with exponential backoff and jitter for network failures, HTTP 5xx/429 and
  whatever the connector's `parse` callback calls retryable after reading the BODY (the
  Korean APIs answer HTTP 200 with `ERROR-500` or `{"err": "50"}` inside); never for
  auth or request errors, which cannot succeed on a second try;
- secrets (API keys) scrubbed from every log line and every exception message, in all the
  forms they take in a URL (raw, percent-encoded once or twice).

Base URLs are plain strings, so tests and the offline demo point a connector at a local
server replaying recorded responses (`connectors.replay`). The clock is injectable: tests
pass a fake one and never really sleep.
"""
from __future__ import annotations

import logging
import random
import re
import threading
import time
import weakref
from typing import Callable, Iterable, Protocol, TypeVar
from urllib.parse import quote, quote_plus, unquote

import requests

from connectors.errors import SourceError

log = logging.getLogger(__name__)

T = TypeVar("T")
USER_AGENT = ("SeoulPublicDataPortal-Harvester/0.1 "
              "(catalog harvest of Seoul, KOSIS and data.go.kr open data; python-requests)")
# Query parameters that carry keys in the sources we call, scrubbed even when the value
# is not one of the known secrets (a key from an old configuration, a test key).
SECRET_PARAMS = ("serviceKey", "ServiceKey", "apiKey", "apikey", "authKey", "KEY")
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout,
                  requests.exceptions.ChunkedEncodingError,
                  requests.exceptions.ContentDecodingError)


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)


class Redactor:
    """Replaces secrets in text with `***`."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            plain = unquote(secret)
            for value in (secret, plain):
                once = quote(value, safe="")
                forms |= {value, once, quote_plus(value), quote(once, safe="")}
        # Longest first, so an encoded form is replaced whole, not around its plain core.
        self._forms = sorted((f for f in forms if f), key=len, reverse=True)
        self._params = re.compile(
            r"((?:%s)=)[^&#\s'\"]+" % "|".join(re.escape(p) for p in SECRET_PARAMS))

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        for form in self._forms:
            text = text.replace(form, "***")
        return self._params.sub(r"\1***", text)


class _ScrubUrllib3(logging.Filter):
    """urllib3 logs every request line at DEBUG ("GET /KEY/json/… 200"): scrub the secrets
    of every live client from those records too."""

    def __init__(self):
        super().__init__()
        self.redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()

    def filter(self, record: logging.LogRecord) -> bool:
        redactors = list(self.redactors)
        if redactors:
            message = record.getMessage()
            for redact in redactors:
                message = redact(message)
            record.msg, record.args = message, ()
        return True


_URLLIB3_FILTER = _ScrubUrllib3()
logging.getLogger("urllib3.connectionpool").addFilter(_URLLIB3_FILTER)


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): exponential, capped,
    with "equal jitter" (half fixed, half random) so clients that failed together do not
    retry together, yet every wait is at least half the exponential step."""
    step = min(cap, base * 2 ** (attempt - 1))
    return step / 2 + rng.uniform(0, step / 2)


def check_status(response: requests.Response, source: str) -> None:
    """Raise SourceError for a non-2xx status: retryable for 5xx and 429."""
    status = response.status_code
    if status < 400:
        return
    retryable = status >= 500 or status == 429
    reason = response.reason or ""
    raise SourceError(source, f"http-{status}", f"HTTP {status} {reason}".strip(), retryable)


def _default_parse(source: str) -> Callable[[requests.Response], requests.Response]:
    def parse(response: requests.Response) -> requests.Response:
        check_status(response, source)
        return response
    return parse


class HttpClient:
    """GET requests to one source, with retries, pacing and secret scrubbing."""

    def __init__(self, source: str, base_url: str, *, secrets: Iterable[str | None] = (),
                 timeout: float = 30.0, max_attempts: int = 4, backoff_base: float = 1.0,
                 backoff_cap: float = 60.0, min_interval: float = 0.0,
                 user_agent: str = USER_AGENT, clock: Clock | None = None,
                 rng: random.Random | None = None, session: requests.Session | None = None):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.source = source
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.min_interval = min_interval
        self.clock = clock or SystemClock()
        self.redact = Redactor(secrets)
        _URLLIB3_FILTER.redactors.add(self.redact)
        self._rng = rng or random.Random()
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = user_agent
        self._last_request: float | None = None
        self._pace_lock = threading.Lock()

    def url(self, path: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*://", path):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def get(self, path: str, params: dict | None = None, *,
            parse: Callable[[requests.Response], T] | None = None) -> T:
        """GET `path` (relative to the base URL, or absolute) and return `parse(response)`.

        `parse` sees every response that arrives, whatever its status, so it can read a
        source's error body first; it raises SourceError (retryable or not) or returns the
        parsed value. Without it, any 2xx response is returned as is.
        """
        parse = parse or _default_parse(self.source)
        url = self.url(path)
        shown = self.redact(url)
        for attempt in range(1, self.max_attempts + 1):
            ok, outcome = self._attempt(url, params, parse, shown)
            if ok:
                return outcome
            failure: SourceError = outcome
            if not failure.retryable or attempt == self.max_attempts:
                break
            delay = backoff_delay(attempt, self.backoff_base, self.backoff_cap, self._rng)
            log.warning("%s: attempt %d of %d failed (%s: %s); retrying in %.1fs",
                        self.source, attempt, self.max_attempts, failure.code,
                        failure.message, delay)
            self.clock.sleep(delay)
        if failure.retryable and self.max_attempts > 1:
            failure.message += f" (gave up after {self.max_attempts} attempts)"
            failure.args = (str(failure),)
        # Raised here, outside any `except`, so no chained exception (which could carry
        # the raw URL with its key) travels with it.
        raise failure

    def _attempt(self, url, params, parse, shown) -> tuple[bool, object]:
        """(True, the parsed value) or (False, the SourceError this attempt ended with)."""
        self._pace()
        started = self.clock.monotonic()
        try:
            response = self._session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            # requests puts the full URL, key included, in its messages: scrub them.
            kind = ("timeout" if isinstance(exc, requests.Timeout) else
                    "network" if isinstance(exc, NETWORK_ERRORS) else "request")
            error = SourceError(self.source, kind, f"{type(exc).__name__}: {exc}",
                                retryable=isinstance(exc, NETWORK_ERRORS))
            return False, error.scrubbed(self.redact, shown)
        log.debug("%s: GET %s -> %s (%d bytes, %.2fs)", self.source,
                  self.redact(response.url), response.status_code, len(response.content),
                  self.clock.monotonic() - started)
        try:
            return True, parse(response)
        except SourceError as exc:
            return False, exc.scrubbed(self.redact, self.redact(response.url))

    def _pace(self) -> None:
        """Wait until `min_interval` has passed since the previous request started."""
        with self._pace_lock:
            now = self.clock.monotonic()
            if self._last_request is not None and self.min_interval > 0:
                wait = self._last_request + self.min_interval - now
                if wait > 0:
                    self.clock.sleep(wait)
                    now = self.clock.monotonic()
            self._last_request = now

    def close(self) -> None:
        self._session.close()
