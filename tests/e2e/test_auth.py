"""Signing in: the token file (0600, atomic), refresh against the sandbox's token endpoint,
the errors cron users see, login's refusals and a full local consent round trip, logout and
status. Refresh and revoke go to the sandbox; the login round trip uses a tiny local
"Google" (the sandbox has no authorization-code grant), defined below."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import stat
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG, AuthConfig, load_config
from gworkflow.errors import ConfigError, ExitCode, GoogleError, GworkflowError, SignInNeeded
from gworkflow.google.auth_flow import DEFAULT_NO_BROWSER_PORT, login
from gworkflow.google.auth_status import (
    GOOGLE_REVOKE_URI,
    LogoutResult,
    logout,
    revoke_url_for,
    status,
)
from gworkflow.google.clients import GoogleClients, build_clients
from gworkflow.google.credentials import load_credentials
from gworkflow.google.scopes import SCOPES
from gworkflow.google.token_file import (
    GOOGLE_TOKEN_URI,
    credentials_from_info,
    parse_expiry,
    read_token_info,
    save_credentials,
    save_if_changed,
)
from gworkflow.sandbox.server import Sandbox

OAUTH = AuthConfig()
NOW = dt.datetime.now(dt.UTC)


def token_info(token_uri: str, refresh_token: str, **extra: Any) -> dict[str, Any]:
    info: dict[str, Any] = {
        "token": "ya29.saved-access-token",
        "refresh_token": refresh_token,
        "token_uri": token_uri,
        "client_id": "client-123.apps.googleusercontent.com",
        "client_secret": "GOCSPX-secret-value",
        "scopes": list(SCOPES),
        "expiry": (NOW + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    info.update(extra)
    return info


def write_token(path: Path, info: dict[str, Any], mode: int = 0o600) -> Path:
    path.write_text(json.dumps(info), encoding="utf-8")
    path.chmod(mode)
    return path


def no_network() -> Any:
    raise AssertionError("a valid token must not cause any network call")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def token_file(isolated_home: Path) -> Path:
    return isolated_home / "token.json"


# --- the token file ----------------------------------------------------------------------


def test_saved_token_is_0600_even_with_umask_0(token_file: Path) -> None:
    creds = credentials_from_info(token_info(GOOGLE_TOKEN_URI, "1//r"))
    old = os.umask(0)
    try:
        save_credentials(creds, token_file)
    finally:
        os.umask(old)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert json.loads(token_file.read_text())["refresh_token"] == "1//r"


def test_failed_save_keeps_the_old_token_and_leaves_no_partial_file(
    token_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_token(token_file, token_info(GOOGLE_TOKEN_URI, "1//old"))
    before = token_file.read_text()

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    creds = credentials_from_info(token_info(GOOGLE_TOKEN_URI, "1//new"))
    with pytest.raises(GworkflowError, match="cannot write the token file"):
        save_credentials(creds, token_file)
    assert token_file.read_text() == before
    assert sorted(p.name for p in token_file.parent.iterdir()) == ["token.json"]


# --- load_credentials (cron) -------------------------------------------------------------


def test_valid_token_is_used_without_any_network_call(token_file: Path) -> None:
    write_token(token_file, token_info("http://127.0.0.1:9/token", "1//r"))
    creds = load_credentials(OAUTH, token_file, request_factory=no_network)
    assert creds.token == "ya29.saved-access-token"
    assert creds.valid


def test_expired_token_is_refreshed_at_the_token_uri_and_written_back(
    sandbox: Sandbox, token_file: Path
) -> None:
    refresh_token = sandbox.oauth.mint()
    expired = (NOW - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    info = token_info(sandbox.base_url + "/token", refresh_token, expiry=expired)
    write_token(token_file, info, mode=0o644)

    creds = load_credentials(OAUTH, token_file)

    assert creds.token != "ya29.saved-access-token"
    assert creds.token in sandbox.oauth.access_tokens  # minted by the sandbox just now
    saved = json.loads(token_file.read_text())
    assert saved["token"] == creds.token
    assert saved["refresh_token"] == refresh_token
    assert saved["token_uri"] == sandbox.base_url + "/token"
    assert parse_expiry(saved["expiry"]) > NOW.replace(tzinfo=None)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_token_expiring_within_five_minutes_is_refreshed_first(
    sandbox: Sandbox, token_file: Path
) -> None:
    soon = (NOW + dt.timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    info = token_info(sandbox.base_url + "/token", sandbox.oauth.mint(), expiry=soon)
    write_token(token_file, info)
    creds = load_credentials(OAUTH, token_file, clock=lambda: NOW)
    assert creds.token in sandbox.oauth.access_tokens


def test_revoked_refresh_token_says_sign_in_again_and_names_the_testing_trap(
    sandbox: Sandbox, token_file: Path
) -> None:
    refresh_token = sandbox.oauth.mint()
    sandbox.oauth.revoke(refresh_token)
    write_token(token_file, token_info(sandbox.base_url + "/token", refresh_token, token=None))

    with pytest.raises(SignInNeeded) as caught:
        load_credentials(OAUTH, token_file)

    message = caught.value.message
    assert "`gworkflow auth login`" in message
    assert "7 days" in message and "'Testing'" in message and "In production" in message
    assert "\n" not in message
    assert refresh_token not in message
    assert caught.value.exit_code == ExitCode.SIGN_IN


def revoked_sign_in(sandbox: Sandbox, token_file: Path) -> GoogleClients:
    """Clients signed in with a refresh token the sandbox has revoked (an app in Testing,
    a week later) and no access token: the first API call refreshes, and that fails."""
    refresh_token = sandbox.oauth.mint()
    sandbox.oauth.revoke(refresh_token)
    write_token(token_file, token_info(sandbox.base_url + "/token", refresh_token, token=None))
    credentials = credentials_from_info(read_token_info(token_file))
    return build_clients(credentials, sandbox.base_url)


def message_at_load(token_file: Path) -> str:
    """What `gworkflow auth`/cron loading says about the same token file."""
    with pytest.raises(SignInNeeded) as caught:
        load_credentials(OAUTH, token_file)
    return caught.value.message


@pytest.mark.parametrize("api", ["docs", "calendar", "drive"])
def test_a_refresh_refused_inside_an_api_call_says_what_auth_says(
    sandbox: Sandbox, token_file: Path, config_file: Path, api: str
) -> None:
    doc_id = str(build_clients(None, sandbox.base_url).running_doc().create("Agenda")["documentId"])
    clients = revoked_sign_in(sandbox, token_file)
    series = load_config(config_file).select(None)
    calls = {
        "docs": lambda: clients.running_doc().fetch(doc_id),
        "calendar": lambda: clients.series_event(series).upcoming(NOW, 1),
        "drive": lambda: clients.running_doc().share(doc_id, ["heather@example.org"]),
    }
    with pytest.raises(SignInNeeded) as caught:
        calls[api]()
    assert caught.value.message == message_at_load(token_file)
    assert "'Testing'" in caught.value.message and "7 days" in caught.value.message
    assert caught.value.exit_code == ExitCode.SIGN_IN


def test_a_run_whose_sign_in_died_exits_3_with_the_testing_hint(
    sandbox: Sandbox, token_file: Path, config_file: Path
) -> None:
    doc_id = str(build_clients(None, sandbox.base_url).running_doc().create("Agenda")["documentId"])
    config_file.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', f'doc_id = "{doc_id}"'))
    clients = revoked_sign_in(sandbox, token_file)
    app = App(clock=lambda: NOW, _clients=clients)
    sandbox.clear_requests()

    result = CliRunner().invoke(cli, ["doc", "show"], obj=app)

    # The Docs call refreshed first; the token endpoint refused, so Docs was never asked.
    assert [(r["method"], r["path"], r["status"]) for r in sandbox.requests_log()] == [
        ("POST", "/token", 400)
    ]

    assert result.exit_code == ExitCode.SIGN_IN
    assert result.output.strip().splitlines() == [f"Error: {message_at_load(token_file)}"]
    assert "publish it (In production)" in result.output
    assert "Traceback" not in result.output


def test_unreachable_token_endpoint_is_a_transient_google_error(token_file: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/token"  # nothing listens there
    write_token(token_file, token_info(url, "1//r", token=None))
    with pytest.raises(GoogleError) as caught:
        load_credentials(OAUTH, token_file)
    assert not isinstance(caught.value, SignInNeeded)
    assert caught.value.exit_code == ExitCode.FAILED
    assert "127.0.0.1" in caught.value.message


def test_missing_token_file_means_not_signed_in(token_file: Path) -> None:
    with pytest.raises(SignInNeeded, match=r"not signed in: run `gworkflow auth login`"):
        load_credentials(OAUTH, token_file)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"token": "ya29.x", "client_id": "c", "client_secret": "s"}),
    ],
    ids=["corrupt-json", "not-an-object", "no-refresh-token"],
)
def test_unreadable_token_file_names_it_and_says_sign_in(token_file: Path, content: str) -> None:
    token_file.write_text(content)
    with pytest.raises(SignInNeeded) as caught:
        load_credentials(OAUTH, token_file)
    assert caught.value.message == (
        f"token file {token_file} is unreadable: run `gworkflow auth login`"
    )


def test_token_without_a_needed_scope_names_the_missing_scope(token_file: Path) -> None:
    scopes = [s for s in SCOPES if not s.endswith("calendar.events")]
    write_token(token_file, token_info(GOOGLE_TOKEN_URI, "1//r", scopes=scopes))
    with pytest.raises(SignInNeeded) as caught:
        load_credentials(OAUTH, token_file, request_factory=no_network)
    assert "https://www.googleapis.com/auth/calendar.events" in caught.value.message
    assert "documents" not in caught.value.message
    assert "`gworkflow auth login`" in caught.value.message


def test_save_if_changed_writes_only_a_refreshed_token(token_file: Path) -> None:
    write_token(token_file, token_info(GOOGLE_TOKEN_URI, "1//r"))
    creds = load_credentials(OAUTH, token_file, request_factory=no_network)
    assert save_if_changed(creds, token_file) is False
    creds.token = "ya29.renewed-mid-run"
    assert save_if_changed(creds, token_file) is True
    assert json.loads(token_file.read_text())["token"] == "ya29.renewed-mid-run"


# --- service accounts ----------------------------------------------------------------------


def service_account_key(path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "p",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": "gworkflow@p.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    return path


def test_service_account_acts_as_the_subject_with_our_scopes(tmp_path: Path) -> None:
    key = service_account_key(tmp_path / "sa.json")
    config = AuthConfig(
        method="service_account", service_account_file=key, subject="ruth@example.edu"
    )
    creds: Any = load_credentials(config, tmp_path / "unused-token.json")
    assert creds.service_account_email == "gworkflow@p.iam.gserviceaccount.com"
    assert list(creds.scopes) == SCOPES
    assert creds._subject == "ruth@example.edu"


@pytest.mark.parametrize("content", [None, "{}", "not json"], ids=["missing", "empty", "garbage"])
def test_bad_service_account_file_is_a_config_error(tmp_path: Path, content: str | None) -> None:
    key = tmp_path / "sa.json"
    if content is not None:
        key.write_text(content)
    config = AuthConfig(method="service_account", service_account_file=key)
    with pytest.raises(ConfigError) as caught:
        load_credentials(config, tmp_path / "token.json")
    assert str(key) in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE


# --- login -----------------------------------------------------------------------------


def desktop_client(path: Path, token_uri: str = "https://oauth2.googleapis.com/token") -> Path:
    client = {
        "installed": {
            "client_id": "client-123.apps.googleusercontent.com",
            "client_secret": "GOCSPX-client-secret",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "redirect_uris": ["http://localhost"],
        }
    }
    path.write_text(json.dumps(client))
    return path


def test_login_without_a_terminal_never_starts_a_flow(
    tmp_path: Path, token_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import google_auth_oauthlib.flow

    def no_flow(*args: object, **kwargs: object) -> None:
        raise AssertionError("no OAuth flow may be constructed without a terminal")

    monkeypatch.setattr(google_auth_oauthlib.flow.Flow, "__init__", no_flow)
    printed: list[str] = []
    with pytest.raises(SignInNeeded) as caught:
        login(
            desktop_client(tmp_path / "client.json"),
            token_file,
            open_browser=True,
            stdin_is_tty=False,
            printer=printed.append,
        )
    assert "terminal" in caught.value.message and "cron" in caught.value.message
    assert printed == []
    assert not token_file.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no OAuth client file at"),
        ("{oops", "is not a JSON file"),
        (json.dumps({"web": {"client_id": "x"}}), "'Web application' client"),
        (json.dumps({"type": "service_account"}), "is a service account key"),
        (json.dumps({"installed": {"client_id": "x"}}), "not an OAuth 'Desktop app' client"),
    ],
    ids=["missing", "not-json", "web-client", "service-account-key", "incomplete"],
)
def test_login_with_a_bad_client_file_says_how_to_make_one(
    tmp_path: Path, token_file: Path, content: str | None, expected: str
) -> None:
    client = tmp_path / "client_secret.json"
    if content is not None:
        client.write_text(content)
    with pytest.raises(ConfigError) as caught:
        login(client, token_file, open_browser=False, stdin_is_tty=True, printer=print)
    message = caught.value.message
    assert expected in message
    assert "'Desktop app'" in message and str(client) in message
    assert "\n" not in message
    assert not token_file.exists()


class FakeGoogle(BaseHTTPRequestHandler):
    """Google's token endpoint for the authorization-code grant, as far as login needs."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        ok = form.get("grant_type") == "authorization_code" and form.get("code") == "good-code"
        body = (
            {
                "access_token": "ya29.fresh-from-login",
                "refresh_token": "1//fresh-refresh-token",
                "expires_in": 3599,
                "scope": " ".join(SCOPES),
                "token_type": "Bearer",
            }
            if ok
            else {"error": "invalid_grant", "error_description": "Bad Request"}
        )
        data = json.dumps(body).encode()
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_google() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGoogle)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()
    server.server_close()


