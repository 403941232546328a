"""The privacy policy's versions: the one source of the version a person agrees to.

Each version is a file (templates/privacy/policy_v<N>.html) and an entry below with the
date it takes effect; the files of earlier versions stay, so what anyone agreed to can be
read again. To change the policy, add a file and an entry: /privacy/ shows the newest one
in effect, and every lead and newsletter subscriber records its version.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone


@dataclass(frozen=True)
class PolicyVersion:
    version: str
    effective_on: date
    template: str


POLICY_VERSIONS = (
    PolicyVersion("1", date(2026, 11, 1), "privacy/policy_v1.html"),
    # States each retention period (LEAD_RETENTION_*_DAYS): changing one is a new version.
    PolicyVersion("2", date(2026, 12, 3), "privacy/policy_v2.html"),
)


def policy_current(*, today: date | None = None) -> PolicyVersion:
    """The newest version in effect today (Japan time)."""
    today = today or timezone.localdate()
    in_effect = [policy for policy in POLICY_VERSIONS if policy.effective_on <= today]
    return max(in_effect or POLICY_VERSIONS[:1], key=lambda policy: policy.effective_on)
