from django.urls import path

from . import update_views, views

app_name = "memories"
urlpatterns = [
    path("", views.memory_list, name="list"),
    path("share/", views.memory_share, name="share"),
    path("thank-you/<str:token>/", views.memory_thanks, name="thanks"),
    path("lost-link/", views.lost_link, name="lost_link"),
    path("yours/<str:token>/", views.memory_private, name="private"),
    path("yours/<str:token>/withdraw/", views.memory_withdraw, name="withdraw"),
    path("yours/<str:token>/export.json", views.memory_export, name="export"),
    path("yours/<str:token>/emails/", update_views.private_updates, name="private_updates"),
    path("unsubscribe/<str:token>/", update_views.unsubscribe, name="unsubscribe"),
    path("yours/<str:token>/audio/", views.memory_private_audio, name="private_audio"),
    path("yours/<str:token>/photo/", views.memory_private_photo, name="private_photo"),
    path("<uuid:public_id>/", views.memory_detail, name="detail"),
    path("<uuid:public_id>/audio/", views.memory_audio, name="audio"),
    path("<uuid:public_id>/report/", views.memory_report, name="report"),
]
