"""The default cache (Redis through django-redis), with one exception for outages: allauth's
sign-in rate limits.

allauth keeps its rate-limit counters and their locks in the default cache. With Redis
unreachable and IGNORE_EXCEPTIONS on, every ``add`` of a lock answered "not added", allauth
waited a second for a lock that never came and answered 429: nobody could sign in or
reset a password. Everything else in the cache may simply miss while
Redis is away; rate-limit counters may not, so those keys (and only those: a report's cached
figures written to a second store during an outage would be stale when Redis is back) go to
the fallback cache, a table in PostgreSQL, while Redis does not answer.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import caches
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

log = logging.getLogger(__name__)

# allauth's keys: "allauth:rl:<app>:<action>:<rate>:<source>" and the same plus ":lock".
RATE_LIMIT_KEY_PREFIX = "allauth:rl:"


class RedisCacheWithRateLimitFallback(RedisCache):
    """django-redis, except that rate-limit keys go to OPTIONS["RATE_LIMIT_FALLBACK"] (a cache
    alias) while Redis is unreachable. After a failure Redis is not asked again for those keys
    for OPTIONS["RATE_LIMIT_RETRY_SECONDS"] (default 30), so a sign-in during an outage does
    not wait for a dozen connection timeouts."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self._fallback_alias: str = options.get("RATE_LIMIT_FALLBACK", "rate_limits")
        self._retry_seconds: float = options.get("RATE_LIMIT_RETRY_SECONDS", 30)
        self._redis_down_until = 0.0

    def _rate_limited(self, method: str, key: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._redis_down_until:
            try:
                # The client, not the cache: the cache's own methods swallow the error.
                return getattr(self.client, method)(key, *args, **kwargs)
            except ConnectionInterrupted as error:
                self._redis_down_until = time.monotonic() + self._retry_seconds
                log.warning(
                    "Redis is unreachable (%s): sign-in rate limits are kept in the %r cache "
                    "for the next %s s.",
                    error.__cause__ or error,
                    self._fallback_alias,
                    self._retry_seconds,
                )
        return getattr(caches[self._fallback_alias], method)(key, *args, **kwargs)

    def add(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        if str(key).startswith(RATE_LIMIT_KEY_PREFIX):
            return self._rate_limited("add", key, *args, **kwargs)
        return super().add(key, *args, **kwargs)

    def get(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        if str(key).startswith(RATE_LIMIT_KEY_PREFIX):
            return self._rate_limited("get", key, *args, **kwargs)
        return super().get(key, *args, **kwargs)

    def set(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        if str(key).startswith(RATE_LIMIT_KEY_PREFIX):
            return self._rate_limited("set", key, *args, **kwargs)
        return super().set(key, *args, **kwargs)

    def delete(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        if str(key).startswith(RATE_LIMIT_KEY_PREFIX):
            return self._rate_limited("delete", key, *args, **kwargs)
        return super().delete(key, *args, **kwargs)
