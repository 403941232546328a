"""Each role sees exactly what it may: one matrix of roles × admin pages."""

from http import HTTPStatus

import pytest

from news.models import Article
from newsletter.models import Delivery
from tests.factories import (
    AdvisorFactory,
    ArticleFactory,
    NewsletterIssueFactory,
    ProjectFactory,
    SubscriberFactory,
)
from tests.staff.conftest import assigned_lead

OK, FOUND, FORBIDDEN, NOT_FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FOUND,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
)
A_REF, B_REF = "PW-A-0001", "PW-B-0002"
# Applicants to project X, which advisor F is in charge of, and to project Y, which not;
# both are assigned to another advisor of the freelance team.
X_REF, Y_REF = "PW-X-0003", "PW-Y-0004"
SUBSCRIBER_EMAIL = "reader@example.com"

# (method, path); {a} is advisor A's lead, {x} and {y} the applicants to projects X and Y.
VIEWS = {
    "lead_list": ("get", "/admin/careers/lead/"),
    "lead_of_a": ("get", "/admin/careers/lead/{a}/change/"),
    "history_of_a": ("get", "/admin/careers/lead/{a}/history/"),
    "export": ("post", "/admin/careers/lead/export/"),
    "reassign_a": ("get", "/admin/careers/lead/{a}/reassign/"),
    "dashboard": ("get", "/admin/careers/lead/dashboard/"),
    "article_admin": ("get", "/admin/news/article/"),
    "article_history": ("get", "/admin/news/article/{r}/history/"),
    "article_review": ("get", "/admin/news/article/{r}/review/"),
    "project_admin": ("get", "/admin/projects/project/"),
    "project_add": ("get", "/admin/projects/project/add/"),
    "project_change": ("get", "/admin/projects/project/{p}/change/"),
    "subscriber_list": ("get", "/admin/newsletter/subscriber/"),
    "delivery_list": ("get", "/admin/newsletter/delivery/"),
    "issue_add": ("get", "/admin/newsletter/newsletterissue/add/"),
    "applicant_of_x": ("get", "/admin/careers/lead/{x}/change/"),
    "applicant_of_y": ("get", "/admin/careers/lead/{y}/change/"),
}
# Composing an issue needs how many will get it, never who.
COUNTS_ONLY = (OK, "購読中の人数(テーマ別)", SUBSCRIBER_EMAIL)

# A lead's 履歴 is its timeline, on the lead's own page.
TIMELINE = "/change/#lead-timeline"

# role -> view -> (status, text that must appear, text that must not)
EXPECTED = {
    "anonymous": dict.fromkeys(VIEWS, (FOUND, None, None)),
    "editor": {
        **dict.fromkeys(VIEWS, (FORBIDDEN, None, None)),
        "article_admin": (OK, "記事", None),
        "article_history": (OK, "変更履歴", None),
        "project_admin": (OK, "業務委託の案件", None),
        "project_add": (OK, "案件名", None),
        "project_change": (OK, "保存して下書きに戻す", "保存して公開する"),
        "issue_add": COUNTS_ONLY,
    },
    "chief_editor": {
        **dict.fromkeys(VIEWS, (FORBIDDEN, None, None)),
        "article_admin": (OK, "記事", None),
        "article_history": (OK, "変更履歴", None),
        "article_review": (OK, "承認して公開", None),
        "project_admin": (OK, "業務委託の案件", None),
        "project_add": (OK, "案件名", None),
        "project_change": (OK, "保存して下書きに戻す", "保存して公開する"),
        "issue_add": COUNTS_ONLY,
    },
    "advisor_a": {
        "lead_list": (OK, A_REF, B_REF),
        "lead_of_a": (OK, "高橋 花子", None),
        "history_of_a": (FOUND, TIMELINE, None),
        "export": (FORBIDDEN, None, None),
        "reassign_a": (FORBIDDEN, None, None),
        "dashboard": (FORBIDDEN, None, None),
        "article_admin": (FORBIDDEN, None, None),
        "article_history": (FORBIDDEN, None, None),
        "article_review": (FORBIDDEN, None, None),
        "project_admin": (FORBIDDEN, None, None),
        "project_add": (FORBIDDEN, None, None),
        "project_change": (FORBIDDEN, None, None),
        "subscriber_list": (FORBIDDEN, None, None),
        "delivery_list": (FORBIDDEN, None, None),
        "issue_add": (FORBIDDEN, None, None),
        "applicant_of_x": (NOT_FOUND, None, "山本 翔"),
        "applicant_of_y": (NOT_FOUND, None, "中村 涼"),
    },
    "advisor_b": {
        "lead_list": (OK, B_REF, A_REF),
        "lead_of_a": (NOT_FOUND, None, "高橋 花子"),
        "history_of_a": (NOT_FOUND, None, "高橋 花子"),
        "export": (FORBIDDEN, None, None),
        "reassign_a": (FORBIDDEN, None, None),
        "dashboard": (FORBIDDEN, None, None),
        "article_admin": (FORBIDDEN, None, None),
        "article_history": (FORBIDDEN, None, None),
        "article_review": (FORBIDDEN, None, None),
        "project_admin": (FORBIDDEN, None, None),
        "project_add": (FORBIDDEN, None, None),
        "project_change": (FORBIDDEN, None, None),
        "subscriber_list": (FORBIDDEN, None, None),
        "delivery_list": (FORBIDDEN, None, None),
        "issue_add": (FORBIDDEN, None, None),
        "applicant_of_x": (NOT_FOUND, None, "山本 翔"),
        "applicant_of_y": (NOT_FOUND, None, "中村 涼"),
    },
    # A freelance advisor: their own leads and their projects' applicants, nobody else's.
    "advisor_f": {
        "lead_list": (OK, X_REF, Y_REF),
        "lead_of_a": (NOT_FOUND, None, "高橋 花子"),
        "history_of_a": (NOT_FOUND, None, "高橋 花子"),
        "export": (FORBIDDEN, None, None),
        "reassign_a": (FORBIDDEN, None, None),
        "dashboard": (FORBIDDEN, None, None),
        "article_admin": (FORBIDDEN, None, None),
        "article_history": (FORBIDDEN, None, None),
        "article_review": (FORBIDDEN, None, None),
        "project_admin": (FORBIDDEN, None, None),
        "project_add": (FORBIDDEN, None, None),
        "project_change": (FORBIDDEN, None, None),
        "subscriber_list": (FORBIDDEN, None, None),
        "delivery_list": (FORBIDDEN, None, None),
        "issue_add": (FORBIDDEN, None, None),
        "applicant_of_x": (OK, "山本 翔", None),
        "applicant_of_y": (NOT_FOUND, None, "中村 涼"),
    },
    "manager": {
        "lead_list": (OK, A_REF, None),
        "lead_of_a": (OK, "高橋 花子", None),
        "history_of_a": (FOUND, TIMELINE, None),
        "export": (OK, A_REF, None),
        "reassign_a": (OK, "振り分けルールによるおすすめ", None),
        "dashboard": (OK, "日別のリード数", None),
        "article_admin": (FORBIDDEN, None, None),
        "article_history": (FORBIDDEN, None, None),
        "article_review": (FORBIDDEN, None, None),
        "project_admin": (OK, "業務委託の案件", None),
        "project_add": (OK, "案件名", None),
        "project_change": (OK, "保存して公開する", None),
        "subscriber_list": (OK, SUBSCRIBER_EMAIL, None),
        "delivery_list": (OK, SUBSCRIBER_EMAIL, None),
        "issue_add": (FORBIDDEN, None, None),
        "applicant_of_x": (OK, "山本 翔", None),
        "applicant_of_y": (OK, "中村 涼", None),
    },
    "superuser": {
        "lead_list": (OK, B_REF, None),
        "lead_of_a": (OK, "高橋 花子", None),
        "history_of_a": (FOUND, TIMELINE, None),
        "export": (OK, B_REF, None),
        "reassign_a": (OK, "振り分けルールによるおすすめ", None),
        "dashboard": (OK, "日別のリード数", None),
        "article_admin": (OK, "記事", None),
        "article_history": (OK, "変更履歴", None),
        "article_review": (OK, "承認して公開", None),
        "project_admin": (OK, "業務委託の案件", None),
        "project_add": (OK, "案件名", None),
        "project_change": (OK, "保存して公開する", None),
        "subscriber_list": (OK, SUBSCRIBER_EMAIL, None),
        "delivery_list": (OK, SUBSCRIBER_EMAIL, None),
        "issue_add": COUNTS_ONLY,
        "applicant_of_x": (OK, "山本 翔", None),
        "applicant_of_y": (OK, "中村 涼", None),
    },
}


