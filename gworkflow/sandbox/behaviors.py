"""Behaviour switches: how the sandbox answers where public evidence does not settle what
Google does.

Each switch stands for one item of docs/google-api-notes.md, "Not settled by public
evidence", and lists the answers Google could plausibly give; the first is the default, the
most likely one (the evidence is cited in that item). Tests play every value so the product
is shown to work under each; `gworkflow sandbox serve --behavior KEY=VALUE`, the admin route
`POST /_sandbox/behaviors` and `Sandbox(behaviors=...)` / `Sandbox.set_behaviors()` set
them.

Lives here: the switch table, validation with messages that name the allowed values, and
`Behaviors`, the settings one sandbox reads. Each engine reads its own switches (docs.py,
docs_requests.py through `Edit`, calendar.py); nothing here knows how a switch is applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Switch:
    """One behaviour switch: its name, its values (the default first) and what it decides."""

    name: str
    values: tuple[str, ...]
    help: str

    @property
    def default(self) -> str:
        return self.values[0]


SWITCHES = (
    Switch(
        "named_range_insert_at_start",
        ("shift", "extend"),
        "text inserted exactly at a named range's start index: moves the range (shift) or "
        "becomes part of it (extend)",
    ),
    Switch(
        "named_range_insert_at_end",
        ("exclude", "extend"),
        "text inserted exactly at a named range's end index: stays outside it (exclude) or "
        "becomes part of it (extend)",
    ),
    Switch(
        "stale_revision_message",
        ("default", "alternate", "generic"),
        "the message of the 400 for a stale writeControl.requiredRevisionId: naming both "
        "revisions (default), another wording naming the revision (alternate), or Google's "
        "generic INVALID_ARGUMENT text without the word 'revision' (generic)",
    ),
    Switch(
        "instances_time_min",
        ("inclusive", "exclusive"),
        "whether events.instances includes an instance that ends exactly at timeMin",
    ),
    Switch(
        "conference_create",
        ("success", "pending"),
        "a new Meet conference is ready in the write's own answer (success), or that answer "
        "says pending and a later read shows the link (pending)",
    ),
    Switch(
        "cancelled_instance_body",
        ("full", "minimal"),
        "a cancelled instance read back with every field (full), or with only kind, etag, "
        "id, status, recurringEventId and originalStartTime (minimal)",
    ),
    Switch(
        "revision_after_noop",
        ("bumped", "unchanged"),
        "the document's revisionId after a batchUpdate that changes nothing: a new one "
        "(bumped) or the same (unchanged)",
    ),
)
BY_NAME = {switch.name: switch for switch in SWITCHES}
DEFAULTS = {switch.name: switch.default for switch in SWITCHES}


class BehaviorError(ValueError):
    """An unknown switch or value; the message names what is allowed."""


def checked(settings: Mapping[str, object]) -> dict[str, str]:
    """`settings` validated: every key a switch, every value one of its values."""
    out: dict[str, str] = {}
    for name, value in settings.items():
        switch = BY_NAME.get(name)
        if switch is None:
            raise BehaviorError(
                f"unknown behavior {name!r}; the behaviors are: {', '.join(BY_NAME)}"
            )
        if not isinstance(value, str) or value not in switch.values:
            raise BehaviorError(
                f"behavior {name} cannot be {value!r}; allowed: {', '.join(switch.values)}"
            )
        out[name] = value
    return out


def parse_assignment(text: str) -> tuple[str, str]:
    """`KEY=VALUE` (as given to `--behavior`) -> (key, value), validated."""
    name, sep, value = text.partition("=")
    if not sep:
        raise BehaviorError(f"{text!r} is not KEY=VALUE; the behaviors are: {', '.join(BY_NAME)}")
    checked({name.strip(): value.strip()})
    return name.strip(), value.strip()


class Behaviors:
    """The switches one sandbox runs with. `reset()` goes back to the start-up settings
    (the defaults, overridden by what the sandbox was started with)."""

    def __init__(self, start: Mapping[str, object] | None = None) -> None:
        self._start = {**DEFAULTS, **checked(start or {})}
        self._current = dict(self._start)

    def get(self, name: str) -> str:
        return self._current[name]

    def is_(self, name: str, value: str) -> bool:
        """Whether switch `name` is set to `value` (both checked, so a typo fails loudly)."""
        if value not in BY_NAME[name].values:
            raise BehaviorError(f"behavior {name} has no value {value!r}")
        return self._current[name] == value

    def update(self, changes: Mapping[str, object]) -> dict[str, str]:
        """Merge `changes` into the current settings (all or nothing); returns them all."""
        self._current.update(checked(changes))
        return self.to_json()

    def reset(self) -> None:
        self._current = dict(self._start)

    def to_json(self) -> dict[str, str]:
        return dict(self._current)
