"""Replay recent leads under a draft rule set and the published one; writes nothing."""

import json

from django.core.management.base import BaseCommand, CommandError

from careers.models import RuleSet, Team
from careers.replay_selectors import ruleset_replay

MAX_DAYS = 366


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise CommandError("--days には日数を整数で指定してください。") from None
    if not 1 <= days <= MAX_DAYS:
        raise CommandError(f"--days は1〜{MAX_DAYS}の範囲で指定してください。")
    return days


class Command(BaseCommand):
    help = (
        "Replay the leads of the last N days under a rule set (by default each team's newest "
        "draft, or its published set when it has none) and compare with the published set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=_days, required=True)
        parser.add_argument("--ruleset", type=int, help="the id of the rule set to replay")
        parser.add_argument("--json", action="store_true", help="print the reports as JSON")

    def handle(self, *args, **options):
        days, ruleset = options["days"], options["ruleset"]
        if ruleset is not None:
            found = RuleSet.objects.filter(id=ruleset).first()
            if found is None:
                raise CommandError(f"ルールセット {ruleset} は見つかりません。")
            rulesets = [found]
        else:
            rulesets = [found for team in Team.values if (found := _newest(team)) is not None]
        reports = [ruleset_replay(ruleset=found, days=days) for found in rulesets]
        if options["json"]:
            self.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2))
            return
        for report in reports:
            self._write(report)

    def _write(self, report: dict) -> None:
        ruleset, published = report["ruleset"], report["published"]
        against = f"v{published['version']}" if published else "組み込みの振り分け"
        self.stdout.write(
            f"{ruleset['name']}(id {ruleset['id']})を{against}と比較: "
            f"過去{report['days']}日のリード {report['leads']}件"
        )
        for row in report["advisors"]:
            self.stdout.write(
                f"  {row['name']}: {row['published']}件 → {row['draft']}件 "
                f"(最大負荷 {row['published_peak']} → {row['draft_peak']} / 上限 {row['capacity']})"
            )
        waiting = report["waiting"]
        self.stdout.write(
            f"  担当が変わるリード {len(report['changes'])}件、"
            f"どのルールにも一致しないリード {len(report['unmatched'])}件、"
            f"担当者なし {waiting['published']}件 → {waiting['draft']}件"
        )
        for name in report["never_matched"]:
            self.stdout.write(f"  一度も一致しなかったルール: {name}")
        for pair in report["shadowed"]:
            self.stdout.write(f"  先のルール「{pair['by']}」に隠れるルール: {pair['rule']}")


def _newest(team: str) -> RuleSet | None:
    sets = RuleSet.objects.filter(team=team)
    draft = sets.filter(status=RuleSet.Status.DRAFT).order_by("-created_at", "-id").first()
    return draft or sets.filter(status=RuleSet.Status.PUBLISHED).first()
