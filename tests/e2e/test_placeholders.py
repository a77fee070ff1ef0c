"""`doc create` and `event create` never share with or invite the example's placeholder
addresses on Google; against a sandbox (the demo, the tests) they go ahead with a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG, SAMPLE_JOIN_URL
from gworkflow.errors import ExitCode
from gworkflow.sandbox.server import Sandbox

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (
            ["doc", "create"],
            "ruth@example.edu, heather@example.org: not going to share the doc with them",
        ),
        (
            ["event", "create"],
            f"ruth@example.edu, heather@example.org, the sample Zoom link {SAMPLE_JOIN_URL}: "
            "not going to invite them",
        ),
    ],
)
def test_on_google_the_placeholders_are_refused_in_one_line(
    config_file: Path, command: list[str], refusal: str
) -> None:
    # No endpoint: this would be Google. Refused before any sign-in or request.
    result = CliRunner().invoke(cli, command, obj=App(clock=lambda: NOW))
    assert result.exit_code == ExitCode.USAGE
    assert result.output.strip().splitlines() == [
        f"Error: {config_file}: series 'ruth-heather' still has the example's placeholder "
        f"{refusal}; put in the real ones (`gworkflow config edit`)"
    ]
    assert 'doc_id = ""' in config_file.read_text()


def test_doc_create_without_sharing_is_not_refused_for_placeholders(config_file: Path) -> None:
    result = CliRunner().invoke(cli, ["doc", "create", "--no-share", "--dry-run"])
    assert result.exit_code == 0, result.output


def test_real_addresses_pass(config_file: Path) -> None:
    config_file.write_text(
        EXAMPLE_CONFIG.replace("ruth@example.edu", "ruth@uni.edu").replace(
            "heather@example.org", "heather@college.org"
        )
    )
    result = CliRunner().invoke(cli, ["doc", "create", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "ruth@uni.edu, heather@college.org" in result.output


def test_against_a_sandbox_they_are_allowed_with_a_warning(sb: Sandbox, config_file: Path) -> None:
    app = App(api_endpoint=sb.base_url, clock=lambda: NOW)
    result = CliRunner().invoke(cli, ["doc", "create"], obj=app)
    assert result.exit_code == 0, result.output
    assert (
        "warning: ruth@example.edu, heather@example.org are placeholders from the example "
        f"config; allowed because every call goes to the sandbox at {sb.base_url}"
    ) in result.stderr
    event = CliRunner().invoke(cli, ["event", "create"], obj=app)
    assert event.exit_code == 0, event.output
    assert "the sample Zoom link" in event.stderr
