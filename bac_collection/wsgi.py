import os

from django.core.wsgi import get_wsgi_application

from bac_collection.frame_stack import RoomyStackApplication

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bac_collection.settings.dev")

application = RoomyStackApplication(get_wsgi_application())

from bac_collection.warm_up import warm_up  # noqa: E402 (its imports need Django set up)

warm_up()
