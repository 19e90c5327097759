"""Stories: staff-written narratives around the archive, as Wagtail pages."""

from .pages import StoryIndexPage, StoryPage
from .people import StaffProfile
from .themes import Theme

__all__ = ["StaffProfile", "StoryIndexPage", "StoryPage", "Theme"]
