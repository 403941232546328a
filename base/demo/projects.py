"""Demo content for `manage.py load_demo_content`: a dozen open projects and two closed ones.

Idempotent: a project is found by slug and left as it is, so a second run changes
nothing and never overwrites staff's edits. Dates are relative to today, so the
demo's open projects are open whenever it is loaded. Skills are news tags: the ones
the demo articles carry (生成AI, イーサリアム, …) link projects and articles.
"""

from datetime import timedelta

from django.utils import timezone

from base.demo.project_data import PROJECTS, SKILLS
from news.models import Tag
from projects.models import MAN_YEN, Project, ProjectEvent


def load() -> str:
    tags = _skill_tags()
    created = sum(_create(item, tags) for item in PROJECTS)
    return f"{created} projects created, {len(PROJECTS) - created} already there"


def _skill_tags() -> dict[str, Tag]:
    return {
        slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in SKILLS.items()
    }


def _create(item: dict, tags: dict[str, Tag]) -> bool:
    if Project.objects.filter(slug=item["slug"]).exists():
        return False
    now = timezone.now()
    item = dict(item)
    opened_days_ago = item.pop("opened_days_ago")
    closes_in_days = item.pop("closes_in_days")
    skills = item.pop("skills")
    welcome_skills = item.pop("welcome_skills", [])
    final_status = item.pop("status", Project.Status.OPEN)
    unit = item.get("rate_unit", Project.RateUnit.MONTHLY)
    scale = MAN_YEN if unit == Project.RateUnit.MONTHLY else 1
    project = Project.objects.create(
        **{
            **item,
            "rate_min": item["rate_min"] * scale,
            "rate_max": item["rate_max"] * scale,
            "status": final_status,
            "opened_at": now - timedelta(days=opened_days_ago),
            "closes_at": now + timedelta(days=closes_in_days),
            "starts_on": timezone.localdate(now + timedelta(days=closes_in_days + 14)),
        }
    )
    project.skills.set([tags[slug] for slug in skills])
    project.welcome_skills.set([tags[slug] for slug in welcome_skills])
    # The history the workflow would have written; the demo has no staff behind it.
    steps = [Project.Status.DRAFT, Project.Status.REVIEW, Project.Status.OPEN]
    if final_status != Project.Status.OPEN:
        steps.append(final_status)
    ProjectEvent.objects.bulk_create(
        ProjectEvent(project=project, from_status=before, to_status=after)
        for before, after in zip(["", *steps], steps, strict=False)
    )
    return True
