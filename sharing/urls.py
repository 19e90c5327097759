from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("oembed/", views.oembed_endpoint, name="oembed"),
    path("embed/objects/<slug:slug>/", views.object_card, name="object_card"),
    path("share/mastodon/", views.mastodon, name="mastodon"),
]
