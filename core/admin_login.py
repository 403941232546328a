"""Admin login throttling: a lockout after repeated attempts per client network and per username.

Hand-written rather than django-axes 8: axes checks its lock before the password and counts the
failure after it, so parallel guesses all pass the check; it keys the exact address, not an
IPv6 /64; and it has no fail-closed mode or growing lockout. Here:

- every attempt is counted with an atomic INCR *before* the password is tried, so each of N
  parallel guesses gets its own number and only the first ADMIN_LOGIN_MAX_FAILURES are tried;
- the client is its network (core.ratelimit.client_network: an IPv4 address or an IPv6 /64);
- the counters live in their own cache (CACHES["counters"]); when it cannot be reached, the
  login is refused with a message saying why, because an uncounted admin login is a free
  brute force;
- a lockout is short at first and doubles with each one in a day, up to a cap, so strangers
  who know a username can delay its owner but never lock them out for long.
"""

import contextlib
import hashlib
import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.ratelimit import client_ip, client_network, counters

logger = logging.getLogger(__name__)

KEY_PREFIX = "admin-login"
# How long a username or network's past lockouts count toward the next one's length.
LOCKOUT_MEMORY_SECONDS = 24 * 60 * 60


def lockout_seconds(level: int) -> int:
    """The length of the level-th lockout in a day: the first is short, each next one doubles."""
    return min(
        settings.ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS * 2 ** (level - 1),
        settings.ADMIN_LOGIN_MAX_LOCKOUT_SECONDS,
    )


def _digest(value: str) -> str:
    # Any typed username or address makes a short, safe cache key that does not show it.
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _count(key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` (started with `timeout`) and return the new count."""
    store = counters()
    for _attempt in range(2):
        store.add(key, 0, timeout=timeout)
        try:
            return store.incr(key)
        except ValueError:
            # Expired between add and incr: start it again.
            continue
    raise RuntimeError(f"counter {key} could not be started")


class LoginThrottle:
    def __init__(self, *, ip: str, username: str):
        network = client_network(ip) or ip or "unknown"
        self.ip_key = f"{KEY_PREFIX}:ip:{_digest(network)}"
        self.username_key = f"{KEY_PREFIX}:user:{_digest(username)}"

    def attempt(self) -> bool:
        """Count this attempt; False when it is over a limit and the password must not be tried.

        The network is counted first: a client already over its own limit adds nothing to a
        username's count, so one stranger cannot keep a colleague locked out alone.
        """
        limits = (
            (self.ip_key, settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP),
            (self.username_key, settings.ADMIN_LOGIN_MAX_FAILURES),
        )
        for key, limit in limits:
            count = _count(key, timeout=settings.ADMIN_LOGIN_WINDOW_SECONDS)
            if count == limit + 1:
                # Exactly one attempt sees this number, so one lockout starts, not many.
                self._lock(key)
            if count > limit:
                return False
        return True

    def _lock(self, key: str) -> None:
        level = _count(f"{key}:lockouts", timeout=LOCKOUT_MEMORY_SECONDS)
        # The counter itself is the lock: it stays over the limit until it expires, and
        # attempts refused meanwhile do not extend it.
        counters().touch(key, lockout_seconds(level))
        logger.warning("admin login locked (%s, lockout %d today)", key.split(":")[1], level)

    def forgive(self) -> None:
        """After a successful login: the username starts afresh; the network's own attempt
        is taken back, but not its failures."""
        store = counters()
        store.delete_many([self.username_key, f"{self.username_key}:lockouts"])
        # ValueError: the window ended meanwhile, and there is nothing to take back.
        with contextlib.suppress(ValueError):
            store.decr(self.ip_key)


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _(
            "ログインの失敗が続いたため、一時的にログインできません。"
            "しばらく時間をおいてから再度お試しください。"
        ),
        "unavailable": _(
            "ログイン回数を確認できないため、現在ログインできません。"
            "数分後に再度お試しください。続く場合はシステム担当者にご連絡ください。"
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else ""
        throttle = LoginThrottle(ip=ip, username=username)
        try:
            allowed = throttle.attempt()
        except Exception:
            logger.exception("admin login counters unavailable; refusing the login")
            raise ValidationError(self.error_messages["unavailable"], code="unavailable") from None
        if not allowed:
            logger.warning("admin login refused during lockout (ip=%s)", ip)
            raise ValidationError(self.error_messages["locked"], code="locked")
        cleaned_data = super().clean()
        try:
            throttle.forgive()
        except Exception:
            # The person is logged in; stale counts only expire later than they should.
            logger.warning("admin login counters unavailable after a login", exc_info=True)
        return cleaned_data
