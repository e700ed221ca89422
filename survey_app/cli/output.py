"""How every `insight` command reports bad input: one line on standard error, exit code 2."""

from __future__ import annotations

import sys

import click

BAD_INPUT = 2


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(BAD_INPUT)
