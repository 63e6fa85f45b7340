"""The command line of a Celery worker started by the project itself (the benchmark, and the
tests that need a real worker), so that every such worker is started the same way."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def celery_worker_argv(
    *,
    name: str,
    queues: str = "default",
    concurrency: int = 1,
    heartbeat: bool = False,
    extra: Sequence[str] = (),
) -> list[str]:
    """``python -m celery -A growth worker`` on ``queues`` with a prefork pool, quiet, with no
    gossip or mingle (workers that start and stop within seconds need neither)."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "growth",
        "worker",
        "-Q",
        queues,
        "--concurrency",
        str(concurrency),
        "--pool",
        "prefork",
        "--without-gossip",
        "--without-mingle",
        *([] if heartbeat else ["--without-heartbeat"]),
        "--loglevel",
        "WARNING",
        *extra,
        "-n",
        name,
    ]
