"""The one place Google API requests are executed and their failures put into words.

Every Docs, Calendar and Drive request goes through `execute()`, which sends it, retries
what may pass, checks what came back, and turns whatever fails into one of gworkflow's
errors, worded once per cause, in one line that says what answered:

- Google answered an error status -> `ApiError` (with `.status`, `.reason`, `.detail` and
  `.sends`, how often the request went out), or `ApiNotFound` (404, 410, a 403 that denies
  access) or `ApiUnavailable` (5xx, 429 and rate-limit 403s that outlasted the retries); a
  401, or a 403 for a missing scope, is `SignInNeeded`;
- the saved sign-in could not be renewed (google-auth's RefreshError, raised inside any API
  call once the access token has expired) -> `describe_refresh_error()`: the very words of
  `gworkflow auth`'s own refresh, "app in Testing" hint included;
- the network failed (httplib2, http.client and socket errors, timeouts; the token endpoint
  unreachable) -> `GoogleUnavailable`; the run's deadline passed -> `DeadlinePassed`;
- something that is not Google's API answered (an HTML page from a captive portal or
  proxy, bytes that are not HTTP, TLS on an http:// address, a body cut short, `null` or
  JSON of the wrong shape, checked by `Call.expect` from `gworkflow.google.answers`) ->
  `UnexpectedAnswer`.

Retries live here, not in google-api-python-client (which is called with num_retries=0):
5xx, 429, rate-limit 403s, timeouts, reset connections and bodies cut short are retried
with exponential backoff (googleapiclient's formula) up to `num_retries` times, and only
while the backoff fits inside the run's `Deadline`. A refused connection or a name that
does not resolve fails at once: retrying it four times only delays the one line that
says so. Callers say what a request is for in a `Call`; those that handle a failure (the
Docs stale-revision retry, Calendar's 409 on a derived event id) inspect the typed error,
never an HttpError.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import ssl
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httplib2
from google.auth import transport
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2 import service_account
from googleapiclient.errors import Error as ClientError
from googleapiclient.errors import HttpError

from gworkflow.deadline import Deadline
from gworkflow.errors import (
    LOGIN_HINT,
    ConfigError,
    DeadlinePassed,
    GoogleError,
    GoogleUnavailable,
    GworkflowError,
    NotFound,
    SignInNeeded,
    UnexpectedAnswer,
)
from gworkflow.google.scopes import SCOPES
from gworkflow.types import JSON

log = logging.getLogger(__name__)

# How often a transient failure (5xx, 429, rate-limit 403s, timeouts, reset connections,
# bodies cut short) is retried, backing off exponentially between attempts.
NUM_RETRIES = 4

# Google Cloud help "Manage App Audience" (support.google.com/cloud/answer/15549945):
# authorizations by a test user of an app whose publishing status is "Testing" expire seven
# days after consent, so a monthly cron job always meets a dead refresh token.
TESTING_TRAP = (
    "if your OAuth app is in 'Testing', Google expires refresh tokens after 7 days: "
    "publish it (In production) in the Google Cloud console"
)
PORTAL_HINT = "a captive portal or proxy? Open any web page to sign in to the network"
DEADLINE_HINT = "allow more with --deadline (or `deadline` in the config)"

# 403 reasons that mean "slow down", not "you may not" (Calendar: usageLimits domain).
_RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "RATE_LIMIT_EXCEEDED"}
)
# 403 reasons that mean the access token lacks a scope (v3 errors[] and Docs' ErrorInfo).
_SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})
# Failures of the way to Google: DNS, refused or reset connections, timeouts (OSError covers
# socket.timeout, TimeoutError and ConnectionError), a broken HTTP exchange.
_TRANSPORT_ERRORS = (httplib2.HttpLib2Error, http.client.HTTPException, OSError)
# Of those, the ones that may pass on a second try. A refused connection, an unknown host
# or an answer that is not HTTP will be the same in a second.
_TRANSIENT_TRANSPORT = (
    TimeoutError,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
    http.client.IncompleteRead,
    ssl.SSLError,
)
_NEVER_RETRIED = (
    ConnectionRefusedError,
    socket.gaierror,
    httplib2.ServerNotFoundError,
    ssl.SSLCertVerificationError,  # a certificate that does not verify stays so
)

DEFAULT_GONE = "it was deleted, its id in the config is wrong, or access to it was lost"
DEFAULT_DENIED = (
    "ask its owner to share it with the signed-in account, or sign in with the right "
    "account (`gworkflow auth login`)"
)
_NO_DEADLINE = Deadline(None)


Checker = Callable[[Any], "str | None"]


class Request(Protocol):
    """A google-api-python-client request (`HttpRequest`), as far as the gateway uses it."""

    def execute(self, num_retries: int = 0) -> Any: ...


@dataclass(frozen=True)
class Call:
    """What a request is for, so that its failure can say so.

    `action` completes "could not ..." ("read Google Doc 1abc"); `gone` says what to do
    when the thing is not there (404, 410), `denied` when the account may not touch it.
    `expect` checks the answer's shape (`gworkflow.google.answers`); without it any JSON
    object (or an empty answer) will do.
    """

    service: str
    action: str
    gone: str = DEFAULT_GONE
    denied: str = DEFAULT_DENIED
    expect: Checker | None = None


class ApiError(GoogleError):
    """Google answered the request with an error status (after any retries).

    `status` is the HTTP status; `reason` Google's reason (v3 `errors[].reason`, Docs'
    ErrorInfo reason, else its status name such as INVALID_ARGUMENT); `detail` Google's
    own message; `sends` how many times the request went out (more than 1: an earlier
    attempt failed in a way that may have let it land).
    """

    def __init__(
        self, message: str, status: int, reason: str = "", detail: str = "", sends: int = 1
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.detail = detail
        self.sends = sends


class ApiNotFound(ApiError, NotFound):
    """404 or 410, or a 403 denying access: the thing is gone or out of reach."""


class ApiUnavailable(ApiError, GoogleUnavailable):
    """5xx, 429 or a rate-limit 403 that outlasted the retries."""


class UnreadableTokenAnswer(TransportError):
    """The token endpoint answered something that is not an OAuth token answer (raised by
    `CheckedTokenTransport` before google-auth tries to read it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)  # type: ignore[no-untyped-call]
        self.message = message


