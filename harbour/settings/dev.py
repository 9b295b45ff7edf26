"""Development: the defaults of base.py, DEBUG only when asked (DEBUG=1)."""

from .base import *  # noqa: F403
