"""Newsletter pages. None of them is cached: they carry CSRF tokens or personal links."""

from http import HTTPStatus

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from core.ratelimit import request_rate_limit, too_many_requests
from news.models import Article
from newsletter.forms import PreferencesForm, SignupForm
from newsletter.models import Subscriber
from newsletter.services import (
    ConfirmationLinkExpired,
    ConfirmationLinkInvalid,
    subscriber_confirm,
    subscriber_from_confirmation,
    subscriber_preferences_update,
    subscriber_subscribe,
    subscriber_unsubscribe,
)


def _public_article(slug: str) -> Article | None:
    if not slug:
        return None
    return Article.objects.public().only("pk", "title", "slug").filter(slug=slug).first()


def _signup_rate_limit(request) -> int | None:
    """Seconds to wait when this client sent too many signups (the consultation form's limit).

    One address gets at most one confirmation per window anyway; this stops one client
    from using the form to mail many addresses.
    """
    return request_rate_limit(
        request,
        scope="newsletter-ip",
        limit=settings.RATELIMIT_IP_LIMIT,
        window=settings.RATELIMIT_IP_WINDOW_SECONDS,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    """The form. Cached article pages link here (?source=<slug>) instead of carrying a form."""
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            retry_after = _signup_rate_limit(request)
            if retry_after:
                return too_many_requests(request, retry_after)
            data = form.cleaned_data
            # A filled honeypot gets the same answer and nothing else.
            if not data["website"]:
                subscriber_subscribe(
                    email=data["email"],
                    topics=data["topics"],
                    project_alerts=data["project_alerts"],
                    source_article=_public_article(data["source"]),
                )
            return redirect("newsletter:thanks")
        source = request.POST.get("source", "")
    else:
        source = request.GET.get("source", "")
        form = SignupForm(initial={"source": source, "email": request.GET.get("email", "")})
    return render(
        request,
        "newsletter/signup.html",
        {"form": form, "source_article": _public_article(source)},
    )


@require_safe
def thanks(request):
    return render(request, "newsletter/thanks.html")


def _link_error(request, *, expired: bool):
    return render(
        request,
        "newsletter/link_error.html",
        {"expired": expired},
        status=HTTPStatus.BAD_REQUEST,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, signed):
    """GET shows a button and POST confirms: a mail scanner opening links subscribes no one."""
    try:
        if request.method == "POST":
            subscriber = subscriber_confirm(signed=signed)
            return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
        subscriber = subscriber_from_confirmation(signed=signed)
    except ConfirmationLinkExpired:
        return _link_error(request, expired=True)
    except ConfirmationLinkInvalid:
        return _link_error(request, expired=False)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


# RFC 8058 one-click: a mail client POSTs here with no cookie and no CSRF token. The token in
# the URL is the credential and unsubscribing twice changes nothing, so a forged POST can do
# no more than the link's owner could.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks for one click (link scanners must not unsubscribe anyone); POST unsubscribes."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        subscriber = subscriber_unsubscribe(token=token)
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Topics, and resuming after an unsubscribe, without logging in: the token is the key."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriber_preferences_update(
                subscriber=subscriber,
                topics=form.cleaned_data["topics"],
                project_alerts=form.cleaned_data["project_alerts"],
                resume="resume" in request.POST,
            )
            return redirect(reverse("newsletter:preferences", args=[token]) + "?saved=1")
    else:
        form = PreferencesForm(
            initial={"topics": subscriber.topics, "project_alerts": subscriber.project_alerts}
        )
    return render(
        request,
        "newsletter/preferences.html",
        {"subscriber": subscriber, "form": form, "saved": request.GET.get("saved") == "1"},
    )
