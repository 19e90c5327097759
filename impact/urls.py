from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("numbers/", views.numbers, name="numbers"),
]
