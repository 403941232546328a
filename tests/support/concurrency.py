"""Run one function in several threads released at the same instant, as several hosts would."""

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once[T](function: Callable[[], T], *, times: int) -> list[T]:
    """Call `function` in `times` threads that start together; each has its own database
    connection. Returns every result, or raises the first error any thread met."""
    start = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def host() -> None:
        try:
            start.wait(timeout=30)
            results.append(function())
        except BaseException as error:  # re-raised in the calling thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=host) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
