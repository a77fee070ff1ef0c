"""Who is signed in (`status`, no network) and signing out (`logout`: revoke, then delete).

`AuthStatus` and `LogoutResult` hold no token or secret, so their repr is safe to show.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gworkflow.config import AuthConfig
from gworkflow.errors import ConfigError, GworkflowError, SignInNeeded
from gworkflow.google.credentials import service_account_credentials
from gworkflow.google.scopes import SCOPES, missing_scopes, missing_scopes_message
from gworkflow.google.token_file import (
    parse_expiry,
    permission_warning,
    read_token_info,
    scopes_of,
)

GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"
_GOOGLE_TOKEN_HOSTS = frozenset(
    {"oauth2.googleapis.com", "accounts.google.com", "www.googleapis.com"}
)
HTTP_TIMEOUT_SECONDS = 30

Opener = Callable[[urllib.request.Request], Any]


@dataclass(frozen=True)
class AuthStatus:
    """What `gworkflow auth status` shows. Holds no token or secret, so its repr is safe."""

    method: str
    signed_in: bool
    token_file: Path | None  # the OAuth token file; None for a service account
    account: str | None = None  # the e-mail when known (id_token claim or service account)
    scopes: tuple[str, ...] = ()
    # When the current *access* token expires (UTC). It lasts an hour and is renewed on
    # each run; the refresh token, whose life is not visible here, is what keeps cron going.
    expiry: dt.datetime | None = None
    service_account_file: Path | None = None
    subject: str | None = None
    problem: str | None = None  # one line: why not signed in, and what to do
    warning: str | None = None  # e.g. a token file other users can read


def status(auth: AuthConfig, token_file: Path) -> AuthStatus:
    """Read what is saved, without any network call."""
    if auth.method == "service_account":
        try:
            creds = service_account_credentials(auth)
        except ConfigError as exc:
            return AuthStatus(
                method=auth.method,
                signed_in=False,
                token_file=None,
                service_account_file=auth.service_account_file,
                subject=auth.subject or None,
                problem=exc.message,
            )
        return AuthStatus(
            method=auth.method,
            signed_in=True,
            token_file=None,
            account=getattr(creds, "service_account_email", None),
            scopes=tuple(SCOPES),
            service_account_file=auth.service_account_file,
            subject=auth.subject or None,
        )
    warning = permission_warning(token_file)
    try:
        info = read_token_info(token_file)
    except SignInNeeded as exc:
        return AuthStatus(
            method=auth.method,
            signed_in=False,
            token_file=token_file,
            problem=exc.message,
            warning=warning,
        )
    scopes = scopes_of(info)
    problem = None
    if missing_scopes(scopes):
        problem = missing_scopes_message(scopes, "the saved sign-in lacks")
    expiry = parse_expiry(info.get("expiry"))
    return AuthStatus(
        method=auth.method,
        signed_in=problem is None,
        token_file=token_file,
        account=info.get("account") or None,
        scopes=tuple(scopes),
        expiry=expiry.replace(tzinfo=dt.UTC) if expiry else None,
        problem=problem,
        warning=warning,
    )


@dataclass(frozen=True)
class LogoutResult:
    had_token: bool  # a token file was there (and is now deleted)
    revoked: bool  # Google (or the sandbox) no longer honours the refresh token
    problem: str | None = None  # one line when revoking failed; the file is deleted anyway


def revoke_url_for(token_uri: str | None) -> str:
    """Where to revoke a token whose refreshes go to `token_uri`.

    Google's endpoints -> GOOGLE_REVOKE_URI. Any other server (the sandbox: token_uri
    `<base>/token`) is assumed to serve `/revoke` next to `/token`, like Google does.
    """
    parts = urllib.parse.urlsplit(token_uri or "")
    if not parts.netloc or parts.hostname in _GOOGLE_TOKEN_HOSTS:
        return GOOGLE_REVOKE_URI
    path = parts.path
    path = path[: -len("/token")] + "/revoke" if path.endswith("/token") else "/revoke"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def logout(
    token_file: Path, revoke_url: str | None = None, opener: Opener | None = None
) -> LogoutResult:
    """Revoke the saved refresh token, then delete the token file (even if revoking failed).

    `revoke_url` defaults to revoke_url_for() the token file's token_uri. `opener` sends the
    POST (default urllib with a timeout); tests pass their own.
    """
    manual = "remove gworkflow's access at https://myaccount.google.com/permissions"
    try:
        text = token_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LogoutResult(had_token=False, revoked=False)
    except OSError as exc:
        raise GworkflowError(f"cannot read the token file {token_file} ({exc.strerror})") from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError:
        info = None
    token = None
    if isinstance(info, dict):
        token = info.get("refresh_token") or info.get("token")
    if not isinstance(token, str) or not token:
        token_file.unlink(missing_ok=True)
        return LogoutResult(
            had_token=True,
            revoked=False,
            problem=f"the token file held no token to revoke; deleted it anyway; {manual}",
        )
    assert isinstance(info, dict)
    url = revoke_url or revoke_url_for(info.get("token_uri"))
    problem = _revoke(url, token, opener)
    token_file.unlink(missing_ok=True)
    if problem:
        return LogoutResult(
            had_token=True,
            revoked=False,
            problem=f"could not revoke the sign-in ({problem}); deleted {token_file} anyway; {manual}",
        )
    return LogoutResult(had_token=True, revoked=True)


def _revoke(url: str, token: str, opener: Opener | None) -> str | None:
    """POST token=... to `url`; None on success, else why it failed (no secrets)."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"token": token}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    send: Opener = opener or (lambda r: urllib.request.urlopen(r, timeout=HTTP_TIMEOUT_SECONDS))
    host = urllib.parse.urlsplit(url).netloc
    try:
        response = send(request)
    except urllib.error.HTTPError as exc:
        error = _oauth_error(exc)
        exc.close()
        # Google answers 400 invalid_token for a token that is already expired or revoked:
        # what logout wanted anyway.
        if exc.code == 400 and error == "invalid_token":
            return None
        return f"{host} answered HTTP {exc.code} {error}".rstrip()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"could not reach {host}: {reason}"
    close = getattr(response, "close", None)
    if callable(close):
        close()
    return None


def _oauth_error(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else ""
