"""What the last runs did: a small JSON file next to the config, for `gworkflow doctor`.

`gworkflow run` records, per series, when it last ran, whether that run succeeded, what it
did (or the one-line failure), and when it last succeeded. `doctor` reads it to say "last
successful run: 2 days ago", and fails when the last run failed or none succeeded lately:
a cron job that stopped (or never started) is otherwise silent.

The file (`config.state.json` for `config.toml`) is replaced atomically, under a lock so
that concurrent runs of different series do not lose each other's lines. It holds no
secret and nothing a run needs: deleting it loses only the history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from gworkflow.config import write_atomically

STATE_VERSION = 1
# How long a run waits for another run's update of the file (it only reads and writes it).
_LOCK_SECONDS = 10.0


@dataclass(frozen=True)
class SeriesState:
    """The last run of one series."""

    last_run: dt.datetime
    ok: bool
    action: str  # the run's action ("appended", "not-yet", ..., "failed")
    message: str  # its one-line summary, or the failure with its fix
    last_success: dt.datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "last_run": self.last_run.isoformat(),
            "ok": self.ok,
            "action": self.action,
            "message": self.message,
            "last_success": self.last_success.isoformat() if self.last_success else None,
        }


@dataclass(frozen=True)
class RunRecord:
    """One series' outcome, to record."""

    series_id: str
    ok: bool
    action: str
    message: str


def state_path(config_path: Path) -> Path:
    """The state file next to `config_path`: config.toml -> config.state.json."""
    return config_path.with_name(f"{config_path.stem}.state.json")


class StateUnreadable(Exception):
    """The state file exists but is not one gworkflow wrote."""


def read_state(path: Path) -> dict[str, SeriesState]:
    """Every series' last run; {} when no run has been recorded. Raises StateUnreadable
    when the file is there but not readable as a state file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise StateUnreadable(f"{path}: cannot read it ({exc})") from None
    try:
        data = json.loads(text)
        series = data["series"]
        if not isinstance(series, dict):
            raise TypeError("series is not an object")
        return {str(key): _series_state(value) for key, value in series.items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StateUnreadable(f"{path}: not a gworkflow state file ({exc})") from None


def record_runs(path: Path, records: Iterable[RunRecord], when: dt.datetime) -> None:
    """Record each series' outcome at `when`, keeping the other series' lines.

    A state file that cannot be read is replaced: it only holds history.
    """
    lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=_LOCK_SECONDS)
    try:
        with lock:
            try:
                states = read_state(path)
            except StateUnreadable:
                states = {}
            for record in records:
                before = states.get(record.series_id)
                last_success = when if record.ok else (before.last_success if before else None)
                states[record.series_id] = SeriesState(
                    when, record.ok, record.action, record.message, last_success
                )
            body = {
                "version": STATE_VERSION,
                "series": {key: value.as_json() for key, value in sorted(states.items())},
            }
            write_atomically(path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    except Timeout:
        raise OSError(
            f"{path}: another gworkflow run kept it locked for {_LOCK_SECONDS:g}s"
        ) from None


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago"."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def _series_state(value: Mapping[str, Any]) -> SeriesState:
    last_success = value.get("last_success")
    return SeriesState(
        last_run=_moment(value["last_run"]),
        ok=bool(value["ok"]),
        action=str(value.get("action", "")),
        message=str(value.get("message", "")),
        last_success=_moment(last_success) if last_success else None,
    )


def _moment(text: object) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
