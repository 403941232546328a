"""The page cache's hot pages: what each process read from Redis a moment ago (news.cache)."""

import threading
import time


class HotPages:
    """The pages this process read from Redis a moment ago, as Redis holds them: (headers,
    content, expiry by time.time()), by their page key. Only what came from Redis is kept:
    a page this process rendered may not have been stored (Redis down, see
    config.cache), and then it is rendered afresh each time.

    An entry is served while the generations its key holds are remembered (`seconds` from
    when they were read, see news.cache.PageCache._generations_read_at) and before its expiry
    in Redis. Reads take no lock (a
    dict lookup is atomic); writes do, so gthread's threads never evict past the bound.
    """

    def __init__(self, size: int, *, seconds: float):
        self.size = size
        self.seconds = seconds
        self._pages: dict[str, tuple[tuple, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        entry = self._pages.get(key)
        if entry is None:
            return None
        page, generations_read_at = entry
        if time.monotonic() - generations_read_at >= self.seconds or time.time() >= page[2]:
            return None
        return page

    def keep(self, key: str, page: tuple, generations_read_at: float | None) -> None:
        if generations_read_at is None:
            return
        with self._lock:
            self._pages.pop(key, None)
            while len(self._pages) >= self.size:
                del self._pages[next(iter(self._pages))]
            self._pages[key] = (page, generations_read_at)

    def forget(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
