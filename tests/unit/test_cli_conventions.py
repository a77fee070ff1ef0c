"""What users expect of a command line: colour only on a terminal (and never with NO_COLOR),
shell completion, and where the config lives in `--help`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.cli._common import status_word
from gworkflow.config import EXAMPLE_CONFIG

ESC = "\x1b["


def invoke(args: list[str], color: bool, env: dict[str, str] | None = None) -> str:
    # color=True is what click does on a terminal; color=False when output is piped.
    return CliRunner(env=env).invoke(cli, args, color=color).output


@pytest.mark.parametrize(
    ("args", "coloured"),
    [
        (["config", "check"], ["OK", "warning"]),
        (["doctor"], ["FAIL", "Some checks failed: see the fixes above."]),
        (["auth", "status"], ["no"]),
    ],
    ids=["config check", "doctor", "auth status"],
)
def test_status_words_are_coloured_on_a_terminal_only(
    isolated_home: Path, args: list[str], coloured: list[str]
) -> None:
    if args[0] == "config":
        (isolated_home / "config.toml").write_text(EXAMPLE_CONFIG)
    on_terminal = invoke(args, color=True)
    piped = invoke(args, color=False)
    assert ESC not in piped
    for word in coloured:
        assert any(
            f"{ESC}{code}m{word}" in on_terminal or f"{ESC}{code}m{ESC}1m{word}" in on_terminal
            for code in (31, 32, 33)
        ), f"{word!r} is not coloured in {on_terminal!r}"
    # The colour adds escape codes and nothing else.
    assert click.unstyle(on_terminal) == piped


@pytest.mark.parametrize("args", [["config", "check"], ["doctor"], ["auth", "status"]])
def test_no_color_turns_colour_off_even_on_a_terminal(config_file: Path, args: list[str]) -> None:
    assert ESC in invoke(args, color=True)
    assert ESC not in invoke(args, color=True, env={"NO_COLOR": "1"})
    # An empty NO_COLOR does not count (https://no-color.org).
    assert ESC in invoke(args, color=True, env={"NO_COLOR": ""})


def test_json_is_never_coloured(config_file: Path) -> None:
    assert ESC not in invoke(["config", "check", "--json"], color=True)


def test_status_word_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert status_word("ok", "ok") == click.style("ok", fg="green")
    assert status_word("warning", "warning") == click.style("warning", fg="yellow")
    assert status_word("failed", "failed") == click.style("failed", fg="red", bold=True)
    monkeypatch.setenv("NO_COLOR", "yes")
    assert status_word("failed", "failed") == "failed"


# --- --help names the config file ----------------------------------------------------------


def test_help_says_where_the_config_is(isolated_home: Path) -> None:
    out = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert "GWORKFLOW_HOME/config.toml unless --config (GWORKFLOW_CONFIG)" in out
    assert f"Config file here: {isolated_home / 'config.toml'} (in GWORKFLOW_HOME)." in out


def test_help_names_a_config_from_the_environment(tmp_path: Path) -> None:
    named = tmp_path / "elsewhere.toml"
    result = CliRunner(env={"GWORKFLOW_CONFIG": str(named)}).invoke(cli, ["--help"])
    assert f"Config file here: {named} (named by GWORKFLOW_CONFIG)." in " ".join(
        result.output.split()
    )


def test_help_without_gworkflow_home_shows_the_platform_default() -> None:
    result = CliRunner(env={"GWORKFLOW_HOME": None, "GWORKFLOW_CONFIG": None}).invoke(
        cli, ["--help"]
    )
    import platformdirs

    default = Path(platformdirs.user_config_dir("gworkflow", appauthor=False)) / "config.toml"
    shown = f"~/{default.relative_to(Path.home())}"
    text = " ".join(result.output.split())
    assert f"Config file here: {shown} (the default; GWORKFLOW_HOME is not set)." in text


# --- shell completion ------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(shell: str) -> None:
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert "_GWORKFLOW_COMPLETE" in result.output and "gworkflow" in result.output


def test_completion_refuses_an_unknown_shell() -> None:
    result = CliRunner().invoke(cli, ["completion", "tcsh"])
    assert result.exit_code == 2 and "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.output


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What Tab offers after `words` (the protocol the printed scripts speak)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="gworkflow",
        env={
            "_GWORKFLOW_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
            **(env or {}),
        },
    )
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_commands_and_options_complete() -> None:
    assert complete("gworkflow con") == ["config"]
    assert complete("gworkflow config ") == ["check", "edit", "example", "init", "path"]
    assert "--ics" in complete("gworkflow schedule --")


def test_series_ids_complete_from_the_config(isolated_home: Path) -> None:
    (isolated_home / "config.toml").write_text(
        EXAMPLE_CONFIG
        + '\n[[series]]\nid = "kim-lee"\nschedule = "1st Monday 9:00"\ntimezone = "UTC"\n'
    )
    assert complete("gworkflow run --series ") == ["ruth-heather", "kim-lee"]
    assert complete("gworkflow schedule --series k") == ["kim-lee"]
    (isolated_home / "config.toml").write_text("not toml [")
    assert complete("gworkflow run --series ") == []


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_in_bash() -> None:
    script = (
        'eval "$(gworkflow completion bash)"\n'
        "COMP_WORDS=(gworkflow sche); COMP_CWORD=1\n"
        "_gworkflow_completion gworkflow\n"
        'echo "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    out = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.split() == ["schedule"]
