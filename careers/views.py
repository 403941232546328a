"""The lead forms and their thank-you pages: thin doors into careers.services.capture.

The candidates' consultation form, the companies' inquiry form (/recruiters/) and the
application to a project (/projects/<slug>/apply/) are LeadFlow configurations of the same
two views, so all get the same size check, CSRF check, rate limits, attribution,
POST/redirect/GET and no-store headers.
"""

import logging
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import View

from careers.attribution import attribution_for, first_touch_remember
from careers.forms import (
    CompanyInquiryForm,
    ConsultationForm,
    FreelanceApplicationForm,
    LeadForm,
)
from careers.models import Lead
from careers.services.capture import lead_create
from core.ratelimit import client_ip, submission_rate_limit, too_many_requests
from projects.models import Project

logger = logging.getLogger(__name__)

# The session remembers which reference this browser submitted, so only it sees the details.
SUBMITTED_SESSION_KEY = "careers_submitted_reference"


@dataclass(frozen=True)
class LeadFlow:
    """One lead form of the site; `name` is its URL path, templates, URL names and limits."""

    name: str
    form_class: type[LeadForm]

    @property
    def form_template(self) -> str:
        return f"careers/{self.name}.html"

    @property
    def thanks_template(self) -> str:
        return f"careers/{self.name}_thanks.html"

    @property
    def _thanks_signer(self) -> signing.Signer:
        # One salt per form: a reference signed for one thank-you page opens no other.
        return signing.Signer(salt=f"careers.{self.name}.thanks")

    def thanks_token(self, reference: str) -> str:
        """The thank-you URL names the lead by a signed reference: no personal data, no guessing."""
        # No timestamp: the same lead always gets the same URL (a double-click lands on one page).
        return self._thanks_signer.sign_object(reference)

    def thanks_reference(self, token: str) -> str:
        """The reference a thank-you token names; Http404 for anything we did not sign."""
        try:
            return self._thanks_signer.unsign_object(token)
        except signing.BadSignature:
            raise Http404 from None

    def thanks_url(self, reference: str) -> str:
        return reverse(
            f"careers:{self.name}_thanks", kwargs={"token": self.thanks_token(reference)}
        )


CONSULTATION = LeadFlow(name="consultation", form_class=ConsultationForm)
RECRUITERS = LeadFlow(name="recruiters", form_class=CompanyInquiryForm)
APPLY = LeadFlow(name="apply", form_class=FreelanceApplicationForm)


def _body_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return True
    try:
        request.POST  # noqa: B018 - parsing is the check
    except RequestDataTooBig:
        return True
    return False


def refuse_oversized_body(view):
    """Answer an oversized POST with the Japanese 413 page before anything else reads it.

    CsrfViewMiddleware reads request.POST before any view runs, and the RequestDataTooBig it
    meets becomes the generic 400 page. So the wrapper opts out of the middleware and runs
    the very same CSRF check (csrf_protect) itself, right after the size check.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and _body_too_large(request):
            return render(
                request,
                "careers/request_too_large.html",
                status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def remember_submission(request, reference: str) -> None:
    """Let this browser see its details on the thank-you page, if the session can be saved.

    Saved here rather than by SessionMiddleware after the view: the lead is committed, and
    a database that fails now (a failed session save is the middleware's 400) must not
    take the candidate's thank-you page away. Without the session that page still shows
    the reference, only not the name and address.
    """
    session = request.session
    session[SUBMITTED_SESSION_KEY] = reference
    key_before = session.session_key
    try:
        session.save()
    except (DatabaseError, UpdateError):
        logger.warning("lead %s saved but its session was not", reference, exc_info=True)
        session.modified = False
        return
    # Saved once is enough; only a new session key still needs the middleware's cookie.
    session.modified = session.session_key != key_before


class LeadFormView(View):
    """GET shows the form; a valid POST saves the lead and redirects (303) to its thank-you page."""

    flow: LeadFlow | None = None  # as_view(flow=...)

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return never_cache(
            require_http_methods(["GET", "HEAD", "POST"])(refuse_oversized_body(view))
        )

    def get(self, request, **kwargs):
        response = self.form_page(
            self.make_form(initial=self.flow.form_class.preselected(request.GET))
        )
        first_touch_remember(request, response, form=self.flow.name)
        return response

    def post(self, request, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            return self.capture(form)
        return self.form_page(form)

    def make_form(self, data=None, initial=None) -> LeadForm:
        return self.flow.form_class(data, initial=initial)

    def form_page(self, form: LeadForm, **context):
        return render(
            self.request,
            self.flow.form_template,
            {
                "form": form,
                "error_summary": form.error_summary() if form.is_bound else [],
                **context,
            },
        )

    def capture(self, form: LeadForm):
        request = self.request
        ip = client_ip(request)
        retry_after = submission_rate_limit(
            form=self.flow.name, ip=ip, email=form.cleaned_data["email"]
        )
        if retry_after:
            return too_many_requests(request, retry_after)
        lead = lead_create(
            details=form.lead_details(),
            attribution=attribution_for(request, form=self.flow.name),
            ip_address=ip,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            spam_reasons=form.trap_reasons,
            fill_seconds=form.fill_seconds,
            submission_key=form.submission_key,
        )
        remember_submission(request, lead.reference)
        # 303: the browser GETs the thank-you page, so reloading it never posts the form again.
        response = HttpResponseRedirect(self.flow.thanks_url(lead.reference))
        response.status_code = HTTPStatus.SEE_OTHER
        return response


class LeadThanksView(View):
    """The thank-you page of a signed reference; the details only for the submitting browser."""

    flow: LeadFlow | None = None  # as_view(flow=...)

    @classmethod
    def as_view(cls, **initkwargs):
        return never_cache(require_safe(super().as_view(**initkwargs)))

    def get(self, request, token: str):
        reference = self.flow.thanks_reference(token)
        lead = None
        # Name and email only for the browser that sent the form; the URL alone shows neither.
        if request.session.get(SUBMITTED_SESSION_KEY) == reference:
            lead = Lead.objects.filter(reference=reference, kind=self.flow.form_class.kind).first()
        return render(request, self.flow.thanks_template, {"reference": reference, "lead": lead})


class ProjectApplicationView(LeadFormView):
    """The apply form of one open project. A closed project's page says so and stores nothing."""

    def dispatch(self, request, slug):
        self.project = Project.objects.accepting().filter(slug=slug).first()
        if self.project is None:
            closed = Project.objects.public().filter(slug=slug).first()
            if closed is None:
                raise Http404
            return render(
                request, "careers/apply_closed.html", {"project": closed}, status=HTTPStatus.GONE
            )
        return super().dispatch(request)

    def make_form(self, data=None, initial=None) -> LeadForm:
        return self.flow.form_class(data, initial=initial, project=self.project)

    def form_page(self, form: LeadForm, **context):
        return super().form_page(form, project=self.project, **context)


consultation = LeadFormView.as_view(flow=CONSULTATION)
consultation_thanks = LeadThanksView.as_view(flow=CONSULTATION)
recruiters = LeadFormView.as_view(flow=RECRUITERS)
recruiters_thanks = LeadThanksView.as_view(flow=RECRUITERS)
project_apply = ProjectApplicationView.as_view(flow=APPLY)
apply_thanks = LeadThanksView.as_view(flow=APPLY)
