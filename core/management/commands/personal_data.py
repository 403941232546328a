"""Personal-data requests from the shell: the same disclosure and erasure as the admin page."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from core.normalization import email_comparison_key
from core.personal_data import disclosure_is_empty, personal_data_disclose, personal_data_erase


class Command(BaseCommand):
    help = (
        "Answer a personal-data request for one email address: `disclose EMAIL` prints "
        "everything stored about it as JSON; `erase EMAIL --reason TEXT` anonymises it "
        "everywhere. Check the requester's identity first."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        disclose = actions.add_parser("disclose", help="Print the JSON document to stdout.")
        disclose.add_argument("email")
        erase = actions.add_parser("erase", help="Anonymise every record of the address.")
        erase.add_argument("email")
        erase.add_argument(
            "--reason",
            required=True,
            help="Why (kept in the lead's history, with the person's identifiers removed).",
        )
        for action in (disclose, erase):
            action.add_argument("--by", help="Username of the staff member answering.")

    def handle(self, *args, action, email, by=None, reason="", **options):
        email = email_comparison_key(email)
        if "@" not in email:
            raise CommandError("EMAIL must be an email address.")
        actor = None
        if by:
            actor = get_user_model().objects.filter(username=by).first()
            if actor is None:
                raise CommandError(f"No user named {by!r}.")
        if action == "disclose":
            document = personal_data_disclose(email=email, actor=actor)
            if disclosure_is_empty(document):
                self.stderr.write("該当するデータはありません。")
            self.stdout.write(
                json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
            return
        if not reason.strip():
            raise CommandError("--reason must say why.")
        counts = personal_data_erase(email=email, actor=actor, reason=reason.strip())
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(f"Anonymised ({summary}).")
