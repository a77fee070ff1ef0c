"""What every command shares: the application context, option decorators, output.

Commands parse options, make one call into the core, and hand the result to `emit`, the
one place that renders text or JSON. Errors from the core (`GworkflowError`) are turned into
one line and the documented exit code by the group in `gworkflow.cli`.

Nothing here imports googleapiclient, jinja2 or the config parser at import time: that
keeps `gworkflow --help` as fast as a bare click program.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import click

if TYPE_CHECKING:
    from gworkflow.config import Config, Series
    from gworkflow.deadline import Deadline
    from gworkflow.google.clients import GoogleClients, HttpWrapper

# How long a command may take in all, retries included (gworkflow.deadline.DEFAULT_SECONDS;
# repeated here so that importing the CLI stays light).
DEFAULT_DEADLINE_SECONDS = 120.0

F = TypeVar("F", bound=Callable[..., Any])


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stdin_is_terminal() -> bool:
    return stdin_is_tty()


@dataclass
class App:
    """Built once in the group callback and handed to commands (`pass_app`).

    Tests construct it directly (`invoke(cli, [...], obj=App(...))`) to inject a clock,
    a config path or the sandbox's endpoint.
    """

    config_path: Path | None = None
    api_endpoint: str = ""
    verbose: int = 0
    clock: Callable[[], dt.datetime] = _utc_now
    # Whether a person can answer questions (stdin is a terminal); tests inject it.
    terminal: Callable[[], bool] = _stdin_is_terminal
    # Seconds the command may take in all (its Google calls, their retries, lock waits);
    # None: the config's `deadline`, else DEFAULT_DEADLINE_SECONDS (`run --deadline` sets it).
    deadline_seconds: float | None = None
    _config: Config | None = field(default=None, repr=False)
    _clients: GoogleClients | None = field(default=None, repr=False)
    _deadline: Deadline | None = field(default=None, repr=False)

    def resolved_config_path(self) -> Path:
        from gworkflow.paths import default_config_path

        return self.config_path or default_config_path()

    def config(self) -> Config:
        if self._config is None:
            from gworkflow.config import load_config

            self._config = load_config(self.resolved_config_path())
        return self._config

    def reload_config(self) -> Config:
        self._config = None
        return self.config()

    def series(self, series_id: str | None) -> Series:
        return self.config().select(series_id)

    def endpoint(self) -> str:
        """The sandbox (or other) endpoint: the flag/env wins over the config file."""
        if self.api_endpoint:
            return self.api_endpoint
        return self.config().api_endpoint

    def clients(self) -> GoogleClients:
        if self._clients is None:
            self._clients = build_app_clients(self)
        return self._clients

    def deadline(self) -> Deadline:
        """The command's deadline, started when first asked for (by building the clients)."""
        if self._deadline is None:
            from gworkflow.deadline import Deadline
            from gworkflow.errors import ConfigError

            seconds = self.deadline_seconds
            if seconds is None:
                try:
                    seconds = self.config().deadline
                except ConfigError:
                    seconds = None
            self._deadline = Deadline(seconds or DEFAULT_DEADLINE_SECONDS)
        return self._deadline

    def sandbox_endpoint(self) -> str:
        """The endpoint when Google calls go to a sandbox (flag, environment or config),
        else "". Never fails: without a readable config only the flag counts."""
        if self.api_endpoint:
            return self.api_endpoint
        from gworkflow.errors import ConfigError

        try:
            return self.config().api_endpoint
        except ConfigError:
            return ""

    def doc_link(self, doc_id: str) -> str:
        """Where a person opens the running doc: Google Docs, or with a sandbox endpoint
        the sandbox's own view of it."""
        from urllib.parse import quote

        endpoint = self.sandbox_endpoint()
        if endpoint:
            return f"{endpoint.rstrip('/')}/view/documents/{quote(doc_id, safe='')}"
        return f"https://docs.google.com/document/d/{doc_id}/edit"


