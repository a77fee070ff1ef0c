"""for_each_series: every series gets its outcome, whatever the others do."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config
from gworkflow.errors import ExitCode, GoogleError, GworkflowError, SignInNeeded
from gworkflow.programme import Progress, for_each_series


def many_series(count: int) -> list[Series]:
    base = EXAMPLE_CONFIG.split("[[series]]", 1)[1]
    text = "".join(
        "[[series]]" + base.replace("ruth-heather", f"pair-{i:02d}") for i in range(count)
    )
    return list(parse_config(text, Path("config.toml")).series)


class Clients:
    """One set of clients; records the thread that made it."""

    made: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        Clients.made.append(self.thread)


def failed(series: Series, error: GworkflowError) -> tuple[str, str, int]:
    return (series.id, f"failed: {error.message}", int(error.exit_code))


def test_outcomes_come_in_config_order_and_failures_stay_with_their_series() -> None:
    series = many_series(12)

    def task(one: Series, clients: Clients) -> tuple[str, str, int]:
        assert clients.thread == threading.get_ident()  # a worker never borrows clients
        if one.id == "pair-03":
            raise GoogleError("could not read Google Doc x: Google Docs answered 404")
        if one.id == "pair-07":
            raise KeyError("oops")
        return (one.id, "ok", 0)

    Clients.made = []
    states: list[Progress] = []
    outcomes = for_each_series(
        series, task, Clients, failed, workers=3, progress=lambda s, _o: states.append(s)
    )
    assert [o[0] for o in outcomes] == [s.id for s in series]
    assert outcomes[3] == (
        "pair-03",
        "failed: could not read Google Doc x: Google Docs answered 404",
        1,
    )
    assert outcomes[7][1].startswith("failed: gworkflow failed unexpectedly (KeyError: 'oops')")
    assert [o[1] for i, o in enumerate(outcomes) if i not in (3, 7)] == ["ok"] * 10
    assert [s.done for s in states] == list(range(1, 13))
    assert states[-1].left == 0 and states[-1].eta_seconds == 0.0
    assert len(Clients.made) <= 3 and len(set(Clients.made)) == len(Clients.made)


def test_a_sign_in_failure_stops_the_series_not_yet_started() -> None:
    series = many_series(6)
    called: list[str] = []

    def task(one: Series, _clients: Clients) -> tuple[str, str, int]:
        called.append(one.id)
        raise SignInNeeded("not signed in: run `gworkflow auth login`")

    outcomes = for_each_series(series, task, Clients, failed, workers=1)
    assert called == ["pair-00"]  # one worker: the others never called Google
    assert all(
        o == (s.id, "failed: not signed in: run `gworkflow auth login`", 3)
        for o, s in zip(outcomes, series, strict=True)
    )
    assert max(o[2] for o in outcomes) == ExitCode.SIGN_IN


def test_nothing_to_do_for_no_series() -> None:
    assert for_each_series([], lambda s, c: s.id, Clients, failed) == []
