"""`gworkflow goals --doc-json FILE` reads a saved documents.get answer offline: a file of
the wrong shape is one line naming the file and what is wrong, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.errors import ExitCode


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"body": "x"}', "body is a string, not an object"),
        ('{"tabs": "x"}', "tabs is a string, not a list"),
        ('{"tabs": [{"documentTab": {"body": {"content": "x"}}}]}', "content is a string"),
        ("null", "the document is null, not an object"),
        ("[]", "the document is a list, not an object"),
        ('{"title": "x"}', "the document has neither body nor tabs"),
    ],
)
def test_a_saved_doc_of_the_wrong_shape_is_one_line_and_exit_2(
    config_file: Path, tmp_path: Path, text: str, problem: str
) -> None:
    saved = tmp_path / "doc.json"
    saved.write_text(text)
    result = CliRunner().invoke(cli, ["goals", "--doc-json", str(saved)])
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: {saved}: not a documents.get response (")
    assert problem in line