def execute(
    request: Request,
    call: Call,
    num_retries: int = NUM_RETRIES,
    deadline: Deadline | None = None,
) -> JSON:
    """Send `request`, retrying what may pass while `deadline` allows, and return its JSON
    answer, checked by `call.expect` ({} for an empty one); raise one of gworkflow's errors,
    worded for `call`, when it fails."""
    deadline = deadline or _NO_DEADLINE
    server = _server(request)
    answered: list[Mapping[str, str]] = []
    add_callback = getattr(request, "add_response_callback", None)
    if callable(add_callback):
        add_callback(answered.append)  # the answer's headers, to tell an HTML page
    sends = 0
    while True:
        sends += 1
        _pace(request)
        try:
            answer = request.execute(num_retries=0)
        except HttpError as exc:
            error = http_error(exc, call, server, sends)
            if not _retryable_status(exc):
                raise error from None
            _retry(error, sends, num_retries, deadline)
            continue
        except RefreshError as exc:
            raise describe_refresh_error(exc, method=_auth_method(request)) from None
        except UnreadableTokenAnswer as exc:
            raise UnexpectedAnswer(exc.message) from None
        except TransportError as exc:
            # google-auth wraps only failures of its own requests: those to the token endpoint.
            if deadline.passed:
                raise _deadline_passed(call, deadline) from None
            raise token_endpoint_unreachable(_token_host(request), exc) from None
        except GworkflowError:
            raise
        except ClientError as exc:
            raise GoogleError(
                f"could not {call.action}: {call.service} sent an answer gworkflow cannot read "
                f"({_cause(exc)}): try again later"
            ) from None
        except json.JSONDecodeError as exc:
            raise _unexpected(call, server, _what_it_is(exc.doc, None)) from None
        except _TRANSPORT_ERRORS as exc:
            if deadline.passed:
                raise _deadline_passed(call, deadline) from None
            error = transport_error(exc, call, server)
            transient = isinstance(exc, _TRANSIENT_TRANSPORT) and not isinstance(
                exc, _NEVER_RETRIED
            )
            if not transient:
                raise error from None
            _retry(error, sends, num_retries, deadline)
            continue
        return _checked(answer, call, server, answered[-1] if answered else None)


# --- pacing hook ---------------------------------------------------------------------------
# Runs over many series install a pacer on their clients' HTTP objects
# (gworkflow.google.paced_http); clients without one (single-series commands) are not paced.


