import wagtail_factories

from pages.models import SitePage


class SitePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SitePage

    title = "Opening hours of the reading room"
    introduction = "When you can come and look at the archive."
    body = "<p>By appointment.</p>"
