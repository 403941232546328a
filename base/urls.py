from django.urls import path

from base import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("privacy/", views.privacy, name="privacy"),
]
