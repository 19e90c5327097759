from django.urls import path

from . import views

app_name = "identifications"
urlpatterns = [
    path("thank-you/<str:token>/", views.thanks, name="thanks"),
    path("yours/<str:token>/", views.private, name="private"),
    path("<slug:slug>/", views.identify, name="identify"),
]
