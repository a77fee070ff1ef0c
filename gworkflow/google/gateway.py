"""The one place Google API requests are executed and their failures put into words.

Every Docs, Calendar and Drive request goes through `execute()`, which runs
`request.execute(num_retries=NUM_RETRIES)` and turns whatever fails into one of gworkflow's
errors, worded once per cause:

- Google answered an error status -> `ApiError` (with `.status`, `.reason`, `.detail`), or
  `ApiNotFound` (404, 410, a 403 that denies access) or `ApiUnavailable` (5xx, 429 and
  rate-limit 403s that outlasted the retries); a 401, or a 403 for a missing scope, is
  `SignInNeeded`;
- the saved sign-in could not be renewed (google-auth's RefreshError, raised inside any API
  call once the access token has expired) -> `describe_refresh_error()`: the very words of
  `gworkflow auth`'s own refresh, "app in Testing" hint included;
- the network failed (httplib2, http.client and socket errors, timeouts; the token endpoint
  unreachable) -> `GoogleUnavailable`.

google-api-python-client already retries 5xx, 429 and rate-limit 403s with exponential
backoff (and connection errors and timeouts), so neither this module nor its callers loop
for those. Callers say what a request is for in a `Call`; those that handle a failure (the
Docs stale-revision retry, Calendar's 409 on a derived event id) inspect the typed error,
never an HttpError.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2 import service_account
from googleapiclient.errors import Error as ClientError
from googleapiclient.errors import HttpError

from gworkflow.errors import (
    LOGIN_HINT,
    ConfigError,
    GoogleError,
    GoogleUnavailable,
    GworkflowError,
    NotFound,
    SignInNeeded,
)
from gworkflow.google.scopes import SCOPES
from gworkflow.types import JSON

# How often google-api-python-client retries a transient failure (5xx, 429, rate-limit
# 403s, connection errors, timeouts), backing off exponentially between attempts.
NUM_RETRIES = 4

# Google Cloud help "Manage App Audience" (support.google.com/cloud/answer/15549945):
# authorizations by a test user of an app whose publishing status is "Testing" expire seven
# days after consent, so a monthly cron job always meets a dead refresh token.
TESTING_TRAP = (
    "if your OAuth app is in 'Testing', Google expires refresh tokens after 7 days: "
    "publish it (In production) in the Google Cloud console"
)

# 403 reasons that mean "slow down", not "you may not" (Calendar: usageLimits domain).
_RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "RATE_LIMIT_EXCEEDED"}
)
# 403 reasons that mean the access token lacks a scope (v3 errors[] and Docs' ErrorInfo).
_SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})
# Failures of the way to Google: DNS, refused or reset connections, timeouts (OSError covers
# socket.timeout, TimeoutError and ConnectionError), a broken HTTP exchange.
_TRANSPORT_ERRORS = (httplib2.HttpLib2Error, http.client.HTTPException, OSError)

DEFAULT_GONE = "it was deleted, its id in the config is wrong, or access to it was lost"
DEFAULT_DENIED = (
    "ask its owner to share it with the signed-in account, or sign in with the right "
    "account (`gworkflow auth login`)"
)


class Request(Protocol):
    """A google-api-python-client request (`HttpRequest`), as far as the gateway uses it."""

    def execute(self, num_retries: int = 0) -> Any: ...


@dataclass(frozen=True)
class Call:
    """What a request is for, so that its failure can say so.

    `action` completes "could not ..." ("read Google Doc 1abc"); `gone` says what to do
    when the thing is not there (404, 410), `denied` when the account may not touch it.
    """

    service: str
    action: str
    gone: str = DEFAULT_GONE
    denied: str = DEFAULT_DENIED


class ApiError(GoogleError):
    """Google answered the request with an error status (after any retries).

    `status` is the HTTP status; `reason` Google's reason (v3 `errors[].reason`, Docs'
    ErrorInfo reason, else its status name such as INVALID_ARGUMENT); `detail` Google's
    own message.
    """

    def __init__(self, message: str, status: int, reason: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.detail = detail


class ApiNotFound(ApiError, NotFound):
    """404 or 410, or a 403 denying access: the thing is gone or out of reach."""


class ApiUnavailable(ApiError, GoogleUnavailable):
    """5xx, 429 or a rate-limit 403 that outlasted the retries."""


def execute(request: Request, call: Call, num_retries: int = NUM_RETRIES) -> JSON:
    """Run `request` (retrying transient failures) and return its JSON answer ({} for an
    empty one); raise one of gworkflow's errors, worded for `call`, when it fails."""
    _pace(request)
    try:
        answer = request.execute(num_retries=num_retries)
    except HttpError as exc:
        raise http_error(exc, call) from None
    except RefreshError as exc:
        raise describe_refresh_error(exc, method=_auth_method(request)) from None
    except TransportError as exc:
        # google-auth wraps only failures of its own requests: those to the token endpoint.
        raise token_endpoint_unreachable(_token_host(request), exc) from None
    except (ClientError, json.JSONDecodeError) as exc:
        raise GoogleError(
            f"could not {call.action}: {call.service} sent an answer gworkflow cannot read "
            f"({_cause(exc)}): try again later"
        ) from None
    except _TRANSPORT_ERRORS as exc:
        raise GoogleUnavailable(
            f"could not {call.action}: cannot reach {call.service} ({_cause(exc)}): "
            "check the network and try again"
        ) from None
    return answer if isinstance(answer, dict) else {}


