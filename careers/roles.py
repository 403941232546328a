"""Staff roles: Django groups with exact permissions, created by a data migration."""

EDITOR_GROUP = "編集者"
ADVISOR_GROUP = "アドバイザー"
MANAGER_GROUP = "マネージャー"
