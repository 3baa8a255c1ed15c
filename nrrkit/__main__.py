"""``python -m nrrkit`` runs the command line."""

from .cli import run

run()