def _applicants(advisor_f):
    """An applicant to a project of advisor F's and one to another project, both assigned
    to a colleague of the freelance team (so only the project makes X visible to F)."""
    colleague = AdvisorFactory(name="業務委託の同僚", team="freelance", capacity=20)
    theirs = ProjectFactory(title="Fの担当案件")
    theirs.advisors.add(advisor_f.user)
    other = ProjectFactory(title="ほかの案件")
    applicants = []
    for project, name, reference in ((theirs, "山本 翔", X_REF), (other, "中村 涼", Y_REF)):
        lead = assigned_lead(colleague, name=name, kind="freelance", project=project)
        type(lead).objects.filter(pk=lead.pk).update(reference=reference)
        applicants.append(lead)
    return applicants


CASES = [(role, view) for role, views in EXPECTED.items() for view in views]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "view"), CASES, ids=[f"{r}-{v}" for r, v in CASES])
def test_each_role_sees_exactly_what_it_may(request, client, role, view):
    """Anonymous → login; editors news and projects (submitting, not publishing), 編集長 the
    same and the articles' review; advisors their own leads (404 for others'); managers all
    leads, exports, reassignment, the dashboard, publishing projects and the subscribers
    (editors see only their counts); superusers everything. A freelance advisor sees the
    applicants to the projects they are in charge of (Project.advisors), no others."""
    lead_of_a = request.getfixturevalue("lead_of_a")
    lead_of_b = request.getfixturevalue("lead_of_b")
    type(lead_of_a).objects.filter(pk=lead_of_a.pk).update(reference=A_REF)
    type(lead_of_b).objects.filter(pk=lead_of_b.pk).update(reference=B_REF)
    in_review = ArticleFactory(title="記事のテスト", review_status=Article.ReviewStatus.IN_REVIEW)
    project = ProjectFactory(title="業務委託の案件のテスト", status="review", opened_at=None)
    applicant_of_x, applicant_of_y = _applicants(request.getfixturevalue("advisor_f"))
    Delivery.objects.create(
        issue=NewsletterIssueFactory(), subscriber=SubscriberFactory(email=SUBSCRIBER_EMAIL)
    )
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user.user if role.startswith("advisor") else user)

    method, path = VIEWS[view]
    response = getattr(client, method)(
        path.format(
            a=lead_of_a.pk, r=in_review.pk, p=project.pk, x=applicant_of_x.pk, y=applicant_of_y.pk
        )
    )

    status, present, absent = EXPECTED[role][view]
    assert response.status_code == status
    if status == FOUND:
        # To the login page, or (a lead's 履歴) to its one history, the timeline on its page.
        assert (present or "/admin/login/") in response["Location"]
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    if present:
        assert present in text
    if absent:
        assert absent not in text
