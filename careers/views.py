"""The lead forms and their thank-you pages: thin doors into careers.services.capture.

The candidates' consultation form, the companies' inquiry form (/recruiters/) and the
application to a project (/projects/<slug>/apply/) are LeadFlow configurations of the same
two views, so all get the same size check, CSRF check, rate limits, attribution,
POST/redirect/GET and no-store headers.
"""

from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig
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
from careers.selectors import lead_for_thanks_page
from careers.services.capture import lead_create
from core.ratelimit import client_ip, submission_rate_limit, too_many_requests
from projects.models import Project


@dataclass(frozen=True)
class LeadFlow:
    """One lead form of the site; `name` is its URL path, templates, URL names and limits.

    `pages` names the URL of the part of the site its forms live under (by default the
    form's own): its first-touch cookie is sent back there only.
    """

    name: str
    form_class: type[LeadForm]
    pages: str = ""

    @property
    def first_touch_path(self) -> str:
        return reverse(self.pages or f"careers:{self.name}")

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

    @property
    def submitted_cookie_name(self) -> str:
        return f"submitted_{self.name}"

    @property
    def _submitted_signer(self) -> signing.TimestampSigner:
        # Its own salt: a thank-you URL's token is no proof of having sent the form.
        return signing.TimestampSigner(salt=f"careers.{self.name}.submitted")

    def thanks_redirect(self, reference: str) -> HttpResponseRedirect:
        """303 to the thank-you page of `reference`, with a cookie that lets this browser, and
        no other, see the details there.

        A signed cookie sent only to that page, not the session: sending a form writes the
        lead's transaction and nothing else (no session row, no second and third commit), and
        a reader who sent a form keeps a site without a session cookie.
        """
        url = self.thanks_url(reference)
        # 303: the browser GETs the thank-you page, so reloading it never posts the form again.
        response = HttpResponseRedirect(url, status=HTTPStatus.SEE_OTHER)
        response.set_cookie(
            self.submitted_cookie_name,
            self._submitted_signer.sign(reference),
            max_age=settings.SESSION_COOKIE_AGE,
            path=url,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    def submitted_here(self, request, reference: str) -> bool:
        """Whether this browser sent the form that made `reference` (see thanks_redirect)."""
        value = request.COOKIES.get(self.submitted_cookie_name)
        if not value:
            return False
        try:
            remembered = self._submitted_signer.unsign(value, max_age=settings.SESSION_COOKIE_AGE)
        except signing.BadSignature:
            return False
        return remembered == reference


CONSULTATION = LeadFlow(name="consultation", form_class=ConsultationForm)
RECRUITERS = LeadFlow(name="recruiters", form_class=CompanyInquiryForm)
# One apply cookie for every project (/projects/<slug>/apply/): the first landing on any of
# them is the applicant's first touch, as when the cookie was sent everywhere.
APPLY = LeadFlow(name="apply", form_class=FreelanceApplicationForm, pages="projects:list")


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
        first_touch_remember(
            request, response, form=self.flow.name, path=self.flow.first_touch_path
        )
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
        return self.flow.thanks_redirect(lead.reference)


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
        if self.flow.submitted_here(request, reference):
            lead = lead_for_thanks_page(reference=reference, kind=self.flow.form_class.kind)
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
