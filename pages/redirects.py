"""Permanent redirects when staff change the slug of something with a public page.

Wagtail already does this for pages (stories, site pages) through its redirects app
(WAGTAILREDIRECTS_AUTO_CREATE). Plain models with a `slug` and `get_absolute_url`
(makers, productions, objects) join with `redirect_on_slug_change(Model)`; the
redirects are ordinary Wagtail redirects, listed and editable under Settings >
Redirects.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from wagtail.contrib.redirects.models import Redirect


def redirect_on_slug_change(*models) -> None:
    for model in models:
        uid = f"slug-redirect:{model._meta.label}"
        pre_save.connect(_remember_old_url, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(_redirect_old_url, sender=model, dispatch_uid=f"{uid}:post")


def _remember_old_url(sender, instance, raw=False, **kwargs) -> None:
    instance._url_before_save = None
    if raw or instance.pk is None:
        return
    old_slug = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old_slug and old_slug != instance.slug:
        new_slug = instance.slug
        instance.slug = old_slug
        instance._url_before_save = instance.get_absolute_url()
        instance.slug = new_slug


def _redirect_old_url(sender, instance, raw=False, **kwargs) -> None:
    old_url = getattr(instance, "_url_before_save", None)
    if raw or not old_url:
        return
    new_url = instance.get_absolute_url()
    with transaction.atomic():
        # The new address is live again: a redirect away from it would hide it.
        Redirect.objects.filter(old_path=Redirect.normalise_path(new_url)).delete()
        # Older redirects to the old address now lead straight to the new one.
        Redirect.objects.filter(redirect_link=old_url).update(redirect_link=new_url)
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(old_url),
            site=None,
            defaults={
                "redirect_link": new_url,
                "redirect_page": None,
                "is_permanent": True,
                "automatically_created": True,
            },
        )
    instance._url_before_save = None
