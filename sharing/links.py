"""Plain share links: addresses of each service's own "compose" page, with the
page's title and address filled in. Nothing is loaded from those services: a
visitor's browser goes there only if they follow a link."""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

# A host name as people type it: letters, digits and hyphens in dot-separated labels.
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


@dataclass(frozen=True)
class ShareLink:
    service: str
    label: str
    href: str


def share_links(*, url: str, title: str) -> list[ShareLink]:
    text = f"{title} {url}"
    body = f"{title}\n\n{url}"
    return [
        ShareLink(
            "bluesky", "Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text})
        ),
        ShareLink("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
        ShareLink(
            "email",
            "Email",
            f"mailto:?subject={quote(title)}&body={quote(body)}",
        ),
    ]


def mastodon_instance(value: str) -> str | None:
    """The instance's host from what a visitor typed ("mastodon.social",
    "https://mastodon.social/", "@me@mastodon.social"), or None if it is not one."""
    host = value.strip().lower()
    host = re.sub(r"^[a-z]+://", "", host)
    host = host.split("/", 1)[0].rsplit("@", 1)[-1]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if _HOST.match(host) else None


def mastodon_share_url(*, instance: str, url: str, title: str) -> str:
    return f"https://{instance}/share?" + urlencode({"text": f"{title} {url}"})
