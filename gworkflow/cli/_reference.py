"""The README's CLI reference, generated from `--help` (run by cog; checked in CI)."""

from __future__ import annotations

import click
from click.testing import CliRunner


def _walk(command: click.Command, path: list[str]) -> list[list[str]]:
    found = [path]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], [*path, name])
    return found


def reference() -> str:
    from gworkflow.cli import cli

    runner = CliRunner()
    parts: list[str] = []
    for path in _walk(cli, []):
        result = runner.invoke(cli, [*path, "--help"], prog_name="gworkflow", terminal_width=88)
        title = " ".join(["gworkflow", *path])
        parts.append(f"### `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n" + "\n".join(parts) + "\n"
