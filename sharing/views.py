"""The oEmbed endpoint, the object card other sites may frame, and the Mastodon
instance chooser (a plain form: no JavaScript, nothing sent to any server until
the visitor follows the link to theirs)."""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from objects import selectors as object_selectors

from . import links, oembed
from .oembed import CACHE_AGE


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _size(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) > 0 else None


def oembed_endpoint(request):
    url = request.GET.get("url", "")
    if not url:
        return _json_error("Give the address of a page on this site as ?url=.", 400)
    if request.GET.get("format", "json") != "json":
        return _json_error("Only format=json is offered.", 501)
    embed = oembed.embed_for(request, url)
    if embed is None:
        return _json_error("Nothing on this site can be embedded from that address.", 404)
    answer = oembed.oembed_answer(
        embed,
        maxwidth=_size(request.GET.get("maxwidth")),
        maxheight=_size(request.GET.get("maxheight")),
    )
    response = JsonResponse(answer)
    # Public, read-only data: any site's scripts may read it, as consumers do.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={CACHE_AGE}"
    return response


# The one route other sites may frame: the object card made for it.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def object_card(request, slug):
    obj = (
        object_selectors.live_objects()
        .filter(slug=slug)
        .prefetch_related(object_selectors.images_prefetch(usages=("listing",)))
        .first()
    )
    if obj is None:
        raise Http404("No published object has this address.")
    return render(request, "sharing/object_card.html", {"object": obj})


def mastodon(request):
    """Ask which Mastodon server, then link to its share page with the text filled in.
    A link the visitor follows, never a redirect: this address must not send
    people to any host a stranger's link names."""
    url = request.GET.get("url", "")
    title = request.GET.get("title", "")[:300]
    if not oembed.on_this_site(request, url):
        return HttpResponseBadRequest("Only pages of this site can be shared from here.")
    typed = request.GET.get("instance", "")
    instance = links.mastodon_instance(typed) if typed else None
    context = {"url": url, "title": title, "typed": typed, "instance": instance}
    if instance:
        context["share_url"] = links.mastodon_share_url(instance=instance, url=url, title=title)
    status = 400 if typed and not instance else 200
    return render(request, "sharing/mastodon.html", context, status=status)