def test_login_without_browser_prints_url_and_ssh_forward_then_saves_a_private_token(
    tmp_path: Path, token_file: Path, fake_google: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # oauthlib insists on https for the token endpoint; the fake Google is plain http.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    port = free_port()
    printed: list[str] = []

    def browser_on_another_machine(line: str) -> None:
        """Plays the user: opens the printed URL, consents, Google redirects to the port."""
        printed.append(line)
        if not line.startswith("https://accounts.google.com/"):
            return
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(line).query))
        assert query["redirect_uri"] == f"http://127.0.0.1:{port}/"
        assert sorted(query["scope"].split()) == sorted(SCOPES)
        assert query["access_type"] == "offline" and query["prompt"] == "consent"
        callback = f"{query['redirect_uri']}?state={query['state']}&code=good-code"
        threading.Thread(target=lambda: urllib.request.urlopen(callback, timeout=10).read()).start()

    creds = login(
        desktop_client(tmp_path / "client.json", token_uri=fake_google),
        token_file,
        open_browser=False,
        stdin_is_tty=True,
        printer=browser_on_another_machine,
        port=port,
        timeout_seconds=10,
    )

    assert creds.refresh_token == "1//fresh-refresh-token"
    assert any(f"ssh -L {port}:127.0.0.1:{port}" in line for line in printed)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    saved = json.loads(token_file.read_text())
    assert saved["refresh_token"] == "1//fresh-refresh-token"
    assert saved["token_uri"] == fake_google
    assert saved["scopes"] == SCOPES
    # What login saved is what cron loads, with no network while the token is fresh.
    loaded = load_credentials(OAUTH, token_file, request_factory=no_network)
    assert loaded.token == "ya29.fresh-from-login"


