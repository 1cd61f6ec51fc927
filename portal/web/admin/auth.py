"""Administrator sign-in for browsers: the session keeps a digest of the admin token.

The header `X-Portal-Admin-Token` serves scripts; a person signs in once with the same token.
Only its digest goes into the (signed, not encrypted) session cookie, and changing the
token in the configuration signs every browser out.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import session

_KEY = "admin_token_digest"


def _digest(token: str) -> str:
    return hashlib.sha256(f"portal-admin:{token}".encode()).hexdigest()


def token_matches(configured: str, supplied: str) -> bool:
    return bool(configured and supplied) and hmac.compare_digest(
        _digest(configured), _digest(supplied))


def sign_in(token: str) -> None:
    session[_KEY] = _digest(token)


def sign_out() -> None:
    session.pop(_KEY, None)


def session_holds(configured: str) -> bool:
    """Whether this browser signed in with the token now configured."""
    held = session.get(_KEY)
    return bool(configured and isinstance(held, str)) and hmac.compare_digest(
        held, _digest(configured))
