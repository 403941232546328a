from django.urls import include, path

from careers import views

app_name = "careers"

urlpatterns = [
    path("consultation/", views.consultation, name="consultation"),
    path(
        "consultation/thanks/<str:token>/",
        views.consultation_thanks,
        name="consultation_thanks",
    ),
    path("recruiters/", views.recruiters, name="recruiters"),
    path("recruiters/thanks/<str:token>/", views.recruiters_thanks, name="recruiters_thanks"),
    path("projects/<slug:slug>/apply/", views.project_apply, name="apply"),
    path("projects/apply/thanks/<str:token>/", views.apply_thanks, name="apply_thanks"),
    path("", include("careers.booking.urls")),
]
