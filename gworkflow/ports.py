"""What the runner needs from Google, as typed ports.

The runner (`gworkflow.runner`) decides what to do; these Protocols say what it may ask of
the running doc and of the series' calendar event. The real adapters are
`gworkflow.google.docs.RunningDoc` and `gworkflow.google.calendar.SeriesEvent` (built by
the CLI, the demo and the tests, e.g. with `GoogleClients.running_doc()` /
`.series_event(series)`); unit tests pass small in-memory fakes. Nothing here imports
Google's libraries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from gworkflow.agenda.blocks import Block
from gworkflow.meeting import Meeting
from gworkflow.types import JSON, Position


@dataclass(frozen=True)
class AppendResult:
    """What appending a section did.

    `written` is True when this call put the section in the doc (including a write whose
    answer was lost but whose marker was found on re-reading); False when the marker was
    already there before we wrote. `attempts` counts batchUpdate calls (0 when nothing was
    written); `revision_id` is the doc's revision after the write, or as last read.
    `meanwhile` is True when the section appeared after our first read while none of our
    writes can have landed: another run (or a person) wrote it.
    """

    written: bool
    attempts: int
    revision_id: str | None
    meanwhile: bool = False


# Plans the section again from a fresh read of the doc: its blocks, or None when a section
# for the meeting is there already (typed by hand).
Replan = Callable[[JSON], Sequence[Block] | None]


class AgendaDoc(Protocol):
    """The running agenda doc: read it whole, add one meeting's section once."""

    def fetch(self, doc_id: str) -> JSON:
        """The whole document (documents.get JSON, every tab's content included)."""
        ...

    def append_section(
        self,
        doc_id: str,
        tab: str | None,
        position: Position,
        marker: str,
        blocks: Sequence[Block],
        doc: JSON | None = None,
        replan: Replan | None = None,
    ) -> AppendResult:
        """Insert `blocks` as one section named `marker`, unless the marker is there;
        `doc` is a copy just fetched, to save a read; after any re-read the section is
        planned again with `replan`."""
        ...

    def trashed(self, doc_id: str) -> bool | None:
        """Whether the doc is in the Drive trash; None when that cannot be seen."""
        ...


class SeriesCalendar(Protocol):
    """One series' recurring event on its calendar."""

    def upcoming(self, after: dt.datetime, count: int) -> list[Meeting] | None:
        """The next `count` meetings not ended at `after` (moved and cancelled ones as the
        calendar has them), sorted by start; None when the series has no event."""
        ...

    def create(self, doc_url: str, now: dt.datetime) -> EventCreated:
        """Create the series' event (its first meeting the rule's first after `now`),
        unless it exists."""
        ...


class EventCreated(Protocol):
    """What creating the event did: `created` is True only when this call made it (not
    when it existed, or another run made it at the same moment)."""

    @property
    def created(self) -> bool: ...
