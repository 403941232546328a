"""Who may publish: superusers and the 編集長 (chief editor) role, never an editor alone."""

CHIEF_EDITOR_GROUP = "編集長"
PUBLISH_ARTICLE = "news.publish_article"


def can_publish(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_ARTICLE)
