"""`gworkflow weigh`: what saying yes to a recurring commitment costs, in hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import emit, json_option

if TYPE_CHECKING:
    from gworkflow.agenda.weigh import Cost


@dataclass(frozen=True)
class WeighResult:
    cost: Cost

    def as_text(self) -> str:
        return self.cost.label

    def as_json(self) -> Any:
        return self.cost.as_json()


@click.command("weigh")
@click.argument("text")
@click.option(
    "--prep",
    metavar="DURATION",
    help="Prep per meeting: 1h, 30m, 0 (default: what TEXT says, else the meeting's length).",
)
@json_option
def weigh(text: str, prep: str | None, as_json: bool) -> None:
    """What saying yes to a recurring commitment costs, in hours.

    TEXT says how often, how long and for how long, e.g. "monthly 1h for 6 months",
    "weekly 30m for a semester", "biweekly 90m for a year, 2h prep per meeting" or "6
    meetings of 1h". A semester is 15 weeks, or 4 months when the cadence is monthly; a
    year is 52 weeks or 12 months. The cost is meetings x (meeting + prep); prep is
    --prep, else what TEXT says ("2h prep per meeting"), else as long as the meeting
    itself. This is the sum shown next to an item under "Invitations to weigh" in the
    agenda doc.
    """
    from gworkflow.agenda.weigh import parse_length, read_cost

    prep_hours: float | None = None
    if prep is not None:
        prep_hours = parse_length(prep)
        if prep_hours is None:
            raise click.BadParameter(
                f"{prep!r} is not a length of time; write it like 1h, 30m, 1h30m or 0",
                param_hint="--prep",
            )
    cost = read_cost(text, prep_hours)
    if cost is None:
        raise click.BadParameter(
            f"cannot read a cadence in {text!r}: say how often, how long each time and for "
            "how long, e.g. 'monthly 1h for 6 months' or 'weekly 30m for a semester'",
            param_hint="TEXT",
        )
    emit(WeighResult(cost), as_json)
