"""HTTP Digest authentication (RFC 7616 with MD5 and qop=auth, as RFC 2617): pure functions.

This is the variant ODK Collect's HTTP client (OkHttp with okhttp-digest) answers. Nonces are
stateless: ``<unix time>.<HMAC(secret, time)>``, so any server process can check them and nothing
is stored; replays within the lifetime of a nonce are not detected (no nonce-count bookkeeping).
"""

from __future__ import annotations

import hashlib
import hmac
import re

#: A nonce is accepted for this long; after that the client is told ``stale=true`` and retries.
NONCE_SECONDS = 300
#: Clocks of several server processes may differ slightly.
NONCE_FUTURE_SLACK_SECONDS = 30

_PARAM = re.compile(r'\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)')
REQUIRED = ("username", "realm", "nonce", "uri", "response")


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def ha1(*, username: str, realm: str, password: str) -> str:
    """HA1 = MD5(username:realm:password): what the server stores instead of the password."""
    return md5_hex(f"{username}:{realm}:{password}")


def expected_response(*, ha1: str, method: str, uri: str, nonce: str, nc: str, cnonce: str, qop: str) -> str:
    """The ``response`` a client that knows the password sends (RFC 7616 §3.4.1, qop=auth)."""
    ha2 = md5_hex(f"{method}:{uri}")
    if qop:
        return md5_hex(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
    return md5_hex(f"{ha1}:{nonce}:{ha2}")  # RFC 2069 clients, without qop


def parse_authorization(header: str) -> dict[str, str] | None:
    """The parameters of an ``Authorization: Digest …`` header, or None if it is not one we can use."""
    scheme, _sep, rest = header.strip().partition(" ")
    if scheme.lower() != "digest" or not rest.strip() or len(header) > 4096:
        return None
    params: dict[str, str] = {}
    position = 0
    rest = rest.strip()
    while position < len(rest):
        match = _PARAM.match(rest, position)
        if match is None or match.end() == position:
            return None
        name = match.group(1).lower()
        value = match.group(2) if match.group(2) is not None else match.group(3)
        params[name] = re.sub(r"\\(.)", r"\1", value) if match.group(2) is not None else value
        position = match.end()
    if any(not params.get(name) for name in REQUIRED):
        return None
    if params.get("algorithm", "MD5").upper() != "MD5":
        return None
    qop = params.get("qop", "")
    if qop not in ("", "auth") or (qop and not (params.get("nc") and params.get("cnonce"))):
        return None
    return params


def _sign(secret: bytes, timestamp: str) -> str:
    return hmac.new(secret, timestamp.encode("ascii"), hashlib.sha256).hexdigest()


def make_nonce(*, secret: bytes, now: float) -> str:
    timestamp = str(int(now))
    return f"{timestamp}.{_sign(secret, timestamp)}"


def check_nonce(*, nonce: str, secret: bytes, now: float, max_age: int = NONCE_SECONDS) -> str:
    """``"ok"``, ``"stale"`` (ours, but too old: the client may retry with a new one) or ``"invalid"``."""
    timestamp, _sep, signature = nonce.partition(".")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return "invalid"
    expected = _sign(secret, timestamp).encode("ascii")
    if not hmac.compare_digest(signature.encode("ascii", "replace"), expected):
        return "invalid"
    age = now - int(timestamp)
    if age < -NONCE_FUTURE_SLACK_SECONDS:
        return "invalid"
    return "stale" if age > max_age else "ok"


def challenge(*, realm: str, nonce: str, opaque: str, stale: bool = False) -> str:
    """The ``WWW-Authenticate`` value that asks for Digest credentials."""
    value = f'Digest realm="{realm}", qop="auth", nonce="{nonce}", opaque="{opaque}", algorithm=MD5'
    return value + (", stale=true" if stale else "")


def response_matches(*, params: dict[str, str], ha1: str, method: str) -> bool:
    """Whether the client's ``response`` proves it knows the password behind ``ha1`` (constant time)."""
    expected = expected_response(
        ha1=ha1,
        method=method,
        uri=params["uri"],
        nonce=params["nonce"],
        nc=params.get("nc", ""),
        cnonce=params.get("cnonce", ""),
        qop=params.get("qop", ""),
    )
    given = params["response"].lower().encode("ascii", "replace")
    return hmac.compare_digest(expected.encode("ascii"), given)
