"""Cache invalidation only: editing a project, a skill tag or an article makes project pages stale.

Articles count because a project's page lists related articles through shared tags.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from news.models import Article, Tag
from projects.cache import PROJECT_PAGES
from projects.models import Project


def invalidate_pages(sender, **kwargs):
    PROJECT_PAGES.bump_generation()


def invalidate_pages_and_closing_time(sender, **kwargs):
    PROJECT_PAGES.bump_generation()
    # A new or moved closing time changes how long pages may be cached.
    PROJECT_PAGES.remember_next_change()


def invalidate_pages_on_relation_change(sender, action, **kwargs):
    if action.startswith("post_"):
        PROJECT_PAGES.bump_generation()


for event, signal in (("save", post_save), ("delete", post_delete)):
    signal.connect(
        invalidate_pages_and_closing_time, sender=Project, dispatch_uid=f"projects-project-{event}"
    )
    for model in (Tag, Article):
        signal.connect(
            invalidate_pages,
            sender=model,
            dispatch_uid=f"projects-{model._meta.model_name}-{event}",
        )

for relation in (Project.skills.through, Project.welcome_skills.through, Article.tags.through):
    m2m_changed.connect(
        invalidate_pages_on_relation_change,
        sender=relation,
        dispatch_uid=f"projects-{relation._meta.model_name}-m2m",
    )
