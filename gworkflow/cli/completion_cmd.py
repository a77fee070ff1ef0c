"""`gworkflow completion bash|zsh|fish`: Click's shell completion script for gworkflow."""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
# Click completes when this variable is set; it derives the same name from the program name.
COMPLETE_VAR = "_GWORKFLOW_COMPLETE"


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Commands, options and files complete on Tab. Load it from your shell's start-up file:

    \b
      bash  (~/.bashrc):  eval "$(gworkflow completion bash)"
      zsh   (~/.zshrc):   eval "$(gworkflow completion zsh)"
      fish:               gworkflow completion fish > ~/.config/fish/completions/gworkflow.fish
    """
    from click.shell_completion import get_completion_class

    from gworkflow.cli import cli

    completer = get_completion_class(shell)
    assert completer is not None  # SHELLS are the shells click ships
    click.echo(completer(cli, {}, "gworkflow", COMPLETE_VAR).source())
