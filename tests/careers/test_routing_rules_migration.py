"""The rule sets the data migration publishes decide exactly as the built-in policy did."""

import pytest

from careers.models import RuleSet, Team
from careers.routing_replay import simulate
from careers.rule_selectors import ruleset_published_for
from tests.careers.replay_data import generated_history

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("team", Team.values)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_migrated_rule_set_gives_the_same_decisions_as_the_old_policy(team, seed):
    """1,000 generated leads with pauses, absences, repeats and closes: not one differs."""
    migrated = ruleset_published_for(team=team)
    assert migrated is not None
    assert migrated.version == 1
    history = generated_history(leads=1000, advisors=9, seed=seed)
    old = simulate(history, None)
    new = simulate(history, migrated)
    assert [d.advisor_id for d in new.decisions] == [d.advisor_id for d in old.decisions]
    # The history exercises every branch of the old policy, not only the easy one.
    assert {d.rule.value for d in old.decisions} >= {
        "specialty",
        "both_preferred",
        "both_fallback",
        "continuity",
        "nobody_eligible",
    }
    assert all(d.ruleset["version"] == 1 for d in new.decisions)


def test_the_migration_publishes_one_version_per_team():
    published = RuleSet.objects.filter(status=RuleSet.Status.PUBLISHED)
    assert sorted(published.values_list("team", flat=True)) == sorted(Team.values)
