"""Admin login throttling: a lockout after repeated failures per IP address and per username.

A cache-based counter rather than django-axes: it needs no extra dependency, tables or
middleware, costs no database write per attempt, and with REDIS_URL set the counters are
shared by every web node. The check runs before the password is tried, so during a
lockout even the right password is refused and guessing learns nothing.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.ratelimit import client_ip, counters

logger = logging.getLogger(__name__)

KEY_PREFIX = "admin-login-failures"


class LoginThrottle:
    def __init__(self, *, ip: str, username: str):
        # Hashed so any typed username makes a short, safe cache key.
        username_digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        self.ip_key = f"{KEY_PREFIX}:ip:{ip}"
        self.username_key = f"{KEY_PREFIX}:user:{username_digest}"

    def is_locked(self) -> bool:
        counts = counters().get_many([self.ip_key, self.username_key])
        return (
            counts.get(self.username_key, 0) >= settings.ADMIN_LOGIN_MAX_FAILURES
            or counts.get(self.ip_key, 0) >= settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP
        )

    def record_failure(self) -> None:
        for key in (self.ip_key, self.username_key):
            # The window starts at the first failure; incr keeps that expiry.
            counters().add(key, 0, timeout=settings.ADMIN_LOGIN_LOCKOUT_SECONDS)
            try:
                counters().incr(key)
            except ValueError:
                # Expired between add and incr: start a new window.
                counters().set(key, 1, timeout=settings.ADMIN_LOGIN_LOCKOUT_SECONDS)

    def record_success(self) -> None:
        # Only the username: one good login must not wipe an address's failures.
        counters().delete(self.username_key)


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _(
            "ログインの失敗が続いたため、一時的にログインできません。"
            "しばらく時間をおいてから再度お試しください。"
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = (client_ip(self.request) if self.request else "") or "unknown"
        throttle = LoginThrottle(ip=ip, username=username)
        if throttle.is_locked():
            logger.warning("admin login refused during lockout (ip=%s)", ip)
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if error.code in {"invalid_login", "inactive"}:
                throttle.record_failure()
            raise
        throttle.record_success()
        return cleaned_data
