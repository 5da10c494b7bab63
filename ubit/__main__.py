"""Run the ubit command line as ``python -m ubit``."""

from ubit.cli.main import entry

entry()
