"""A running doc in the Drive trash: the Docs API still reads and writes it, so `run` would
keep writing into a doc nobody sees. `run` refuses and says so, `doctor` fails and says so.

The sandbox's admin route that trashes a doc (`POST /_sandbox/documents/{id}:trash`) and
`files.get` answering `trashed` come with the sandbox's own edge work; until then these
tests skip (the same rules are covered with fakes in tests/unit/test_runner_rules.py and
tests/unit/test_doctor_rules.py).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from support import witness
from support.gw import MEETING, gworkflow, one_error_line, set_up

from gworkflow.errors import ExitCode
from gworkflow.sandbox.server import Sandbox

pytestmark = pytest.mark.usefixtures("config_file")


def trash(sb: Sandbox, doc_id: str) -> None:
    request = urllib.request.Request(
        f"{sb.base_url}/_sandbox/documents/{doc_id}:trash",
        data=b"{}",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        urllib.request.urlopen(request).close()
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 405):
            pytest.skip("the sandbox cannot trash a doc yet (enable after the sandbox-edge merge)")
        raise
    drive = json.loads(
        urllib.request.urlopen(f"{sb.base_url}/drive/v3/files/{doc_id}?fields=trashed").read()
    )
    if drive.get("trashed") is not True:
        pytest.skip("the sandbox's files.get does not report trashed yet")


def test_run_refuses_to_write_into_a_doc_in_the_trash(sb: Sandbox) -> None:
    doc_id = set_up(sb.base_url)
    trash(sb, doc_id)
    result = gworkflow("run", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.FAILED
    assert "is in the Google Drive trash: restore it" in one_error_line(result)
    assert witness.marker_count(sb.docs.get(doc_id, True), "ruth-heather", MEETING) == 0


def test_doctor_says_the_running_doc_is_in_the_trash(sb: Sandbox) -> None:
    doc_id = set_up(sb.base_url)
    trash(sb, doc_id)
    result = gworkflow("doctor", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.FAILED
    assert "is in the Google Drive trash" in result.stdout
    assert "restore it from the Drive trash" in result.stdout
