"""Signing in to Google: the OAuth desktop flow, the token file, and service accounts.

Lives here:
- `SCOPES`, the three scopes gworkflow asks for, and why each;
- `login()`: the interactive OAuth "Desktop app" flow (refuses without a terminal) that saves
  the token file (0600, written atomically);
- `load_credentials()`: non-interactive, for `gworkflow run` under cron: read the token file,
  refresh when the access token is expired or about to be, write the refreshed token back;
  or load a service account key;
- `status()`, `logout()` (revoke, then delete the token file) and `describe_refresh_error()`,
  which turns google-auth's RefreshError into one readable gworkflow error.

Not here: click commands and printing (gworkflow.cli; `login` reports through `printer`),
building the API clients (gworkflow.google.clients). Nothing in this module logs or returns a
token or a client secret: `AuthStatus` and `LogoutResult` hold none, logging names only files,
hosts and expiry times.

The token file is google-auth's `Credentials.to_json()` (token, refresh_token, token_uri,
client_id, client_secret, scopes, expiry, account). Its `token_uri` decides where refreshes go,
so a token minted by the sandbox (`token_uri = <sandbox>/token`) refreshes against the sandbox;
google-auth's own `from_authorized_user_info()` would replace it with Google's endpoint, which
is why `_credentials_from_info()` builds the Credentials itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import socket
import stat
import urllib.error
import urllib.parse
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gworkflow.config import AuthConfig, write_atomically
from gworkflow.errors import ConfigError, GoogleError, GworkflowError, SignInNeeded
from gworkflow.paths import home_dir

if TYPE_CHECKING:
    from google.auth.credentials import Credentials as AnyCredentials
    from google.auth.exceptions import RefreshError
    from google.auth.transport import Request
    from google.oauth2.credentials import Credentials

log = logging.getLogger(__name__)

# What each scope allows, from Google's scope lists (Docs: developers.google.com/docs/api/auth;
# Calendar/Drive: the generated client scope docs, e.g. googleapis.dev/dotnet/Google.Apis.
# Calendar.v3 and developers.google.com/drive/api/guides/about-auth):
SCOPES = [
    # "See, edit, create, and delete all your Google Docs documents". Needed because the
    # running doc may be an existing doc the user names in config.toml: drive.file alone only
    # covers files this app created or the user opened with it through a Picker, which a CLI
    # has no way to show.
    "https://www.googleapis.com/auth/documents",
    # "View and edit events on all your calendars": create and update the recurring event.
    # Narrower than .../auth/calendar (no calendar list, ACL or settings access, which we
    # never need: the calendar id comes from config).
    "https://www.googleapis.com/auth/calendar.events",
    # "See, edit, create, and delete only the specific Google Drive files you use with this
    # app": enough to create the running doc and share it (permissions.create) with the
    # participants. A non-sensitive scope, unlike .../auth/drive.
    "https://www.googleapis.com/auth/drive.file",
]

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_REVOKE_URI = "https://oauth2.googleapis.com/revoke"
_GOOGLE_TOKEN_HOSTS = frozenset(
    {"oauth2.googleapis.com", "accounts.google.com", "www.googleapis.com"}
)

CLIENT_SECRETS_NAME = "client_secret.json"
# Without a browser on this machine the redirect must reach a port the user can forward
# with `ssh -L`, so it cannot be a random one.
DEFAULT_NO_BROWSER_PORT = 8765
LOGIN_TIMEOUT_SECONDS = 600
# Refresh earlier than google-auth's own 3m45s threshold, so a token never dies mid-run.
REFRESH_MARGIN = dt.timedelta(minutes=5)
HTTP_TIMEOUT_SECONDS = 30

LOGIN_HINT = "run `gworkflow auth login`"
# Google Cloud help "Manage App Audience" (support.google.com/cloud/answer/15549945):
# authorizations by a test user of an app whose publishing status is "Testing" expire seven
# days after consent, so a monthly cron job always meets a dead refresh token.
TESTING_TRAP = (
    "if your OAuth app is in 'Testing', Google expires refresh tokens after 7 days: "
    "publish it (In production) in the Google Cloud console"
)
CLIENT_HOWTO = (
    "create an OAuth client in the Google Cloud console (APIs & Services > Credentials > "
    "Create credentials > OAuth client ID, application type 'Desktop app'), download its "
    "JSON and save it as {path} (or point [auth] client_secrets in config.toml at it)"
)

Clock = Callable[[], dt.datetime]
RequestFactory = Callable[[], "Request"]
Opener = Callable[[urllib.request.Request], Any]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def client_secrets_path(auth: AuthConfig) -> Path:
    """The OAuth client file: `[auth] client_secrets`, else client_secret.json in the home."""
    return auth.client_secrets or home_dir() / CLIENT_SECRETS_NAME


# --- login (interactive) ---------------------------------------------------------------


def read_client_secrets(path: Path) -> dict[str, Any]:
    """The parsed OAuth client file, checked to be a "Desktop app" client.

    Raises ConfigError with one line that says how to get the right file.
    """
    howto = CLIENT_HOWTO.format(path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no OAuth client file at {path}: {howto}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the OAuth client file {path} ({exc}): {howto}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not a JSON file ({exc.msg}): {howto}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not an OAuth client file: {howto}")
    if data.get("type") == "service_account":
        raise ConfigError(
            f"{path} is a service account key, not an OAuth client: set [auth] method = "
            f'"service_account" and service_account_file in config.toml, or {howto}'
        )
    if "web" in data and "installed" not in data:
        raise ConfigError(f"{path} is a 'Web application' client, not a 'Desktop app': {howto}")
    installed = data.get("installed")
    needed = ("client_id", "client_secret", "auth_uri", "token_uri")
    if not isinstance(installed, dict) or not all(
        isinstance(installed.get(key), str) and installed[key] for key in needed
    ):
        raise ConfigError(f"{path} is not an OAuth 'Desktop app' client file: {howto}")
    return data


def login(
    client_secrets: Path,
    token_file: Path,
    *,
    open_browser: bool,
    stdin_is_tty: bool,
    printer: Callable[[str], None],
    port: int = 0,
    timeout_seconds: int = LOGIN_TIMEOUT_SECONDS,
) -> Credentials:
    """Run Google's consent flow in a browser and save the token file (0600).

    Refuses when stdin is not a terminal: no interactive flow ever starts under cron.
    With `open_browser` False the URL is handed to `printer`, with the `ssh -L` line to
    forward the redirect port from a machine that has a browser; the port is then fixed
    (DEFAULT_NO_BROWSER_PORT unless `port` is given).
    """
    if not stdin_is_tty:
        raise SignInNeeded(
            "signing in needs a person at a terminal (stdin is not one): run "
            "`gworkflow auth login` yourself in a terminal, never from cron or a script"
        )
    client_config = read_client_secrets(client_secrets)
    if not open_browser and port == 0:
        port = DEFAULT_NO_BROWSER_PORT

    from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped]

    # run_local_server() print()s its prompt itself; the core must not print, so the prompt
    # goes out through `printer` the moment the URL exists, and the library's is switched off.
    class _Flow(InstalledAppFlow):  # type: ignore[misc]
        def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
            url, state = super().authorization_url(**kwargs)
            for line in _prompt_lines(url, open_browser=open_browser, port=port):
                printer(line)
            return url, state

    flow = _Flow.from_client_config(client_config, scopes=SCOPES)
    try:
        creds = flow.run_local_server(
            host="127.0.0.1",
            port=port,
            open_browser=open_browser,
            authorization_prompt_message=None,
            timeout_seconds=timeout_seconds,
            # "consent" makes Google hand out a refresh token again even when this account
            # already approved the app; without one, cron could never refresh.
            prompt="consent",
        )
    except WSGITimeoutError:
        raise SignInNeeded(
            f"no answer from the browser within {timeout_seconds} s: {LOGIN_HINT} again"
        ) from None
    except Warning as exc:
        # oauthlib raises this when the user unticked some of the scopes on the consent page.
        granted = list(getattr(exc, "new_scope", None) or [])
        raise SignInNeeded(
            _missing_scopes_message(granted, "Google granted only part of")
        ) from None
    except OAuth2Error as exc:
        raise SignInNeeded(
            f"Google did not sign you in ({exc.error}): {LOGIN_HINT} again and allow access"
        ) from None
    except webbrowser.Error:
        raise GworkflowError(
            "no web browser found on this machine: run `gworkflow auth login --no-browser`"
        ) from None
    except OSError as exc:
        raise GworkflowError(
            f"cannot listen on 127.0.0.1:{port} for Google's answer ({exc.strerror or exc}): "
            "choose another port with --port"
        ) from None
    if not creds.refresh_token:
        raise SignInNeeded(
            f"Google returned no refresh token, so cron could not stay signed in: {LOGIN_HINT} again"
        )
    granted = list(creds.granted_scopes or creds.scopes or [])
    if _missing(granted):
        raise SignInNeeded(_missing_scopes_message(granted, "Google granted only part of"))
    account = _email_from_id_token(creds.id_token)
    if account:
        creds = creds.with_account(account)
    save_credentials(creds, token_file)
    log.info("signed in; token saved to %s", token_file)
    signed_in: Credentials = creds
    return signed_in


def _prompt_lines(url: str, *, open_browser: bool, port: int) -> list[str]:
    if open_browser:
        return [
            "Opening your browser to sign in to Google. If it does not open, visit:",
            url,
        ]
    return [
        "Open this URL in a browser to sign in to Google:",
        url,
        f"Google then sends that browser to http://127.0.0.1:{port}/ on the machine running it. "
        "If the browser is on another machine, first forward the port from there: "
        f"ssh -L {port}:127.0.0.1:{port} {socket.gethostname()}",
    ]


def _email_from_id_token(id_token: str | None) -> str:
    """The e-mail claim of an OpenID id_token, for display only (not verified)."""
    if not id_token or id_token.count(".") != 2:
        return ""
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return ""
    email = claims.get("email") if isinstance(claims, dict) else None
    return email if isinstance(email, str) else ""


# --- the token file --------------------------------------------------------------------


def _token_json(creds: Credentials) -> str:
    text: str = creds.to_json()  # type: ignore[no-untyped-call]
    return text + "\n"


def save_credentials(creds: Credentials, token_file: Path) -> None:
    """Write `creds.to_json()` atomically with mode 0600 (whatever the umask)."""
    try:
        write_atomically(token_file, _token_json(creds), mode=0o600)
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
    from google.oauth2.credentials import Credentials

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


def _read_token_info(token_file: Path) -> dict[str, Any]:
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


def _scopes_of(info: Mapping[str, Any]) -> list[str]:
    scopes = info.get("scopes")
    if isinstance(scopes, str):
        return scopes.split()
    if isinstance(scopes, list):
        return [s for s in scopes if isinstance(s, str)]
    return []


def _parse_expiry(value: object) -> dt.datetime | None:
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


def _credentials_from_info(info: Mapping[str, Any]) -> Credentials:
    from google.oauth2.credentials import Credentials

    token = info.get("token")
    return Credentials(  # type: ignore[no-untyped-call]
        token=token if isinstance(token, str) and token else None,
        refresh_token=info["refresh_token"],
        token_uri=info.get("token_uri") or GOOGLE_TOKEN_URI,
        client_id=info["client_id"],
        client_secret=info["client_secret"],
        scopes=_scopes_of(info),
        expiry=_parse_expiry(info.get("expiry")),
        rapt_token=info.get("rapt_token"),
        account=info.get("account") or "",
    )


def _missing(scopes: Sequence[str]) -> list[str]:
    return [scope for scope in SCOPES if scope not in scopes]


def _missing_scopes_message(scopes: Sequence[str], what: str) -> str:
    missing = _missing(scopes)
    noun = "scope" if len(missing) == 1 else "scopes"
    return (
        f"{what} the access gworkflow needs (missing {noun} {', '.join(missing)}): {LOGIN_HINT} "
        "and allow every item on Google's consent page"
    )


def _expiry_utc(creds: Credentials) -> dt.datetime | None:
    expiry: dt.datetime | None = creds.expiry
    return expiry.replace(tzinfo=dt.UTC) if expiry else None


def _needs_refresh(creds: Credentials, now: dt.datetime) -> bool:
    expiry = _expiry_utc(creds)
    return not creds.token or expiry is None or expiry - now < REFRESH_MARGIN


# --- non-interactive loading (cron) ------------------------------------------------------


def load_credentials(
    auth: AuthConfig,
    token_file: Path,
    request_factory: RequestFactory | None = None,
    *,
    clock: Clock = _utc_now,
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
        return _service_account_credentials(auth)
    info = _read_token_info(token_file)
    scopes = _scopes_of(info)
    if _missing(scopes):
        raise SignInNeeded(_missing_scopes_message(scopes, f"the sign-in in {token_file} lacks"))
    creds = _credentials_from_info(info)
    if _needs_refresh(creds, clock()):
        refresh(creds, token_file, request_factory)
    return creds


def refresh(
    creds: Credentials, token_file: Path, request_factory: RequestFactory | None = None
) -> None:
    """Refresh the access token now and write the token file back (0600).

    A token that cannot be saved is still good for this run, so a write failure is logged,
    not raised; the next run refreshes again with the unchanged refresh token.
    """
    from google.auth.exceptions import RefreshError, TransportError

    request = request_factory() if request_factory else _default_request()
    host = urllib.parse.urlsplit(creds.token_uri or "").netloc or "the token endpoint"
    try:
        creds.refresh(request)  # type: ignore[no-untyped-call]
    except RefreshError as exc:
        raise describe_refresh_error(exc) from None
    except TransportError as exc:
        reason = type(exc.__cause__ or exc).__name__
        raise GoogleError(
            f"could not reach {host} to renew the Google sign-in ({reason}); "
            "check the network and try again"
        ) from None
    granted = list(creds.granted_scopes or [])
    if granted and _missing(granted):
        raise SignInNeeded(_missing_scopes_message(granted, "Google now grants only part of"))
    log.info("renewed the Google access token from %s; it expires at %s UTC", host, creds.expiry)
    try:
        write_atomically(token_file, _token_json(creds), mode=0o600)
    except OSError as exc:
        log.warning("could not save the renewed token to %s: %s", token_file, exc.strerror)


def _default_request() -> Request:
    from google.auth.transport.requests import Request

    return Request()


def describe_refresh_error(exc: RefreshError, *, method: str = "oauth") -> GworkflowError:
    """google-auth's RefreshError as one line saying what happened and what to do.

    Also for RefreshErrors raised later by the API clients, which refresh on their own.
    """
    data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], Mapping) else {}
    first = str(exc.args[0]) if exc.args else ""
    error = str(data.get("error") or first.split(":", 1)[0]).strip()
    description = str(data.get("error_description") or "").strip().rstrip(".")
    detail = f"{error}: {description}" if description else error
    if getattr(exc, "retryable", False):
        return GoogleError(
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


def _service_account_credentials(auth: AuthConfig) -> AnyCredentials:
    from google.oauth2 import service_account

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


# --- status and logout ------------------------------------------------------------------


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
            creds = _service_account_credentials(auth)
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
        info = _read_token_info(token_file)
    except SignInNeeded as exc:
        return AuthStatus(
            method=auth.method,
            signed_in=False,
            token_file=token_file,
            problem=exc.message,
            warning=warning,
        )
    scopes = _scopes_of(info)
    problem = None
    if _missing(scopes):
        problem = _missing_scopes_message(scopes, "the saved sign-in lacks")
    expiry = _parse_expiry(info.get("expiry"))
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
