"""The public site as a whole (issue 13).

- Site pages (`models.SitePage`): about, contact, privacy notice, accessibility
  statement, edited in Wagtail; the *Site links* setting says which is which.
- `links.site_page_url(key, request=..., absolute=False)`: THE way other apps link
  to them ("about", "contact", "privacy", "accessibility", "open_data"). None if
  no such page is published. Templates: `{% load site_pages %}{% site_page_url "privacy" as url %}`.
- `cache`: whole-page cache for anonymous visitors; apps whose models appear on
  public pages call `page_cache_invalidate_on_change(Model)` in `ready()`.
- `security`: Content-Security-Policy (strict; looser for /admin/) and
  Permissions-Policy; `compression`: gzip for rendered pages.
- `sitemaps`, `views.robots_txt`, error pages (templates/403|404|429|500.html),
  `redirects.redirect_on_slug_change(Model)`.
"""
