"""`python -m gworkflow` runs the CLI."""

from gworkflow.cli import main

main()