def _pace(request: Request) -> None:
    """Wait for a pacing slot for this request's API, read or write, if its client is paced."""
    pace = getattr(getattr(request, "http", None), "pace", None)
    if callable(pace):
        pace(write=str(getattr(request, "method", "GET")).upper() not in ("GET", "HEAD"))


def http_error(exc: HttpError, call: Call, server: str = "", sends: int = 1) -> GworkflowError:
    """An HttpError as a gworkflow error, by HTTP status and Google's reason."""
    status = int(getattr(exc.resp, "status", 0) or 0)
    content = exc.content
    error = _error_object(content)
    if not error and status < 500 and _has_text(content):
        # Google's APIs answer every error with a JSON error object: an HTML page (or other
        # text) with a 4xx comes from something in between.
        what = _what_it_is(content, getattr(exc, "resp", None))
        return UnexpectedAnswer(
            f"could not {call.action}: {server or 'the server'} answered {status} with {what}, "
            f"not Google's API: {PORTAL_HINT}, or check the endpoint"
        )
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
            f"{head}, even after retries: try again in a few minutes",
            status,
            reason,
            detail,
            sends,
        )
    if status in (404, 410):
        return ApiNotFound(f"{head}: {call.gone}", status, reason, detail, sends)
    if status == 403:
        return ApiNotFound(f"{head}: no access; {call.denied}", status, reason, detail, sends)
    return ApiError(head, status, reason, detail, sends)


def transport_error(exc: BaseException, call: Call, server: str = "") -> GworkflowError:
    """A failure of the way to Google (or of what answered in its place), in one line."""
    at = server or "the server"
    if isinstance(exc, http.client.IncompleteRead):
        expected = f", {exc.expected} more expected" if exc.expected is not None else ""
        return GoogleUnavailable(
            f"could not {call.action}: the answer from {at} was cut short "
            f"({len(exc.partial)} bytes read{expected}): check the network and try again"
        )
    if isinstance(exc, http.client.BadStatusLine) and not isinstance(
        exc, http.client.RemoteDisconnected
    ):
        line = str(exc.args[0]) if exc.args else ""
        if line.startswith("\x16\x03"):  # a TLS record header: an https server
            return UnexpectedAnswer(
                f"could not {call.action}: {at} answered with TLS (https) to a plain http:// "
                "request: use https:// in the endpoint"
            )
        return UnexpectedAnswer(
            f"could not {call.action}: {at} answered with something that is not HTTP "
            f"({_snippet(line)}), not Google's API: {PORTAL_HINT}, or check the endpoint"
        )
    if isinstance(exc, http.client.HTTPException) and not isinstance(exc, OSError):
        return UnexpectedAnswer(
            f"could not {call.action}: {at} broke off the HTTP exchange ({_cause(exc)}): "
            "check the network and try again"
        )
    return GoogleUnavailable(
        f"could not {call.action}: cannot reach {call.service} ({_cause(exc)}): "
        "check the network and try again"
    )


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
    root = _root(exc)
    if isinstance(root, http.client.HTTPException) and not isinstance(root, OSError):
        return UnexpectedAnswer(
            f"could not renew the Google sign-in: {host or 'the token endpoint'} answered with "
            f"something that is not HTTP ({type(root).__name__}): {PORTAL_HINT}"
        )
    return GoogleUnavailable(
        f"could not reach {host or 'the token endpoint'} to renew the Google sign-in "
        f"({type(root).__name__}); check the network and try again"
    )


class CheckedTokenTransport(transport.Request):
    """A google-auth transport that refuses token-endpoint answers google-auth cannot read.

    google-auth reads a 200 from the token endpoint as JSON and indexes it: an HTML page
    (a captive portal) or `null` ends in a TypeError inside google-auth, and an HTML error
    page becomes the text of a RefreshError. This wrapper checks the answer first and
    raises `UnreadableTokenAnswer`, which the gateway and `credentials.refresh` word as
    "the server at ... answered with an HTML page". `timeout` gives each request's timeout
    (the run's deadline) for transports that take one per request.
    """

    def __init__(self, inner: transport.Request, timeout: Callable[[], float] | None = None):
        self._inner = inner
        self._timeout = timeout

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> transport.Response:
        if timeout is None and self._timeout is not None:
            timeout = self._timeout()
        if timeout is not None:
            kwargs["timeout"] = timeout
        response: transport.Response = self._inner(
            url=url, method=method, body=body, headers=headers, **kwargs
        )
        problem = _token_answer_problem(response)
        if problem:
            host = urllib.parse.urlsplit(url).netloc or "the token endpoint"
            raise UnreadableTokenAnswer(
                f"could not renew the Google sign-in: the server at {host} answered "
                f"{response.status} with {problem}, not Google's token endpoint: {PORTAL_HINT}"
            )
        return response


