"""The contributor's update emails: the one-click unsubscribe (no login: the
signed link is the proof) and the choice on their private page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import selectors, update_emails, updates


@never_cache
@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no cookie or token
def unsubscribe(request, token):
    public_id = update_emails.unsubscribe_token_public_id(token)
    if public_id is None:
        return render(request, "memories/unsubscribe.html", {"tampered": True}, status=404)
    if request.method == "POST":
        updates.updates_unsubscribe(public_id=public_id)
        return render(request, "memories/unsubscribe.html", {"done": True})
    # A GET (a person clicking the link, or a scanner following it) only asks.
    return render(request, "memories/unsubscribe.html", {"token": token})


@never_cache
def private_updates(request, token):
    """Change the choice from the private page (POST only; the page has the form)."""
    if request.method != "POST":
        return redirect("memories:private", token=token)
    link = selectors.PrivateLink(token)
    if link.memory is None:
        raise Http404("This private link does not lead to a memory.")
    updates.updates_choose(memory=link.memory, wanted=request.POST.get("email_updates") == "on")
    return redirect(reverse("memories:private", args=[token]) + "?emails=saved")
