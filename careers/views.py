"""The consultation form and its thank-you page: thin doors into careers.services.capture."""

import math
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

from careers.attribution import first_touch, first_touch_remember, source_article_for
from careers.forms import ConsultationForm
from careers.models import Lead
from careers.ratelimit import client_ip, consultation_rate_limit
from careers.services.capture import lead_create

# The session remembers which reference this browser submitted, so only it sees the details.
SUBMITTED_SESSION_KEY = "careers_submitted_reference"
_THANKS_SALT = "careers.consultation.thanks"


def thanks_token(reference: str) -> str:
    """The thank-you URL names the lead by a signed reference: no personal data, no guessing."""
    # No timestamp: the same lead always gets the same URL (a double-click lands on one page).
    return signing.Signer(salt=_THANKS_SALT).sign_object(reference)


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


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@refuse_oversized_body
def consultation(request):
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            return _capture(request, form)
    else:
        first_touch_remember(request)
        form = ConsultationForm()
    return render(
        request,
        "careers/consultation.html",
        {"form": form, "error_summary": form.error_summary() if form.is_bound else []},
    )


def _capture(request, form: ConsultationForm):
    ip = client_ip(request)
    retry_after = consultation_rate_limit(ip=ip, email=form.cleaned_data["email"])
    if retry_after:
        return _too_many_submissions(request, retry_after)
    touch = first_touch(request)
    lead = lead_create(
        **form.lead_data(),
        source_article=source_article_for(touch["source"]),
        utm_source=touch["utm_source"],
        utm_medium=touch["utm_medium"],
        utm_campaign=touch["utm_campaign"],
        utm_term=touch["utm_term"],
        utm_content=touch["utm_content"],
        referrer=touch["referrer"],
        landing_path=touch["landing_path"],
        ip_address=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        spam_reasons=form.trap_reasons,
        fill_seconds=form.fill_seconds,
        submission_key=form.submission_key,
    )
    request.session[SUBMITTED_SESSION_KEY] = lead.reference
    # 303: the browser GETs the thank-you page, so reloading it never posts the form again.
    response = HttpResponseRedirect(
        reverse("careers:consultation_thanks", kwargs={"token": thanks_token(lead.reference)})
    )
    response.status_code = HTTPStatus.SEE_OTHER
    return response


def _too_many_submissions(request, retry_after: int):
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": math.ceil(retry_after / 60)},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_safe
def consultation_thanks(request, token: str):
    try:
        reference = signing.Signer(salt=_THANKS_SALT).unsign_object(token)
    except signing.BadSignature:
        raise Http404 from None
    lead = None
    # Name and email only for the browser that sent the form; the URL alone shows neither.
    if request.session.get(SUBMITTED_SESSION_KEY) == reference:
        lead = Lead.objects.filter(reference=reference).first()
    return render(
        request, "careers/consultation_thanks.html", {"reference": reference, "lead": lead}
    )
