"""Applications to 業務委託案件: the freelance kind and team, the lead's project and answers.

The freelance team starts from the same version 1 rule set as the other teams (0009),
which decides exactly as the built-in policy; its values are frozen here.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def create_freelance_ruleset(apps, schema_editor):
    RuleSet = apps.get_model("careers", "RuleSet")
    Rule = apps.get_model("careers", "Rule")
    Condition = apps.get_model("careers", "Condition")
    if RuleSet.objects.filter(team="freelance").exists():
        return
    ruleset = RuleSet.objects.create(
        name="業務委託チームの振り分け",
        team="freelance",
        status="published",
        version=1,
        default="wait",
        published_at=timezone.now(),
    )
    both = Rule.objects.create(
        ruleset=ruleset,
        position=10,
        name="「両方」の応募は「両方」専門のアドバイザーを優先",
        specialty="both",
        method="load_balance",
    )
    Condition.objects.create(rule=both, fact="interest", operator="is", value="both")
    Rule.objects.create(
        ruleset=ruleset, position=20, name="専門領域が合うアドバイザーに負荷分散", method="load_balance"
    )


def remove_freelance_ruleset(apps, schema_editor):
    # Children first, by id and without the deletion collector: in a historical app registry
    # it can compare a Rule with another rendering of Rule and refuse the cascade.
    alias = schema_editor.connection.alias
    rulesets = apps.get_model("careers", "RuleSet").objects.filter(team="freelance")
    ruleset_ids = list(rulesets.values_list("id", flat=True))
    rules = apps.get_model("careers", "Rule").objects.filter(ruleset_id__in=ruleset_ids)
    rule_ids = list(rules.values_list("id", flat=True))
    apps.get_model("careers", "Condition").objects.filter(rule_id__in=rule_ids)._raw_delete(alias)
    apps.get_model("careers", "RuleMember").objects.filter(rule_id__in=rule_ids)._raw_delete(alias)
    rules._raw_delete(alias)
    rulesets._raw_delete(alias)


class Migration(migrations.Migration):

    dependencies = [
        ('careers', '0011_lead_invariants'),
        ('projects', '0002_staff_roles'),
    ]

    operations = [
        migrations.AddField(
            model_name='lead',
            name='available_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='稼働できる日数(週)'),
        ),
        migrations.AddField(
            model_name='lead',
            name='desired_rate',
            field=models.CharField(blank=True, max_length=60, verbose_name='希望単価'),
        ),
        migrations.AddField(
            model_name='lead',
            name='portfolio_url',
            field=models.URLField(blank=True, max_length=300, verbose_name='ポートフォリオ・GitHub'),
        ),
        migrations.AddField(
            model_name='lead',
            name='project',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='applications', to='projects.project', verbose_name='応募した案件'),
        ),
        migrations.AddField(
            model_name='lead',
            name='skills',
            field=models.CharField(blank=True, max_length=300, verbose_name='スキル'),
        ),
        migrations.AlterField(
            model_name='advisor',
            name='team',
            field=models.CharField(choices=[('career', 'キャリアアドバイザー'), ('sales', '法人営業'), ('freelance', '業務委託チーム')], db_index=True, default='career', max_length=10, verbose_name='チーム'),
        ),
        migrations.AlterField(
            model_name='lead',
            name='kind',
            field=models.CharField(choices=[('candidate', '求職者'), ('company', '採用企業'), ('freelance', '業務委託')], db_index=True, default='candidate', max_length=10, verbose_name='種別'),
        ),
        migrations.AlterField(
            model_name='routingpool',
            name='team',
            field=models.CharField(choices=[('career', 'キャリアアドバイザー'), ('sales', '法人営業'), ('freelance', '業務委託チーム')], max_length=10, unique=True, verbose_name='チーム'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='team',
            field=models.CharField(choices=[('career', 'キャリアアドバイザー'), ('sales', '法人営業'), ('freelance', '業務委託チーム')], max_length=10, verbose_name='チーム'),
        ),
        migrations.RunPython(create_freelance_ruleset, remove_freelance_ruleset),
    ]