# --- pacing hook ---------------------------------------------------------------------------
# Runs over many series install a pacer on their clients' HTTP objects
# (gworkflow.google.paced_http); clients without one (single-series commands) are not paced.


def _pace(request: Request) -> None:
    """Wait for a pacing slot for this request's API, read or write, if its client is paced."""
    pace = getattr(getattr(request, "http", None), "pace", None)
    if callable(pace):
        pace(write=str(getattr(request, "method", "GET")).upper() not in ("GET", "HEAD"))


def http_error(exc: HttpError, call: Call) -> GworkflowError:
    """An HttpError as a gworkflow error, by HTTP status and Google's reason."""
    status = int(getattr(exc.resp, "status", 0) or 0)
    error = _error_object(exc.content)
    detail = _one_line(str(error.get("message") or getattr(exc.resp, "reason", "") or ""))
    reason = _reason(error)
    answered = f"{call.service} answered {status}" + (f" {reason}" if reason else "")
    head = f"could not {call.action}: {answered}" + (f" ({detail})" if detail else "")
    if status == 401:
        return SignInNeeded(f"{head}: Google no longer accepts the saved sign-in; {LOGIN_HINT}")
    if status == 403 and (
        reason in _SCOPE_REASONS or "insufficient authentication scopes" in detail.lower()
    ):
        return SignInNeeded(
            f"{head}: the sign-in lacks a permission gworkflow needs; {LOGIN_HINT} and "
            "allow every item on Google's consent page"
        )
    if status >= 500 or status == 429 or (status == 403 and reason in _RATE_LIMIT_REASONS):
        return ApiUnavailable(
            f"{head}, even after retries: try again in a few minutes", status, reason, detail
        )
    if status in (404, 410):
        return ApiNotFound(f"{head}: {call.gone}", status, reason, detail)
    if status == 403:
        return ApiNotFound(f"{head}: no access; {call.denied}", status, reason, detail)
    return ApiError(head, status, reason, detail)


def describe_refresh_error(exc: RefreshError, *, method: str = "oauth") -> GworkflowError:
    """google-auth's RefreshError as one line saying what happened and what to do.

    The same words whether the refresh happened in `gworkflow auth`/`load_credentials` or
    inside an API call (the clients refresh an expired access token on their own).
    """
    data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], Mapping) else {}
    first = str(exc.args[0]) if exc.args else ""
    error = str(data.get("error") or first.split(":", 1)[0]).strip()
    description = str(data.get("error_description") or "").strip().rstrip(".")
    detail = f"{error}: {description}" if description else error
    if getattr(exc, "retryable", False):
        return GoogleUnavailable(
            f"Google's token endpoint failed ({detail or 'server error'}); try again later"
        )
    if method == "service_account":
        # e.g. unauthorized_client when domain-wide delegation is not set up for `subject`.
        return ConfigError(
            f"Google refused the service account ({detail}): check the key file, and for "
            "[auth] subject that the Workspace admin granted domain-wide delegation for "
            + " ".join(SCOPES)
        )
    if error == "invalid_grant":
        return SignInNeeded(
            f"Google refused the saved sign-in, it has expired or was revoked ({detail}); "
            f"{TESTING_TRAP}; then {LOGIN_HINT}"
        )
    if error in {"invalid_client", "unauthorized_client", "deleted_client"}:
        return SignInNeeded(
            f"Google no longer accepts the OAuth client of the saved sign-in ({detail}): "
            f"download a current 'Desktop app' client, then {LOGIN_HINT}"
        )
    return SignInNeeded(
        f"renewing the Google sign-in failed ({detail or 'unknown error'}): {LOGIN_HINT}"
    )


def token_endpoint_unreachable(host: str, exc: BaseException) -> GoogleUnavailable:
    """The token endpoint at `host` could not be reached to renew the access token."""
    return GoogleUnavailable(
        f"could not reach {host or 'the token endpoint'} to renew the Google sign-in "
        f"({type(_root(exc)).__name__}); check the network and try again"
    )


# --- internals ---------------------------------------------------------------------------


def _error_object(content: object) -> Mapping[str, Any]:
    """The "error" object of an error body: Docs {"error": {"code", "message", "status",
    "details"?}}, Calendar/Drive {"error": {"errors": [...], "code", "message"}}."""
    if not isinstance(content, bytes | str) or not content:
        return {}
    try:
        body = json.loads(content)
    except ValueError:
        return {}
    if isinstance(body, list) and body:  # a batch answer: the first error speaks for all
        body = body[0]
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _reason(error: Mapping[str, Any]) -> str:
    for key in ("errors", "details"):
        items = error.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("reason"):
                return str(item["reason"])
    return str(error.get("status") or "")


def _credentials(request: Request) -> object:
    # The AuthorizedHttp the client was built with carries the credentials.
    return getattr(getattr(request, "http", None), "credentials", None)


def _auth_method(request: Request) -> str:
    credentials = _credentials(request)
    return "service_account" if isinstance(credentials, service_account.Credentials) else "oauth"


def _token_host(request: Request) -> str:
    credentials = _credentials(request)
    uri = getattr(credentials, "token_uri", None) or getattr(credentials, "_token_uri", None)
    return urllib.parse.urlsplit(uri).netloc if isinstance(uri, str) else ""


def _root(exc: BaseException) -> BaseException:
    """What a google-auth TransportError wraps (as its cause or its first argument)."""
    if exc.__cause__ is not None:
        return exc.__cause__
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, BaseException) else exc


def _cause(exc: BaseException) -> str:
    return _one_line(str(exc)) or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())
