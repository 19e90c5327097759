from django.urls import path

from . import views

app_name = "objects"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("objects/<slug:slug>/", views.object_detail, name="object"),
    path("makers/<slug:slug>/", views.maker, name="maker"),
    path("productions/<slug:slug>/", views.production, name="production"),
    path("subjects/<slug:slug>/", views.subject, name="subject"),
    path("places/<slug:slug>/", views.place, name="place"),
    path("never-seen/", views.never_seen, name="random"),
]
