"""Charts as inline SVG, drawn on the server from a `Table`.

No script and no third party: the geometry is computed here and the template
(templates/impact/includes/chart.html) writes it out, with a <title> and a <desc>
summing up the figures for screen readers (the table beside each chart has them
all). Colours come from static/impact/impact.css.
"""

from dataclasses import dataclass

from .selectors import Table

WIDTH = 560
# Horizontal bars (one a category).
LABEL_WIDTH = 190
ROW_HEIGHT = 22
BAR_HEIGHT = 14
VALUE_SPACE = 64
MAX_BARS = 12
LABEL_CHARACTERS = 24
# Columns (over time).
PLOT_LEFT = 48
PLOT_TOP = 12
PLOT_HEIGHT = 140
COLUMNS_HEIGHT = 180


@dataclass
class Mark:
    """A bar or a column; bars carry their label and value beside them."""

    x: float
    y: float
    width: float
    height: float
    label: str = ""
    value_text: str = ""
    label_x: float = 0
    value_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    slug: str
    kind: str
    title: str
    description: str
    width: int
    height: int
    marks: list[Mark]
    axis: list[tuple[float, float, str, str]]  # the columns' axis labels: x, y, text, anchor
    baseline: tuple[int, int, int, int] | None  # the columns' x axis: x1, y1, x2, y2


def chart_for(table: Table) -> Chart | None:
    if not table.chart or not table.rows:
        return None
    rows = table.rows[:MAX_BARS] if table.chart == "bars" else table.rows
    points = [(str(row[0]), int(row[table.chart_column])) for row in rows]
    draw = _bars if table.chart == "bars" else _columns
    height, marks, axis, baseline = draw(points)
    description = _describe(table, points)
    return Chart(
        table.slug, table.chart, table.title, description, WIDTH, height, marks, axis, baseline
    )


def _bars(points):
    top = max((value for _, value in points), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_SPACE
    marks = []
    for n, (label, value) in enumerate(points):
        y = n * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        length = room * value / top
        marks.append(
            Mark(
                x=LABEL_WIDTH,
                y=y,
                width=round(length, 1),
                height=BAR_HEIGHT,
                label=_shorten(label),
                value_text=f"{value:,}",
                label_x=LABEL_WIDTH - 8,
                value_x=round(LABEL_WIDTH + length + 6, 1),
                text_y=y + BAR_HEIGHT - 3,
            )
        )
    return len(points) * ROW_HEIGHT, marks, [], None


def _columns(points):
    top = max((value for _, value in points), default=0) or 1
    step = (WIDTH - PLOT_LEFT) / len(points)
    bottom = PLOT_TOP + PLOT_HEIGHT
    marks = []
    for n, (_, value) in enumerate(points):
        height = PLOT_HEIGHT * value / top
        x = PLOT_LEFT + n * step + step * 0.1
        marks.append(
            Mark(round(x, 1), round(bottom - height, 1), round(step * 0.8, 1), round(height, 1))
        )
    # The first, middle and last labels (every one would overlap), the outer two
    # aligned with the plot's edges so they are not cut off.
    edges = {0: (PLOT_LEFT, "start"), len(points) - 1: (WIDTH, "end")}
    axis = []
    for n in sorted({0, len(points) // 2, len(points) - 1}):
        x, anchor = edges.get(n, (round(PLOT_LEFT + (n + 0.5) * step, 1), "middle"))
        axis.append((x, bottom + 16, points[n][0], anchor))
    axis += [(PLOT_LEFT - 6, PLOT_TOP + 4, f"{top:,}", "end"), (PLOT_LEFT - 6, bottom, "0", "end")]
    return COLUMNS_HEIGHT, marks, axis, (PLOT_LEFT, bottom, WIDTH, bottom)


def _describe(table: Table, points) -> str:
    total = sum(value for _, value in points)
    if not total:
        return f"{table.description} Nothing counted in this period."
    label, value = max(points, key=lambda point: point[1])
    shown = (
        f" The first {len(points)} of {len(table.rows)} are drawn."
        if len(points) < len(table.rows)
        else ""
    )
    return f"{table.description} Highest: {label}, {value:,}.{shown}"


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"
