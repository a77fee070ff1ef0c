"""With GWORKFLOW_API_ENDPOINT set, gworkflow says it works with a sandbox: its links open
the sandbox's own view of the doc, `auth status` needs no sign-in, `doctor` names what it
checks, and `cron print` does not put a sandbox into a crontab by accident."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.gw import gworkflow, json_of, set_up

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.sandbox.server import Sandbox

pytestmark = pytest.mark.usefixtures("config_file")


def view(sb: Sandbox, doc_id: str) -> str:
    return f"{sb.base_url}/view/documents/{doc_id}"


def test_doc_create_links_to_the_sandbox_view_which_shows_the_doc(sb: Sandbox) -> None:
    result = gworkflow("doc", "create", endpoint=sb.base_url)
    assert result.exit_code == 0
    doc_id = json_of(gworkflow("config", "check", "--json"))["series"][0]["doc_id"]
    assert view(sb, doc_id) in result.stdout
    assert "docs.google.com" not in result.stdout
    with urllib.request.urlopen(view(sb, doc_id)) as page:
        assert "running agenda" in page.read().decode()


def test_agenda_append_links_to_the_sandbox_view(sb: Sandbox) -> None:
    doc_id = set_up(sb.base_url)
    appended = gworkflow("agenda", "append", endpoint=sb.base_url)
    assert appended.exit_code == 0
    assert appended.stdout.strip() == f"Appended the agenda for 2026-12-08: {view(sb, doc_id)}"
    assert json_of(gworkflow("agenda", "append", "--json", endpoint=sb.base_url))["doc_url"] == (
        view(sb, doc_id)
    )


def test_run_links_to_the_sandbox_view(sb: Sandbox) -> None:
    doc_id = set_up(sb.base_url)
    run = gworkflow("run", endpoint=sb.base_url)
    assert run.stdout.strip() == (
        f"ruth-heather: appended the agenda for 2026-12-08: {view(sb, doc_id)}"
    )


def test_without_a_sandbox_the_links_are_google_docs() -> None:
    assert App().doc_link("1abc") == "https://docs.google.com/document/d/1abc/edit"
    assert App(api_endpoint="http://127.0.0.1:8765/").doc_link("1abc") == (
        "http://127.0.0.1:8765/view/documents/1abc"
    )


def test_auth_status_needs_no_sign_in_with_a_sandbox(sb: Sandbox) -> None:
    result = CliRunner().invoke(
        cli,
        ["auth", "status"],
        auto_envvar_prefix="GWORKFLOW",
        env={"GWORKFLOW_API_ENDPOINT": sb.base_url},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"sandbox: no sign-in needed (every Google call goes to {sb.base_url}"
    )
    as_json = gworkflow("auth", "status", "--json", endpoint=sb.base_url)
    assert json_of(as_json) == {"method": "sandbox", "signed_in": True, "endpoint": sb.base_url}


def test_auth_status_with_a_sandbox_in_the_config(sb: Sandbox, config_file: Path) -> None:
    config_file.write_text(f'api_endpoint = "{sb.base_url}"\n' + EXAMPLE_CONFIG)
    result = gworkflow("auth", "status")
    assert result.exit_code == 0 and result.stdout.startswith("sandbox: no sign-in needed")


def test_doctor_says_it_checks_the_sandbox(sb: Sandbox) -> None:
    set_up(sb.base_url)
    result = gworkflow("doctor", endpoint=sb.base_url)
    first = result.stdout.splitlines()[0]
    assert first == f"Checking the sandbox at {sb.base_url} (GWORKFLOW_API_ENDPOINT), not Google."
    assert json_of(gworkflow("doctor", "--json", endpoint=sb.base_url))["target"] == {
        "sandbox": True,
        "endpoint": sb.base_url,
    }
