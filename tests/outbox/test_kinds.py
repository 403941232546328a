"""Every kind of email a sender queues has a name in staff's words (outbox.kinds)."""

import re
from pathlib import Path

from django.conf import settings

from careers.booking.emails import _INVITATION_OCCASIONS, Occasion
from outbox.kinds import KIND_LABELS, kind_label

SENDERS = ("careers", "news", "newsletter", "projects")
# kind="lead_assigned" in a call, or a module constant such as DIGEST_KIND = "…".
LITERAL_KIND = re.compile(r'\bkind="([a-z_]+)"|_KIND = "([a-z_]+)"')


def _kinds_in_code() -> set[str]:
    kinds = set()
    for app in SENDERS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in LITERAL_KIND.finditer(path.read_text()):
                kinds.add(match.group(1) or match.group(2))
    # careers.booking.emails builds its kinds from the occasion.
    kinds |= {f"booking_{occasion.value}" for occasion in Occasion}
    kinds |= {f"booking_{occasion.value}_advisor" for occasion in _INVITATION_OCCASIONS}
    return kinds


def test_every_kind_a_sender_queues_has_a_japanese_name():
    kinds = _kinds_in_code()
    assert "lead_confirmation" in kinds
    assert kinds - set(KIND_LABELS) == set()


def test_an_unknown_kind_reads_as_other_never_as_its_code():
    assert kind_label("something_new") == "その他のメール"
