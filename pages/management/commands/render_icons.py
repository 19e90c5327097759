"""Renders static/icons/icon.svg to the PNG icons browsers and home screens ask for,
in headless Chromium (as the browser tests use), and packs favicon.ico from PNG
entries (as the ICO format allows). Run it after changing the SVG; the files it
writes are committed."""

import base64
import struct
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

ICONS = Path(settings.BASE_DIR) / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
ICO_SIZES = (16, 32, 48)


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding these square PNGs, by size."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    directory, images = b"", b""
    for size, data in pngs.items():
        directory += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        images += data
    return header + directory + images


class Command(BaseCommand):
    help = "Make the PNG icons and favicon.ico from static/icons/icon.svg."

    def handle(self, *args, **options):
        from playwright.sync_api import sync_playwright

        svg = (ICONS / "icon.svg").read_text()
        # Maskable icons are cropped to a circle or squircle: full bleed, mark at 80%.
        maskable = svg.replace(' rx="12"', "").replace(
            "<path d=", '<path transform="translate(6.4 6.4) scale(0.8)" d='
        )
        files = {
            "icon-192.png": (svg, 192),
            "icon-512.png": (svg, 512),
            "icon-maskable-512.png": (maskable, 512),
            "apple-touch-icon.png": (maskable, 180),
        }
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()

            def render(source: str, size: int, path: Path) -> None:
                page.set_content(f'<img src="{_data_url(source)}" width="{size}" height="{size}">')
                page.locator("img").screenshot(path=str(path), omit_background=True)

            for name, (source, size) in files.items():
                render(source, size, ICONS / name)
            pngs = {}
            for size in ICO_SIZES:
                render(svg, size, Path(tmp) / f"{size}.png")
                pngs[size] = (Path(tmp) / f"{size}.png").read_bytes()
            browser.close()
        (ICONS / "favicon.ico").write_bytes(_ico(pngs))
        self.stdout.write(f"Wrote {', '.join([*files, 'favicon.ico'])} in {ICONS}.")
