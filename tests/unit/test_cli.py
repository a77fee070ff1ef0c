"""The CLI as a whole: help everywhere, fast start, exit codes, JSON errors, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gworkflow.cli import COMMANDS, cli
from gworkflow.cli._reference import command_paths, resolve
from gworkflow.errors import ExitCode

PATHS = command_paths(cli)


def test_the_walk_reaches_every_subcommand() -> None:
    # The group is lazy: a walk over `group.commands` would see the root alone.
    assert ("agenda", "append") in PATHS and ("event", "move") in PATHS
    assert len(PATHS) > len(COMMANDS) + 1


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "gworkflow")
def test_every_command_explains_itself(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    command = resolve(cli, path)
    assert command.help and len(command.help.strip()) > 20, f"{path} has no real help text"
    # The first line of the help shows on screen, not a blank or a stray docstring marker.
    assert command.help.strip().splitlines()[0].strip() in " ".join(result.output.split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_command_list_matches_each_commands_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.help
    first_paragraph = " ".join(command.help.split("\n\n")[0].split())
    assert COMMANDS[name][2] == first_paragraph


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "gworkflow, version" in result.output


def test_help_does_not_import_google_or_jinja() -> None:
    code = (
        "import sys\n"
        "from gworkflow.cli import COMMANDS, cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('googleapiclient', 'jinja2', 'google.auth', 'dateutil', 'markdown_it', 'tomlkit')"
        " if m in sys.modules]\n"
        "heavy += [m for m in sys.modules if m.startswith('gworkflow.cli.') and m.endswith('_cmd')]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_config_error_is_one_line_and_exit_2(isolated_home: Path) -> None:
    (isolated_home / "config.toml").write_text("[[series]]\nid = 3\n")
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == ExitCode.USAGE
    assert result.output.strip().splitlines() == [
        f"Error: {isolated_home / 'config.toml'}: series[0].id: must be a string, not 3"
    ]


def test_json_errors_are_json(isolated_home: Path) -> None:
    import json

    result = CliRunner().invoke(cli, ["config", "check", "--json"])
    assert result.exit_code == ExitCode.USAGE
    body = json.loads(result.stdout)
    assert body["error"]["exit_code"] == 2
    assert "no such config file" in body["error"]["message"]


def test_config_check_summarises(config_file: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 0, result.output
    assert "ruth-heather: Peer mentoring check-in" in result.output
    assert "2nd Tuesday" in result.output
    assert "Ruth (America/New_York), Heather (America/Chicago)" in result.output


def test_config_example_is_what_check_accepts(isolated_home: Path) -> None:
    example = CliRunner().invoke(cli, ["config", "example"]).output
    (isolated_home / "config.toml").write_text(example)
    assert CliRunner().invoke(cli, ["config", "check"]).exit_code == 0


def test_config_init_writes_once(isolated_home: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["config", "init"]).exit_code == 0
    assert (isolated_home / "config.toml").exists()
    again = runner.invoke(cli, ["config", "init"])
    assert again.exit_code == ExitCode.USAGE and "already exists" in again.output


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gworkflow", "--version"], capture_output=True, text=True, check=True
    )
    assert "gworkflow, version" in out.stdout


def test_a_file_we_cannot_write_is_one_line(config_file: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", "--log-file", str(config_file.parent / "no" / "run.log")]
    )
    assert result.exit_code == ExitCode.FAILED
    assert result.output.strip().splitlines() == [
        f"Error: {config_file.parent / 'no' / 'run.log'}: No such file or directory"
    ]


def test_the_example_client_file_has_the_desktop_app_shape() -> None:
    from gworkflow.google.auth_flow import read_client_secrets

    example = Path(__file__).resolve().parents[2] / "credentials.example.json"
    client = read_client_secrets(example)["installed"]
    assert client["token_uri"] == "https://oauth2.googleapis.com/token"
    assert "placeholder" in client["client_secret"]
