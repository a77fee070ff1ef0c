"""Credentials for a run without a person present (cron): never an interactive flow.

`load_credentials()` reads the token file and refreshes the access token when it is
missing or about to expire (writing the renewed token back, 0600), or loads a service
account key. A refresh that fails is worded by the gateway (`describe_refresh_error`), the
same way as a refresh that fails later inside an API call; the token endpoint's answer is
checked first (`CheckedTokenTransport`: an HTML page from a captive portal is one line, not
a TypeError inside google-auth), and the refresh waits no longer than the run's deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from google.auth.credentials import Credentials as AnyCredentials
from google.auth.exceptions import RefreshError, TransportError
from google.auth.transport import Request
from google.auth.transport.requests import Request as RequestsRequest
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials

from gworkflow.config import AuthConfig, write_atomically
from gworkflow.deadline import Deadline
from gworkflow.errors import ConfigError, SignInNeeded, UnexpectedAnswer
from gworkflow.google.gateway import (
    CheckedTokenTransport,
    UnreadableTokenAnswer,
    describe_refresh_error,
    token_endpoint_unreachable,
)
from gworkflow.google.scopes import SCOPES, missing_scopes, missing_scopes_message
from gworkflow.google.token_file import (
    credentials_from_info,
    read_token_info,
    scopes_of,
    token_json,
)

log = logging.getLogger(__name__)

# Refresh earlier than google-auth's own 3m45s threshold, so a token never dies mid-run.
REFRESH_MARGIN = dt.timedelta(minutes=5)

Clock = Callable[[], dt.datetime]
RequestFactory = Callable[[], Request]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def load_credentials(
    auth: AuthConfig,
    token_file: Path,
    request_factory: RequestFactory | None = None,
    *,
    clock: Clock = _utc_now,
    deadline: Deadline | None = None,
) -> AnyCredentials:
    """Credentials for a run without a person present; never starts an interactive flow.

    OAuth: the token file, refreshed (and written back, 0600) when its access token is
    missing or expires within REFRESH_MARGIN. Raises SignInNeeded when there is no usable
    sign-in, GoogleError when the token endpoint cannot be reached (it may be transient).

    Service account: the key file with SCOPES, acting as `auth.subject` when set (Workspace
    domain-wide delegation). Without delegation a service account acts as itself: it can
    only reach docs and calendars shared with its own address, and the Calendar API refuses
    to let it invite attendees ("Service accounts cannot invite attendees without Domain-Wide
    Delegation of Authority"). ConfigError when the key file is missing or not a key.
    """
    if auth.method == "service_account":
        return service_account_credentials(auth)
    info = read_token_info(token_file)
    scopes = scopes_of(info)
    if missing_scopes(scopes):
        raise SignInNeeded(missing_scopes_message(scopes, f"the sign-in in {token_file} lacks"))
    creds = credentials_from_info(info)
    if _needs_refresh(creds, clock()):
        refresh(creds, token_file, request_factory, deadline=deadline)
    return creds


def refresh(
    creds: Credentials,
    token_file: Path,
    request_factory: RequestFactory | None = None,
    *,
    deadline: Deadline | None = None,
) -> None:
    """Refresh the access token now and write the token file back (0600).

    A token that cannot be saved is still good for this run, so a write failure is logged,
    not raised; the next run refreshes again with the unchanged refresh token.
    """
    inner = request_factory() if request_factory else RequestsRequest()
    # requests takes a timeout per request: the time left before the run's deadline.
    timeout = deadline.timeout if deadline is not None and request_factory is None else None
    request = CheckedTokenTransport(inner, timeout)
    host = urllib.parse.urlsplit(creds.token_uri or "").netloc
    try:
        creds.refresh(request)  # type: ignore[no-untyped-call]
    except RefreshError as exc:
        raise describe_refresh_error(exc) from None
    except UnreadableTokenAnswer as exc:
        raise UnexpectedAnswer(exc.message) from None
    except TransportError as exc:
        raise token_endpoint_unreachable(host, exc) from None
    granted = list(creds.granted_scopes or [])
    if granted and missing_scopes(granted):
        raise SignInNeeded(missing_scopes_message(granted, "Google now grants only part of"))
    log.info("renewed the Google access token from %s; it expires at %s UTC", host, creds.expiry)
    try:
        write_atomically(token_file, token_json(creds), mode=0o600)
    except OSError as exc:
        log.warning("could not save the renewed token to %s: %s", token_file, exc.strerror)


def service_account_credentials(auth: AuthConfig) -> AnyCredentials:
    """The service account key of `[auth] service_account_file`, with SCOPES and subject."""
    path = auth.service_account_file
    if path is None:
        raise ConfigError('[auth] service_account_file is required when method = "service_account"')
    try:
        creds: AnyCredentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(path), scopes=SCOPES, subject=auth.subject or None
        )
    except FileNotFoundError:
        raise ConfigError(
            f"[auth] service_account_file: no such file {path}; download a JSON key of the "
            "service account from the Google Cloud console (IAM & Admin > Service accounts > Keys)"
        ) from None
    except (OSError, ValueError, KeyError) as exc:
        # ValueError covers bad JSON and missing fields; the message names fields, never keys.
        reason = exc.strerror if isinstance(exc, OSError) else type(exc).__name__
        raise ConfigError(
            f"[auth] service_account_file: {path} is not a service account JSON key ({reason})"
        ) from None
    return creds


def _needs_refresh(creds: Credentials, now: dt.datetime) -> bool:
    expiry: dt.datetime | None = creds.expiry
    expiry_utc = expiry.replace(tzinfo=dt.UTC) if expiry else None
    return not creds.token or expiry_utc is None or expiry_utc - now < REFRESH_MARGIN
