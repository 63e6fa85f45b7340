"""Embedded default for a laptop: SQLite, in-process tasks, console mail, DEBUG on."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