def test_login_without_browser_defaults_to_the_fixed_forwardable_port(
    tmp_path: Path, token_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import google_auth_oauthlib.flow

    seen: dict[str, Any] = {}

    def fake_run(self: Any, **kwargs: Any) -> None:
        seen.update(kwargs)
        raise google_auth_oauthlib.flow.WSGITimeoutError("timed out")

    monkeypatch.setattr(google_auth_oauthlib.flow.InstalledAppFlow, "run_local_server", fake_run)
    with pytest.raises(SignInNeeded, match="no answer from the browser"):
        login(
            desktop_client(tmp_path / "client.json"),
            token_file,
            open_browser=False,
            stdin_is_tty=True,
            printer=print,
        )
    assert seen["port"] == DEFAULT_NO_BROWSER_PORT
    assert seen["host"] == "127.0.0.1" and seen["open_browser"] is False
    assert not token_file.exists()


# --- logout and status -----------------------------------------------------------------------


def test_logout_revokes_the_refresh_token_then_deletes_the_file(
    sandbox: Sandbox, token_file: Path
) -> None:
    refresh_token = sandbox.oauth.mint()
    write_token(token_file, token_info(sandbox.base_url + "/token", refresh_token))

    result = logout(token_file)

    assert result == LogoutResult(had_token=True, revoked=True)
    assert not token_file.exists()
    assert sandbox.oauth.refresh_tokens[refresh_token]["revoked"] is True


def test_logout_deletes_the_file_even_when_revoking_fails(token_file: Path) -> None:
    write_token(token_file, token_info(GOOGLE_TOKEN_URI, "1//r"))
    sent: list[urllib.request.Request] = []

    def offline(request: urllib.request.Request) -> Any:
        sent.append(request)
        raise urllib.error.URLError("Name or service not known")

    result = logout(token_file, opener=offline)

    assert not token_file.exists()
    assert result.had_token and not result.revoked
    assert result.problem is not None and "could not revoke" in result.problem
    assert "1//r" not in result.problem
    assert sent[0].full_url == GOOGLE_REVOKE_URI
    assert sent[0].data == b"token=1%2F%2Fr"


def test_logout_without_a_token_file_has_nothing_to_do(token_file: Path) -> None:
    assert logout(token_file, opener=no_network) == LogoutResult(False, False)


def test_revoke_url_follows_the_token_uri() -> None:
    assert revoke_url_for(GOOGLE_TOKEN_URI) == GOOGLE_REVOKE_URI
    assert revoke_url_for(None) == GOOGLE_REVOKE_URI
    assert revoke_url_for("http://127.0.0.1:8080/token") == "http://127.0.0.1:8080/revoke"


def test_status_shows_scopes_and_expiry_and_never_a_secret(token_file: Path) -> None:
    info = token_info(GOOGLE_TOKEN_URI, "1//very-secret-refresh", account="ruth@example.edu")
    write_token(token_file, info)

    result = status(OAUTH, token_file)

    assert result.signed_in and result.problem is None and result.warning is None
    assert result.account == "ruth@example.edu"
    assert result.scopes == tuple(SCOPES)
    assert result.expiry is not None and result.expiry.tzinfo is not None
    text = repr(result)
    for secret in ("1//very-secret-refresh", "ya29.saved-access-token", "GOCSPX-secret-value"):
        assert secret not in text


def test_status_warns_about_a_token_file_others_can_read(token_file: Path) -> None:
    write_token(token_file, token_info(GOOGLE_TOKEN_URI, "1//r"), mode=0o644)
    result = status(OAUTH, token_file)
    assert result.warning is not None and f"chmod 600 {token_file}" in result.warning


def test_status_when_not_signed_in_says_what_to_do(token_file: Path) -> None:
    result = status(OAUTH, token_file)
    assert not result.signed_in
    assert result.problem == "not signed in: run `gworkflow auth login`"
