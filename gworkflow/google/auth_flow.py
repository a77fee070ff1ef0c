"""Signing in interactively: the OAuth "Desktop app" consent flow in a browser.

`login()` reads the OAuth client file (`read_client_secrets`, which says how to get the
right one), runs Google's consent flow on a local port, checks that every scope was granted
and saves the token file (`gworkflow.google.token_file`). It refuses without a terminal, so
no interactive flow ever starts under cron. It never prints: prompts go to `printer`.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
from oauthlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped]

from gworkflow.config import AuthConfig
from gworkflow.errors import LOGIN_HINT, ConfigError, GworkflowError, SignInNeeded
from gworkflow.google.scopes import SCOPES, missing_scopes, missing_scopes_message
from gworkflow.google.token_file import save_credentials
from gworkflow.paths import home_dir

log = logging.getLogger(__name__)

CLIENT_SECRETS_NAME = "client_secret.json"
# Without a browser on this machine the redirect must reach a port the user can forward
# with `ssh -L`, so it cannot be a random one.
DEFAULT_NO_BROWSER_PORT = 8765
LOGIN_TIMEOUT_SECONDS = 600
CLIENT_HOWTO = (
    "create an OAuth client in the Google Cloud console (APIs & Services > Credentials > "
    "Create credentials > OAuth client ID, application type 'Desktop app'), download its "
    "JSON and save it as {path} (or point [auth] client_secrets in config.toml at it)"
)


def client_secrets_path(auth: AuthConfig) -> Path:
    """The OAuth client file: `[auth] client_secrets`, else client_secret.json in the home."""
    return auth.client_secrets or home_dir() / CLIENT_SECRETS_NAME


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
        raise SignInNeeded(missing_scopes_message(granted, "Google granted only part of")) from None
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
    if missing_scopes(granted):
        raise SignInNeeded(missing_scopes_message(granted, "Google granted only part of"))
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
