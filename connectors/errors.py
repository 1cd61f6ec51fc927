"""What a source can answer that is not data.

Every source says "no data" in its own words (Seoul INFO-200, KOSIS err 30, data.go.kr 03);
connectors turn that into an empty result, never an exception. Everything else becomes a
SourceError carrying the source's own code, so a harvest run can record exactly what the
source said, and `retryable` says whether trying again later can help.
"""
from __future__ import annotations

from typing import Callable


class SourceError(Exception):
    """A source refused or failed a request.

    `code` is the source's own code when it gave one (`ERROR-500`, KOSIS `21`,
    `SERVICE_KEY_IS_NOT_REGISTERED_ERROR`), else ours (`network`, `http-503`, `invalid-json`).
    `url` is the request URL with every secret removed.
    """

    def __init__(self, source: str, code: str, message: str, retryable: bool = False, *,
                 url: str | None = None):
        self.source = source
        self.code = str(code)
        self.message = message
        self.retryable = retryable
        self.url = url
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" [{self.url}]" if self.url else ""
        return f"{self.source} {self.code}: {self.message}{where}"

    def scrubbed(self, redact: Callable[[str], str], url: str | None = None) -> "SourceError":
        """This error with `redact` applied to its text, and `url` set if it had none."""
        self.message = redact(self.message)
        self.url = redact(self.url or url or "") or None
        self.args = (str(self),)
        return self


class AuthError(SourceError):
    """The key is missing, wrong, expired, blocked or not approved for this service.
    Retrying cannot help; someone has to fix the key."""

    def __init__(self, source: str, code: str, message: str, *, url: str | None = None):
        super().__init__(source, code, message, retryable=False, url=url)


class QuotaExceeded(SourceError):
    """The source's call limit is used up (Seoul ERROR-337, data.go.kr 22, KOSIS 40).
    Stop now and try again after the quota resets (usually the next day)."""

    def __init__(self, source: str, code: str, message: str, *, url: str | None = None):
        super().__init__(source, code, message, retryable=False, url=url)
