"""The load: Locust users that read every page of every benchmark database in turn, and one
writer per database that records a check-in every second, as a line manager would.

Run by bench/run.py as ``locust --headless -f bench/locustfile.py``; what to request comes
from the plan file named by ``BENCH_PLAN`` (JSON, written by the runner), and every response
time is written to the plan's ``out`` file when the run stops. No Django here."""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, constant_pacing, events, task
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115

# (variant, page key) → milliseconds; errors likewise; the writer's as "writer".
timings: dict[str, list[float]] = defaultdict(list)
errors: dict[str, int] = defaultdict(int)
readers_done: list[int] = []


def _name(variant: str, key: str) -> str:
    return f"{variant} {key}"


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, context: dict, **_: Any) -> None:
    if context.get("warmup"):
        return
    timings[name].append(response_time)
    if exception is not None:
        errors[name] += 1


def _write_results(**_: Any) -> None:
    with open(PLAN["out"], "w") as out:
        json.dump({"timings": timings, "errors": errors}, out)


events.test_stop.add_listener(_write_results)


@events.test_start.add_listener
def _quit_when_read(environment: Any, **_: Any) -> None:
    """Every reader makes its rounds and stops; then the run (and the writers) stop."""

    def watch() -> None:
        while len(readers_done) < PLAN["readers"]:
            gevent.sleep(0.2)
        environment.runner.quit()

    gevent.spawn(watch)


def _cookie(session: str, csrf: str = "") -> str:
    cookie = f"{PLAN['session_cookie_name']}={session}"
    return f"{cookie}; {PLAN['csrf_cookie_name']}={csrf}" if csrf else cookie


class Reader(FastHttpUser):
    """Requests every target once per round (each page at every database size, the reference
    among them), so that all of them are measured over the same minutes of this machine,
    whose speed drifts. Each reader starts its rounds at a different target."""

    fixed_count = PLAN["readers"]
    wait_time = constant(0)
    host = "http://127.0.0.1"

    def on_start(self) -> None:
        self.targets = PLAN["targets"]
        self.offset = random.randrange(len(self.targets))

    def get(self, target: dict, *, warmup: bool) -> None:
        # Each request carries its role's session and nothing a previous response set.
        self.client.cookiejar.clear()
        with self.client.get(
            target["url"],
            headers={"Cookie": _cookie(target["session"])},
            name=_name(target["variant"], target["key"]),
            context={"warmup": warmup},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task
    def rounds(self) -> None:
        targets = self.targets[self.offset :] + self.targets[: self.offset]
        for _ in range(PLAN["warmup_rounds"]):
            for target in targets:
                self.get(target, warmup=True)
        for _ in range(PLAN["rounds"]):
            for target in targets:
                self.get(target, warmup=False)
        readers_done.append(1)
        raise StopUser


class Writer(FastHttpUser):
    """A line manager recording a check-in for one of their team through the page's form,
    once a second, on each database: the pages are measured while the trust is being
    written to, as a school day would have it."""

    fixed_count = len(PLAN["writers"])
    wait_time = constant_pacing(1)
    host = "http://127.0.0.1"
    _next = 0

    def on_start(self) -> None:
        self.plan = PLAN["writers"][Writer._next % len(PLAN["writers"])]
        Writer._next += 1

    @task
    def record_checkin(self) -> None:
        plan = self.plan
        self.client.cookiejar.clear()
        with self.client.post(
            plan["url"],
            data=urlencode(
                {
                    "csrfmiddlewaretoken": plan["csrf"],
                    "held_on": plan["held_on"],
                    "reflect_self": "Tried the new questioning routine with Year 9.",
                    "next_step_i_am": "planning the next steps with my team",
                }
            ),
            headers={
                "Cookie": _cookie(plan["session"], plan["csrf"]),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name=_name(plan["variant"], "writer"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