def _token_answer_problem(response: transport.Response) -> str | None:
    data = response.data
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data or "")
    try:
        parsed = json.loads(text)
    except ValueError:
        return _what_it_is(text, response.headers)
    if not isinstance(parsed, dict):
        return f"JSON that is not an object ({_kind(parsed)})"
    if response.status == 200 and not isinstance(parsed.get("access_token"), str):
        return "JSON without an access token"
    return None


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


# --- retries and answers -----------------------------------------------------------------


def _server(request: Request) -> str:
    """ "the server at www.googleapis.com" for the request's URI ("" when unknown)."""
    uri = getattr(request, "uri", None)
    host = urllib.parse.urlsplit(uri).netloc if isinstance(uri, str) else ""
    return f"the server at {host}" if host else ""


def _retryable_status(exc: HttpError) -> bool:
    status = int(getattr(exc.resp, "status", 0) or 0)
    if status >= 500 or status == 429:
        return True
    return status == 403 and _reason(_error_object(exc.content)) in _RATE_LIMIT_REASONS


def _retry(error: GworkflowError, sends: int, num_retries: int, deadline: Deadline) -> bool:
    """Sleep before the next attempt and say whether to make it; raise `error` when the
    retries are spent, and DeadlinePassed when the backoff would not fit in the deadline."""
    if sends > num_retries:
        raise error
    # googleapiclient's own formula: a random part of 2, 4, 8, 16 seconds.
    delay = random.random() * 2**sends
    if not deadline.sleep(delay):
        raise DeadlinePassed(
            f"{error.message}; gave up at the run's {deadline.describe()}: {DEADLINE_HINT}"
        )
    log.info("%s; retry %d of %d after %.1fs", error.message, sends, num_retries, delay)
    return True


def _deadline_passed(call: Call, deadline: Deadline) -> DeadlinePassed:
    return DeadlinePassed(
        f"could not {call.action}: no answer from {call.service} within the run's "
        f"{deadline.describe()}: check the network, or {DEADLINE_HINT}"
    )


def _checked(answer: Any, call: Call, server: str, headers: Mapping[str, str] | None) -> JSON:
    """The answer as a JSON object that `call.expect` accepts, else UnexpectedAnswer."""
    check = call.expect or _json_object
    if (answer == "" or answer == b"") and check({}) is None:
        answer = {}  # a 204, e.g. events.delete
    if isinstance(answer, str | bytes):
        raise _unexpected(call, server, _what_it_is(answer, headers))
    problem = check(answer)
    if problem:
        raise UnexpectedAnswer(
            f"could not {call.action}: {server or 'the server'} answered with JSON that is "
            f"not {_possessive(call.service)} answer ({problem}): a proxy, or not Google's API at that "
            "address?"
        )
    assert isinstance(answer, dict)
    return answer


def _json_object(answer: Any) -> str | None:
    return None if isinstance(answer, dict) else f"the answer is {_kind(answer)}, not an object"


def _unexpected(call: Call, server: str, what: str) -> UnexpectedAnswer:
    return UnexpectedAnswer(
        f"could not {call.action}: {server or 'the server'} answered with {what}, not "
        f"Google's API: {PORTAL_HINT}, or check the endpoint"
    )


def _what_it_is(content: object, headers: object) -> str:
    """ "an HTML page" or "text that is not JSON ('...')", for a body that is not JSON."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
    content_type = ""
    if isinstance(headers, Mapping):
        content_type = str(headers.get("content-type", "") or "")
    head = text.lstrip()[:200].lower()
    if "html" in content_type or head.startswith(("<!doctype html", "<html", "<head", "<body")):
        return "an HTML page"
    if not text.strip():
        return "an empty answer"
    return f"text that is not JSON ({_snippet(text)})"


def _has_text(content: object) -> bool:
    return isinstance(content, bytes | str) and bool(content.strip())


def _snippet(text: str) -> str:
    shown = _one_line(text.encode("ascii", "backslashreplace").decode("ascii"))
    return repr(shown[:40] + ("..." if len(shown) > 40 else ""))


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


def _possessive(name: str) -> str:
    """ "Google Docs'" and "Google Calendar's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
