"""The token file: the saved OAuth sign-in, private (0600) and written atomically.

Its content is google-auth's `Credentials.to_json()` (token, refresh_token, token_uri,
client_id, client_secret, scopes, expiry, account). Its `token_uri` decides where refreshes
go, so a token minted by the sandbox (`token_uri = <sandbox>/token`) refreshes against the
sandbox; google-auth's own `from_authorized_user_info()` would replace it with Google's
endpoint, which is why `credentials_from_info()` builds the Credentials itself.

Nothing here logs or returns a token or a client secret in a message.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from google.auth.credentials import Credentials as AnyCredentials
from google.oauth2.credentials import Credentials

from gworkflow.config import write_atomically
from gworkflow.errors import LOGIN_HINT, GworkflowError, SignInNeeded

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


def token_json(creds: Credentials) -> str:
    """What the token file holds for `creds`."""
    text: str = creds.to_json()  # type: ignore[no-untyped-call]
    return text + "\n"


def save_credentials(creds: Credentials, token_file: Path) -> None:
    """Write `creds.to_json()` atomically with mode 0600 (whatever the umask)."""
    try:
        write_atomically(token_file, token_json(creds), mode=0o600)
    except OSError as exc:
        raise GworkflowError(
            f"cannot write the token file {token_file} ({exc.strerror or exc}): "
            "check that its directory is writable"
        ) from None


def save_if_changed(creds: AnyCredentials, token_file: Path) -> bool:
    """Write OAuth credentials back if they were refreshed since the file was written.

    For the runner to call at the end of a run; True when the file was rewritten. Service
    account credentials are never saved (they live in their key file).
    """
    if not isinstance(creds, Credentials) or not creds.token:
        return False
    try:
        saved = json.loads(token_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = None
    if isinstance(saved, dict) and saved.get("token") == creds.token:
        return False
    save_credentials(creds, token_file)
    return True


def read_token_info(token_file: Path) -> dict[str, Any]:
    """The token file's JSON, checked to hold a refresh token and its client.

    Raises SignInNeeded ("not signed in" or "unreadable") with what to do.
    """
    unreadable = f"token file {token_file} is unreadable: {LOGIN_HINT}"
    try:
        text = token_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SignInNeeded(f"not signed in: {LOGIN_HINT}") from None
    except (OSError, UnicodeDecodeError):
        raise SignInNeeded(unreadable) from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError:
        raise SignInNeeded(unreadable) from None
    if not isinstance(info, dict):
        raise SignInNeeded(unreadable)
    for key in ("refresh_token", "client_id", "client_secret"):
        if not isinstance(info.get(key), str) or not info[key]:
            raise SignInNeeded(unreadable)
    return info


def scopes_of(info: Mapping[str, Any]) -> list[str]:
    """The scopes a token file says were granted (a list, or one space-separated string)."""
    scopes = info.get("scopes")
    if isinstance(scopes, str):
        return scopes.split()
    if isinstance(scopes, list):
        return [s for s in scopes if isinstance(s, str)]
    return []


def parse_expiry(value: object) -> dt.datetime | None:
    """The token file's expiry as google-auth wants it: a naive datetime in UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def credentials_from_info(info: Mapping[str, Any]) -> Credentials:
    """OAuth Credentials from the token file's JSON, keeping its `token_uri`."""
    token = info.get("token")
    return Credentials(  # type: ignore[no-untyped-call]
        token=token if isinstance(token, str) and token else None,
        refresh_token=info["refresh_token"],
        token_uri=info.get("token_uri") or GOOGLE_TOKEN_URI,
        client_id=info["client_id"],
        client_secret=info["client_secret"],
        scopes=scopes_of(info),
        expiry=parse_expiry(info.get("expiry")),
        rapt_token=info.get("rapt_token"),
        account=info.get("account") or "",
    )


def permission_warning(token_file: Path) -> str | None:
    """A one-line warning when other users may read the token file."""
    try:
        mode = stat.S_IMODE(token_file.stat().st_mode)
    except OSError:
        return None
    if mode & 0o077:
        return (
            f"token file {token_file} can be read by other users (mode {mode:04o}): "
            f"run `chmod 600 {token_file}`"
        )
    return None
