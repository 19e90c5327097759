"""The site the browser tests walk (the Chromium fixtures are in chromium.py)."""

import pytest

from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    ProductionFactory,
)
from tests.factories.stories import StoryPageFactory, object_block


@pytest.fixture
def site(db):
    maker = MakerFactory(name="Kneehigh Theatre")
    production = ProductionFactory(title="The Red Shoes", company="Kneehigh", date_display="2002")
    poster = CollectionObjectFactory(
        title="The Red Shoes poster",
        production=production,
        makers=[maker],
        date_earliest=2002,
        date_latest=2002,
        date_display="2002",
        description="<p>Poster for Kneehigh's The Red Shoes.</p>",
    )
    ObjectImageFactory(object=poster, alt_text="A red shoe on a black ground")
    for n in range(12):
        CollectionObjectFactory(title=f"Programme {n}", production=production)
    story = StoryPageFactory(
        title="Dancing in the Red Shoes",
        body=[
            {"type": "text", "value": "<p>How Kneehigh came to Battersea.</p>"},
            object_block(poster, caption="The poster"),
        ],
    )
    return {"maker": maker, "production": production, "poster": poster, "story": story}