def build_app_clients(app: App, wrap_http: HttpWrapper | None = None) -> GoogleClients:
    """Clients for the endpoint in use: the sandbox's (anonymous) or Google's with the saved
    sign-in; `wrap_http` wraps their HTTP object (see `build_service`)."""
    from gworkflow.google.clients import build_clients

    endpoint = app.endpoint()
    if endpoint:
        return build_clients(None, endpoint, deadline=app.deadline(), wrap_http=wrap_http)
    from gworkflow.google.credentials import load_credentials
    from gworkflow.paths import token_path

    credentials = load_credentials(app.config().auth, token_path(), deadline=app.deadline())
    return build_clients(credentials, None, deadline=app.deadline(), wrap_http=wrap_http)


pass_app = click.make_pass_decorator(App, ensure=True)


class Result(Protocol):
    """What a command returns: rendered once, as text for people or JSON for scripts."""

    def as_text(self) -> str: ...

    def as_json(self) -> Any: ...


def emit(result: Result, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        text = result.as_text()
        if text:
            click.echo(text)


def json_option(func: F) -> F:
    """`--json`: machine-readable output on stdout (errors too, as {"error": {...}})."""

    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.meta["gworkflow.json"] = True
        return value

    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        callback=remember,
        expose_value=True,
        help="Print machine-readable JSON instead of text.",
    )(func)


def series_option(func: F) -> F:
    return click.option(
        "--series",
        "series_id",
        metavar="ID",
        shell_complete=_complete_series,
        help="The series to act on (optional when the config has exactly one).",
    )(func)


def _complete_series(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Tab after --series: the ids in the config file (plain TOML; quiet when it is broken)."""
    import tomllib

    from gworkflow.paths import default_config_path

    named = ctx.find_root().params.get("config_path")
    try:
        data = tomllib.loads(Path(named or default_config_path()).read_text(encoding="utf-8"))
        ids = [str(entry.get("id", "")) for entry in data.get("series", [])]
    except (OSError, ValueError, AttributeError):
        return []
    return [i for i in ids if i.startswith(incomplete)]


def dry_run_option(func: F) -> F:
    return click.option(
        "--dry-run",
        is_flag=True,
        help="Show what would be written to Google, and write nothing.",
    )(func)


def progress(message: str) -> None:
    """A progress line on stderr, so stdout stays clean for --json and pipes."""
    click.echo(message, err=True)


def stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


StatusKind = Literal["ok", "warning", "failed"]
_STATUS_COLOURS: dict[str, str] = {"ok": "green", "warning": "yellow", "failed": "red"}


def status_word(text: str, kind: StatusKind) -> str:
    """`text` coloured for its kind: ok green, warning yellow, failed red.

    click.echo drops the colour when its stream is not a terminal; NO_COLOR (any non-empty
    value, https://no-color.org) turns it off everywhere.
    """
    if os.environ.get("NO_COLOR"):
        return text
    return click.style(text, fg=_STATUS_COLOURS[kind], bold=True if kind == "failed" else None)


def refuse_placeholders(app: App, series: Series, action: str, links: bool = False) -> None:
    """Never `action` (share the doc with / invite) the example config's placeholder
    addresses (and, with `links`, never put its sample Zoom link in an event).

    Against a sandbox the example config is what the demo and the tests use: allowed there,
    with a warning on stderr.
    """
    from gworkflow.config import placeholder_values
    from gworkflow.errors import ConfigError

    found = placeholder_values(series, links=links)
    if not found:
        return
    listed = ", ".join(found)
    endpoint = app.endpoint()
    if endpoint:
        progress(
            f"{status_word('warning', 'warning')}: {listed} are placeholders from the example "
            f"config; allowed because every call goes to the sandbox at {endpoint}"
        )
        return
    raise ConfigError(
        f"{app.resolved_config_path()}: series {series.id!r} still has the example's "
        f"placeholder {listed}: not going to {action} them; put in the real ones "
        "(`gworkflow config edit`)"
    )
