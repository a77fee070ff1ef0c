"""The README's CLI reference, generated from `--help` (run by cog; checked in CI).

The group loads its commands lazily (`group.commands` is empty until a command is asked
for), so the tree is walked with `list_commands`/`get_command`, as click itself resolves a
command line. The tests walk the same tree, so every command path has its `--help` run.
"""

from __future__ import annotations

import click
from click.testing import CliRunner


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path below `command`, itself first: (), ("agenda",), ("agenda", "append"), ..."""
    found = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name=path[-1] if path else "gworkflow")
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                found += command_paths(sub, (*path, name))
    return found


def resolve(command: click.Command, path: tuple[str, ...]) -> click.Command:
    """The command at `path` below `command`."""
    for name in path:
        assert isinstance(command, click.Group)
        sub = command.get_command(click.Context(command), name)
        if sub is None:
            raise LookupError(f"no command {' '.join(path)!r}")
        command = sub
    return command


def reference() -> str:
    from gworkflow.cli import cli

    # The root help names the config file in use: show the default one, whatever the
    # environment of whoever regenerates the README.
    runner = CliRunner(
        env={"GWORKFLOW_HOME": None, "GWORKFLOW_CONFIG": None, "XDG_CONFIG_HOME": None}
    )
    parts: list[str] = []
    for path in command_paths(cli):
        result = runner.invoke(cli, [*path, "--help"], prog_name="gworkflow", terminal_width=88)
        title = " ".join(["gworkflow", *path])
        parts.append(f"### `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n" + "\n".join(parts) + "\n"
