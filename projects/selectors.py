"""Reads for the project pages: the filtered list, one project, and what relates to it."""

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q

from news.models import Article, Tag
from projects.filters import ProjectFilters
from projects.models import Project

RELATED_PROJECTS = 4
RELATED_ARTICLES = 3


def project_list(*, filters: ProjectFilters):
    """Open projects matching `filters`, newest first, with their required skills ready."""
    return (
        filters.apply(Project.objects.accepting())
        .for_cards()
        .prefetch_related(Prefetch("skills", queryset=Tag.objects.only("slug", "name")))
        .order_by("-opened_at", "-id")
    )


def project_for_page(*, slug: str) -> Project | None:
    """The project at `slug` in any state (the view decides who may see it), skills prefetched."""
    return Project.objects.prefetch_related("skills", "welcome_skills").filter(slug=slug).first()


def _tag_ids(project: Project) -> list[int]:
    return sorted({tag.pk for tag in (*project.skills.all(), *project.welcome_skills.all())})


def related_projects(*, project: Project) -> list[Project]:
    """Open projects ranked by shared skills, then same role, then field, then newest.

    For a closed project these are the similar open ones its page points to.
    """
    tag_ids = _tag_ids(project)
    shared = Count("skills", filter=Q(skills__in=tag_ids), distinct=True) + Count(
        "welcome_skills", filter=Q(welcome_skills__in=tag_ids), distinct=True
    )
    return list(
        Project.objects.accepting()
        .for_cards()
        .exclude(pk=project.pk)
        .annotate(
            shared_skills=shared,
            same_role=ExpressionWrapper(Q(role=project.role), output_field=BooleanField()),
            same_field=ExpressionWrapper(
                Q(field__in=[project.field, Project.Field.BOTH]), output_field=BooleanField()
            ),
        )
        .order_by("-shared_skills", "-same_role", "-same_field", "-opened_at", "-id")[
            :RELATED_PROJECTS
        ]
    )


def related_articles(*, project: Project) -> list[Article]:
    """Public articles sharing the most tags with the project's skills; none if none shares."""
    tag_ids = _tag_ids(project)
    if not tag_ids:
        return []
    return list(
        Article.objects.public()
        .for_lists()
        .filter(tags__in=tag_ids)
        .annotate(shared_tags=Count("tags", distinct=True))
        .order_by("-shared_tags", "-published_at", "-id")[:RELATED_ARTICLES]
    )
