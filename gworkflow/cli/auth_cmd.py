"""`gworkflow auth login|status|logout`: signing in to Google."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, emit, json_option, pass_app, status_word, stdin_is_tty

if TYPE_CHECKING:
    from gworkflow.config import AuthConfig
    from gworkflow.google.auth_status import AuthStatus


def _auth_config(app: App) -> AuthConfig:
    """[auth] from the config file; the defaults when there is no config file yet."""
    from gworkflow.config import AuthConfig

    if not app.resolved_config_path().exists():
        return AuthConfig()
    return app.config().auth


@click.group("auth")
def auth_group() -> None:
    """Sign in to Google, show the sign-in, or sign out."""


@auth_group.command("login")
@click.option(
    "--client-secrets",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The OAuth 'Desktop app' client JSON (default: $GWORKFLOW_HOME/client_secret.json).",
)
@click.option(
    "--no-browser",
    is_flag=True,
    help="Do not open a browser: print the URL and how to forward the port over ssh.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Local port for Google's answer."
)
@pass_app
def login(app: App, client_secrets: Path | None, no_browser: bool, port: int) -> None:
    """Sign in with your Google account and save the token for cron.

    Opens Google's consent page; the token is saved to $GWORKFLOW_HOME/token.json (mode
    0600). Publish your OAuth app ("In production") or Google expires the sign-in after 7 days.
    """
    from gworkflow.google.auth_flow import client_secrets_path
    from gworkflow.google.auth_flow import login as google_login
    from gworkflow.paths import token_path

    secrets = client_secrets or client_secrets_path(_auth_config(app))
    google_login(
        secrets,
        token_path(),
        open_browser=not no_browser,
        stdin_is_tty=stdin_is_tty(),
        printer=lambda line: click.echo(line, err=True),
        port=port,
    )
    click.echo(f"Signed in. Token saved to {token_path()}.")


@dataclass(frozen=True)
class StatusResult:
    state: AuthStatus

    def as_text(self) -> str:
        s = self.state
        signed_in = status_word("yes", "ok") if s.signed_in else status_word("no", "failed")
        lines = [f"method:  {s.method}", f"signed in: {signed_in}"]
        if s.account:
            lines.append(f"account: {s.account}")
        if s.token_file:
            lines.append(f"token:   {s.token_file}")
        if s.service_account_file:
            lines.append(
                f"key:     {s.service_account_file}" + (f" (as {s.subject})" if s.subject else "")
            )
        if s.scopes:
            lines.append("scopes:  " + ", ".join(s.scopes))
        if s.expiry:
            lines.append(
                f"access token expires: {s.expiry:%Y-%m-%d %H:%M} UTC (renewed on each run)"
            )
        lines += [f"{status_word('problem', 'failed')}: {s.problem}"] if s.problem else []
        lines += [f"{status_word('warning', 'warning')}: {s.warning}"] if s.warning else []
        return "\n".join(lines)

    def as_json(self) -> Any:
        s = self.state
        return {
            "method": s.method,
            "signed_in": s.signed_in,
            "account": s.account,
            "token_file": str(s.token_file) if s.token_file else None,
            "scopes": list(s.scopes),
            "expiry": s.expiry.isoformat() if s.expiry else None,
            "problem": s.problem,
            "warning": s.warning,
        }


@dataclass(frozen=True)
class SandboxStatus:
    """`auth status` when every Google call goes to a sandbox: nothing to sign in to."""

    endpoint: str

    def as_text(self) -> str:
        return (
            f"sandbox: no sign-in needed (every Google call goes to {self.endpoint}, "
            "GWORKFLOW_API_ENDPOINT; unset it to use Google)"
        )

    def as_json(self) -> Any:
        return {"method": "sandbox", "signed_in": True, "endpoint": self.endpoint}


@auth_group.command("status")
@json_option
@pass_app
def status(app: App, as_json: bool) -> None:
    """Show who is signed in, with which scopes, and where the token is. Exit 3 if not."""
    from gworkflow.errors import ExitCode
    from gworkflow.google.auth_status import status as auth_status
    from gworkflow.paths import token_path

    endpoint = app.sandbox_endpoint()
    if endpoint:
        emit(SandboxStatus(endpoint), as_json)
        return
    state = auth_status(_auth_config(app), token_path())
    emit(StatusResult(state), as_json)
    if not state.signed_in:
        click.get_current_context().exit(ExitCode.SIGN_IN)


@auth_group.command("logout")
@pass_app
def logout(app: App) -> None:
    """Revoke the saved token at Google, then delete the token file."""
    from gworkflow.google.auth_status import logout as google_logout
    from gworkflow.paths import token_path

    result = google_logout(token_path())
    if not result.had_token:
        click.echo("Not signed in: there was no token file.")
        return
    click.echo(
        "Signed out: the token was revoked and deleted." if result.revoked else "Token deleted."
    )
    if result.problem:
        click.echo(f"Warning: {result.problem}", err=True)
