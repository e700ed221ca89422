"""Bounded caches kept on the app (``app.extensions``), so that each app, and each test, has its own."""

from __future__ import annotations

import threading

from flask import current_app


class BoundedCache(dict):
    """A dict that forgets its oldest entry when a new one would make it hold more than `size`.

    What is cached here is cheap to make again, so the oldest entry is as good to drop as any.
    Reads take no lock; writes (a miss, now and then) take one, as threads may share the app."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self._writing = threading.Lock()

    def __setitem__(self, key, value) -> None:
        with self._writing:
            if key not in self and len(self) >= self.size:
                del self[next(iter(self))]
            super().__setitem__(key, value)


def app_cache(name: str, size: int) -> BoundedCache:
    """The app's cache called `name`, made empty on first use, holding at most `size` entries."""
    cache = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions[name] = BoundedCache(size)
    return cache
