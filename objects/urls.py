app_name = "objects"
urlpatterns = []
