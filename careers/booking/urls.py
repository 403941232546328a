from django.urls import path

from careers.booking import views

# Included into careers/urls.py, so the names are careers:booking… like the other lead pages.
urlpatterns = [
    path("booking/<str:token>/", views.booking, name="booking"),
    path("booking/<str:token>/confirmed/", views.booking_confirmed, name="booking_confirmed"),
    path("booking/<str:token>/cancel/", views.booking_cancel_view, name="booking_cancel"),
    path("booking/<str:token>/cancelled/", views.booking_cancelled, name="booking_cancelled"),
    path("booking/<str:token>/request/", views.booking_request, name="booking_request"),
    path("calendar/<str:token>.ics", views.advisor_calendar, name="advisor_calendar"),
]
