"""`python -m novu_framework ...`: the novu-framework command line."""

from .cli import run

run()
