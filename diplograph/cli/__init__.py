"""The ``diplograph`` command: a thin layer over ``diplograph.api.Graph``.

Each command parses its options, makes one Graph call and formats the result. Errors
raised on purpose (DiplographError) are printed once as ``Error: …`` with exit code 1.
Command groups live in sibling modules and register themselves on ``main``."""

from __future__ import annotations

import sys

import click

from ..errors import DiplographError
from .common import main

# Command modules register their commands on `main` when imported.
from . import actors as _actors  # noqa: E402,F401
from . import backtest as _backtest  # noqa: E402,F401
from . import claims as _claims  # noqa: E402,F401
from . import datasets as _datasets  # noqa: E402,F401
from . import documents as _documents  # noqa: E402,F401
from . import evaluation as _evaluation  # noqa: E402,F401
from . import exports as _exports  # noqa: E402,F401
from . import forecast as _forecast  # noqa: E402,F401
from . import graph as _graph  # noqa: E402,F401
from . import watch as _watch  # noqa: E402,F401
from . import spark as _spark  # noqa: E402,F401
from . import web as _web  # noqa: E402,F401


def run() -> None:
    from .. import loading

    loading.LEAN = True  # our own process: LightGBM without pandas (see diplograph.loading)
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except DiplographError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)


__all__ = ["main", "run"]
