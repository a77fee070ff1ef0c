"""The state file of the daily runs: each series' last outcome, kept across failures,
replaced atomically, and read back for `doctor`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gworkflow.state import RunRecord, StateUnreadable, ago, read_state, record_runs, state_path

DAY_1 = dt.datetime(2026, 12, 1, 7, 17, tzinfo=dt.UTC)
DAY_2 = DAY_1 + dt.timedelta(days=1)


def test_it_lives_next_to_the_config() -> None:
    assert state_path(Path("/home/ruth/.config/gworkflow/config.toml")) == Path(
        "/home/ruth/.config/gworkflow/config.state.json"
    )


def test_each_series_keeps_its_last_outcome_and_last_success(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "config.state.json"
    assert read_state(path) == {}
    record_runs(
        path,
        [RunRecord("a", True, "appended", "a: appended"), RunRecord("b", False, "failed", "b: x")],
        DAY_1,
    )
    record_runs(path, [RunRecord("a", False, "failed", "a: could not read")], DAY_2)
    states = read_state(path)
    assert states["a"].ok is False and states["a"].last_run == DAY_2
    assert states["a"].last_success == DAY_1 and states["a"].message == "a: could not read"
    assert states["b"].last_success is None and states["b"].last_run == DAY_1
    assert json.loads(path.read_text())["version"] == 1
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "config.state.json",
        "config.state.json.lock",
    ]


@pytest.mark.parametrize("text", ["{", "[]", '{"series": []}', '{"series": {"a": {}}}'])
def test_a_file_that_is_not_a_state_file_is_named_and_then_replaced(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "config.state.json"
    path.write_text(text)
    with pytest.raises(StateUnreadable, match="not a gworkflow state file"):
        read_state(path)
    record_runs(path, [RunRecord("a", True, "not-yet", "a: nothing to do")], DAY_1)
    assert read_state(path)["a"].ok


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(5, "just now"), (300, "5 minutes ago"), (3600, "1 hour ago"), (2 * 86400 + 60, "2 days ago")],
)
def test_ago(seconds: int, words: str) -> None:
    assert ago(DAY_1, DAY_1 + dt.timedelta(seconds=seconds)) == words
