"""Version 1 of each team's rule set, reproducing the built-in policy, and the managers' rights.

The built-in policy (careers.routing.decide) after the hard constraints and continuity:
an interest of "both" goes to a "both" specialist first, anyone eligible otherwise, by
lowest load. Two rules and a "wait" default say exactly that; the proof is
tests/careers/test_routing_rules_migration.py over 1,000 generated leads.
Values are frozen here (never import models in a migration).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

TEAMS = {"career": "キャリアアドバイザーの振り分け", "sales": "法人営業の振り分け"}
MANAGER_GROUP = "マネージャー"
RULE_MODELS = ("ruleset", "rule", "rulemember", "condition")


def create_rulesets(apps, schema_editor):
    RuleSet = apps.get_model("careers", "RuleSet")
    Rule = apps.get_model("careers", "Rule")
    Condition = apps.get_model("careers", "Condition")
    for team, name in TEAMS.items():
        if RuleSet.objects.filter(team=team).exists():
            continue
        ruleset = RuleSet.objects.create(
            name=name,
            team=team,
            status="published",
            version=1,
            default="wait",
            published_at=timezone.now(),
        )
        both = Rule.objects.create(
            ruleset=ruleset,
            position=10,
            name="「両方」の相談は「両方」専門のアドバイザーを優先",
            specialty="both",
            method="load_balance",
        )
        Condition.objects.create(rule=both, fact="interest", operator="is", value="both")
        Rule.objects.create(
            ruleset=ruleset,
            position=20,
            name="専門領域が合うアドバイザーに負荷分散",
            method="load_balance",
        )


def grant_managers(apps, schema_editor):
    create_permissions(global_apps.get_app_config("careers"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    codenames = [
        f"{action}_{model}"
        for model in RULE_MODELS
        for action in ("view", "add", "change", "delete")
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="careers", codename__in=codenames)
    )


def remove_rulesets(apps, schema_editor):
    # Children first, by id and without the deletion collector: in a historical app registry
    # it can compare a Rule with another rendering of Rule and refuse the cascade.
    alias = schema_editor.connection.alias
    rulesets = apps.get_model("careers", "RuleSet").objects.filter()
    ruleset_ids = list(rulesets.values_list("id", flat=True))
    rules = apps.get_model("careers", "Rule").objects.filter(ruleset_id__in=ruleset_ids)
    rule_ids = list(rules.values_list("id", flat=True))
    apps.get_model("careers", "Condition").objects.filter(rule_id__in=rule_ids)._raw_delete(alias)
    apps.get_model("careers", "RuleMember").objects.filter(rule_id__in=rule_ids)._raw_delete(alias)
    rules._raw_delete(alias)
    rulesets._raw_delete(alias)


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0008_routing_rules"),
    ]

    operations = [
        migrations.RunPython(create_rulesets, remove_rulesets),
        migrations.RunPython(grant_managers, migrations.RunPython.noop),
    ]
