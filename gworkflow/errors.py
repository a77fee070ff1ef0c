"""Exit codes and the exceptions the core raises for things a user can cause.

The core never imports click: it raises these, and the CLI turns each into one readable
line and the exit code named here, so a cron wrapper can tell failures apart.
"""

from __future__ import annotations

import enum

# What every "you need to sign in (again)" message ends with.
LOGIN_HINT = "run `gworkflow auth login`"


class ExitCode(enum.IntEnum):
    """Documented exit codes of every gworkflow command."""

    OK = 0
    FAILED = 1  # the operation failed (Google error, network, a doc that is gone)
    USAGE = 2  # bad command line, config or template: fix the input and rerun
    SIGN_IN = 3  # no, expired or revoked credentials: run `gworkflow auth login`
    INTERRUPTED = 130  # Ctrl-C


class GworkflowError(Exception):
    """An error with a one-line message meant for the user.

    `message` says what happened and what to do; it never holds a secret.
    """

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(GworkflowError):
    """Malformed or invalid configuration (the file, the key path, what is allowed)."""

    exit_code = ExitCode.USAGE


class TemplateError(GworkflowError):
    """The agenda template does not render (names the template file and line)."""

    exit_code = ExitCode.USAGE


class SignInNeeded(GworkflowError):
    """Credentials are missing, corrupt, expired or revoked."""

    exit_code = ExitCode.SIGN_IN


class GoogleError(GworkflowError):
    """Google (or the sandbox) answered with an error we cannot work around."""

    exit_code = ExitCode.FAILED


class NotFound(GoogleError):
    """The running doc or the event is gone, or we lost access to it."""


class GoogleUnavailable(GoogleError):
    """Google, or the way to it, failed in a way that may pass: a 5xx, 429 or rate limit
    that outlasted the retries, a timeout, an unreachable host. A write that failed like
    this may still have landed."""


class UnexpectedAnswer(GoogleUnavailable):
    """Something answered that is not Google's API: an HTML page (a captive portal or proxy),
    bytes that are not HTTP, a body cut short, JSON of the wrong shape. Like an outage, it
    may pass, and a write answered like this may have landed."""


class DeadlinePassed(GoogleUnavailable):
    """The run's deadline passed before Google answered (or before a retry could fit)."""
