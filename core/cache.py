"""
The shared cache (Redis) as something pages can do without: when Redis
cannot be reached, reads miss and writes are dropped, with a warning in the
log, so that pages are still served (counts are computed afresh, rate
limits and the tip-off form's replay guard count nothing until Redis is back:
they fail open rather than take the site down).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("labelwatch.cache")


def _outage_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


def _degrading(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _outage_errors() as exc:
            logger.warning("cache unavailable (%s): %s served without it", exc, method.__name__)
            return fallback(*args, **kwargs)

    return wrapper


class DegradingRedisCache(RedisCache):
    """django's RedisCache, but an unreachable Redis behaves as an empty cache."""

    get = _degrading(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _degrading(RedisCache.get_many, lambda keys, version=None: {})
    has_key = _degrading(RedisCache.has_key, lambda key, version=None: False)
    # add: "stored" (True), so a caller that adds a marker goes on as when it was new.
    add = _degrading(RedisCache.add, lambda *a, **k: True)
    set = _degrading(RedisCache.set, lambda *a, **k: None)
    set_many = _degrading(RedisCache.set_many, lambda *a, **k: [])
    touch = _degrading(RedisCache.touch, lambda *a, **k: False)
    delete = _degrading(RedisCache.delete, lambda *a, **k: False)
    delete_many = _degrading(RedisCache.delete_many, lambda *a, **k: None)
    clear = _degrading(RedisCache.clear, lambda *a, **k: False)
    # incr: as if the counter had just been created (a rate limit counts 1).
    incr = _degrading(RedisCache.incr, lambda key, delta=1, version=None: delta)
    decr = _degrading(RedisCache.decr, lambda key, delta=1, version=None: -delta)
