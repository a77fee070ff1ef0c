"""Playing the product's scenarios against every plausible Google.

`sweep(*names)` parametrises a test's `behaviors` fixture (tests/conftest.py) with Google's
most likely answers first ("defaults"), then each other value of each named switch, one at
a time (ids like "instances_time_min=exclusive"). The sandbox fixtures apply the case
before the test runs, so a scenario that passes under every case does not depend on what
public evidence leaves open (docs/google-api-notes.md, "Not settled by public evidence").

Sweep only the switches that can reach what the scenario exercises: the suite stays fast.
For a slow scenario that the switches are not expected to reach, `sweep_together(*names)`
plays every value of every switch named in as few runs as possible (all switches moved at
once), at the cost of not telling which one broke it.
"""

from __future__ import annotations

import pytest

from gworkflow.sandbox.behaviors import BY_NAME

# The switches that reach each part of the product.
DOCS_EDGES = ("named_range_insert_at_start", "named_range_insert_at_end")
STALE = ("stale_revision_message",)
READING_MEETINGS = ("instances_time_min", "cancelled_instance_body")


def cases(*names: str) -> list[object]:
    """The parameter sets of `sweep`: {} first, then one {name: value} per other value."""
    found: list[object] = [pytest.param({}, id="defaults")]
    for name in names:
        for value in BY_NAME[name].values[1:]:
            found.append(pytest.param({name: value}, id=f"{name}={value}"))
    return found


def sweep(*names: str) -> pytest.MarkDecorator:
    """Run the test under the defaults and under each other value of each switch named."""
    return pytest.mark.parametrize("behaviors", cases(*names))


def sweep_together(*names: str) -> pytest.MarkDecorator:
    """Run the test under the defaults, then with every switch named moved to its next value
    at once (as many runs as the longest list of values, less one)."""
    found: list[object] = [pytest.param({}, id="defaults")]
    longest = max(len(BY_NAME[name].values) for name in names)
    for step in range(1, longest):
        case = {
            name: BY_NAME[name].values[min(step, len(BY_NAME[name].values) - 1)] for name in names
        }
        found.append(pytest.param(case, id=",".join(f"{k}={v}" for k, v in case.items())))
    return pytest.mark.parametrize("behaviors", found)
