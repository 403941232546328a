"""Public project pages: the filtered list and one project. Both are page-cached."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.html import linebreaks
from django.views.decorators.http import require_safe

from news.cache import reader_page
from news.jsonld import absolute_url, json_ld
from projects.cache import PROJECT_PAGES, list_parameters, skill_choices
from projects.filters import ProjectFilters, filter_groups
from projects.models import Project
from projects.selectors import (
    project_for_page,
    project_list,
    related_articles,
    related_projects,
)

PAGE_SIZE = 10
SCHEMA_RATE_UNITS = {Project.RateUnit.MONTHLY: "MONTH", Project.RateUnit.HOURLY: "HOUR"}


@require_safe
@PROJECT_PAGES.keyed_by(list_parameters)
def project_list_page(request):
    skills = skill_choices()
    filters = ProjectFilters.from_query(request.GET, skill_slugs={slug for slug, _ in skills})
    page = reader_page(request, Paginator(project_list(filters=filters), PAGE_SIZE))
    page.object_list = list(page.object_list)
    filter_query = filters.query_string()
    canonical_path = request.path + (f"?{filter_query}" if filter_query else "")
    if page.number > 1:
        canonical_path += f"{'&' if filter_query else '?'}page={page.number}"
    return render(
        request,
        "projects/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "filter_groups": filter_groups(filters, skill_choices=skills),
            "filter_query": filter_query,
            "canonical_url": absolute_url(canonical_path),
        },
    )


@require_safe
@PROJECT_PAGES
def project_detail(request, slug):
    project = project_for_page(slug=slug)
    if project is None:
        raise Http404
    is_preview = project.status not in Project.PUBLISHED_STATUSES
    # Staff preview drafts and projects in review; readers never see them.
    if is_preview and not (request.user.is_active and request.user.is_staff):
        raise Http404
    canonical_url = absolute_url(project.get_absolute_url())
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "skills": list(project.skills.all()),
            "welcome_skills": list(project.welcome_skills.all()),
            "related_projects": related_projects(project=project),
            "related_articles": related_articles(project=project),
            "is_preview": is_preview,
            "canonical_url": canonical_url,
            # A closed posting leaves search engines' job listings: no JobPosting, noindex.
            "json_ld": (
                job_posting(project, canonical_url=canonical_url) if project.is_accepting else None
            ),
        },
    )


def job_posting(project: Project, *, canonical_url: str):
    """schema.org JobPosting for an open project: a contract with a rate range and a deadline."""
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": project.title,
        "description": linebreaks(project.description),
        "url": canonical_url,
        "datePosted": project.opened_at.isoformat(),
        "validThrough": project.closes_at.isoformat(),
        "employmentType": "CONTRACTOR",
        "hiringOrganization": {
            "@type": "Organization",
            # An undisclosed client is presented by us, the agency that holds the posting.
            "name": project.client_name if project.client_name_public else "Plus Web3",
        },
        "identifier": {"@type": "PropertyValue", "name": "Plus Web3", "value": project.slug},
        "industry": project.get_field_display(),
        "skills": ", ".join(tag.name for tag in project.skills.all()),
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": project.rate_min,
                "maxValue": project.rate_max,
                "unitText": SCHEMA_RATE_UNITS[project.rate_unit],
            },
        },
    }
    if project.is_remote:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "JP"}
    else:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": project.location,
                "addressCountry": "JP",
            },
        }
    if project.starts_on:
        data["jobStartDate"] = project.starts_on.isoformat()
    return json_ld(data)
