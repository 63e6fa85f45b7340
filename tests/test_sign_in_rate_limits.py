"""Sign-in rate limits behind a proxy: each client behind the load balancer has its own limit,
counted by the address the trusted proxy saw, not the one the client claims."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

PROXY = "10.20.0.1"
ONE_A_MINUTE_AND_A_BIT = {"login": "2/m/ip"}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in_attempt(world, forwarded_for: str | None = None, **headers: str) -> int:
    client = Client(REMOTE_ADDR=PROXY)
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = client.post(
        "/accounts/login/", {"login": world.staff.email, "password": "not-it"}, **headers
    )
    return response.status_code


@override_settings(ACCOUNT_RATE_LIMITS=ONE_A_MINUTE_AND_A_BIT, TRUSTED_PROXY_COUNT=1)
def test_it_limits_two_clients_behind_one_proxy_separately(world):
    assert [sign_in_attempt(world, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    # The neighbour behind the same balancer is not held back by the first one's attempts.
    assert sign_in_attempt(world, "198.51.100.9") == 200


@override_settings(ACCOUNT_RATE_LIMITS=ONE_A_MINUTE_AND_A_BIT, TRUSTED_PROXY_COUNT=1)
def test_it_counts_by_the_address_the_proxy_saw_not_the_one_the_client_claims(world):
    # The client sends its own X-Forwarded-For; the proxy appends the real address.
    statuses = [sign_in_attempt(world, f"192.0.2.{i}, 203.0.113.7") for i in range(3)]
    assert statuses == [200, 200, 429]


@override_settings(ACCOUNT_RATE_LIMITS=ONE_A_MINUTE_AND_A_BIT, TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
def test_it_can_take_the_client_from_a_header_the_proxy_sets(world):
    assert [sign_in_attempt(world, HTTP_X_REAL_IP="203.0.113.7") for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert sign_in_attempt(world, HTTP_X_REAL_IP="198.51.100.9") == 200


@override_settings(ACCOUNT_RATE_LIMITS=ONE_A_MINUTE_AND_A_BIT)
def test_it_trusts_no_forwarded_header_unless_told_to(world):
    # No proxy configured: a client cannot escape its limit by inventing addresses.
    statuses = [sign_in_attempt(world, f"192.0.2.{i}") for i in range(3)]
    assert statuses == [200, 200, 429]


@override_settings(ACCOUNT_RATE_LIMITS=ONE_A_MINUTE_AND_A_BIT, TRUSTED_PROXY_COUNT=2)
def test_it_counts_a_request_that_bypassed_the_proxies_by_its_own_address(world):
    # One address where two proxies should have written two: not through them.
    assert sign_in_attempt(world, "203.0.113.7") == 200
    assert sign_in_attempt(world, "198.51.100.9") == 200
    assert sign_in_attempt(world, "192.0.2.1") == 429
