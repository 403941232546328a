"""Create the demo superuser `admin` once, with a random password kept in var/."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.VAR_DIR / "demo-admin-password"


class Command(BaseCommand):
    help = "Create the superuser 'admin' if no superuser exists, and say how to log in."

    def handle(self, *args, **options):
        user_model = get_user_model()
        login_url = f"{settings.SITE_URL}/admin/"
        if user_model.objects.filter(is_superuser=True).exists():
            if PASSWORD_FILE.exists():
                self.stdout.write(f"Admin: {login_url}  user: admin  password: see {PASSWORD_FILE}")
            else:
                self.stdout.write(f"Admin: {login_url}  (log in with your existing superuser)")
            return

        # Never a known password: a demo left running on a network must not be an open door.
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        user_model.objects.create_superuser("admin", "admin@plusweb3.example", password)
        PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
        PASSWORD_FILE.write_text(password + "\n")
        PASSWORD_FILE.chmod(0o600)
        self.stdout.write(self.style.SUCCESS("Created the demo superuser."))
        self.stdout.write(f"Admin: {login_url}  user: admin  password: {password}")
        self.stdout.write(f"(The password is also in {PASSWORD_FILE}.)")
