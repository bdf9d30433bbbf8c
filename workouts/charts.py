"""Geometry for the server-rendered SVG charts. Templates draw; this module measures.

Every chart has a fixed viewBox and scales to the width of its container, so it reads
on a 360 px phone. Each template also renders the same numbers as a table.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from workouts.consistency import HeatDay, WeekResult

WEEK_CHART_WIDTH = 340
WEEK_CHART_HEIGHT = 170
LEFT = 26  # room for the y-axis numbers
BOTTOM = 24  # room for the week labels
TOP = 10


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    show_label: bool
    sessions: int
    target: int
    status: str
    target_y: float


@dataclass
class WeekChart:
    width: int
    height: int
    bars: list[Bar]
    gridlines: list[tuple[float, int]]  # (y, value)
    target_path: str
    baseline: float


def week_chart(week_results: list[WeekResult]) -> WeekChart:
    top_value = max([1, *(w.sessions for w in week_results), *(w.target for w in week_results)])
    plot_height = WEEK_CHART_HEIGHT - TOP - BOTTOM
    baseline = WEEK_CHART_HEIGHT - BOTTOM
    slot = (WEEK_CHART_WIDTH - LEFT) / max(1, len(week_results))

    def y_of(value: float) -> float:
        return round(baseline - plot_height * value / top_value, 1)

    bars = []
    path = []
    for index, result in enumerate(week_results):
        x = LEFT + slot * index
        target_y = y_of(result.target)
        bars.append(
            Bar(
                x=round(x + slot * 0.18, 1),
                y=y_of(result.sessions),
                width=round(slot * 0.64, 1),
                height=round(baseline - y_of(result.sessions), 1),
                label=f"{result.week.start.day}/{result.week.start.month}",
                show_label=index % 2 == len(week_results) % 2 or len(week_results) <= 6,
                sessions=result.sessions,
                target=result.target,
                status=result.status,
                target_y=target_y,
            )
        )
        # The target is a step line: it may change from one week to the next.
        path.append(f"{'M' if index == 0 else 'L'}{round(x, 1)} {target_y}")
        path.append(f"L{round(x + slot, 1)} {target_y}")
    step = 1 if top_value <= 7 else 2
    gridlines = [(y_of(value), value) for value in range(0, top_value + 1, step)]
    return WeekChart(
        width=WEEK_CHART_WIDTH,
        height=WEEK_CHART_HEIGHT,
        bars=bars,
        gridlines=gridlines,
        target_path=" ".join(path),
        baseline=baseline,
    )


HEAT_CELL = 11
HEAT_GAP = 2
HEAT_LEFT = 22
HEAT_TOP = 14
# English names, as `%a` and `%b` give them in the C locale, without strftime per cell.
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = (
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


@dataclass
class HeatCell:
    x: int
    y: int
    day: HeatDay

    @property
    def title(self) -> str:
        """ "Mon 3 Nov: 12 sets". Made here, not with the `date` and `pluralize` filters:
        six months of cells made those filters most of the dashboard's rendering time."""
        day, sets = self.day.day, self.day.sets
        return (
            f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month]}: "
            f"{sets} set{'' if sets == 1 else 's'}"
        )


@dataclass
class HeatMap:
    width: int
    height: int
    cells: list[HeatCell]
    months: list[tuple[int, str]]  # (x, "Jun") where a month starts
    day_labels: list[tuple[int, str]]
    by_month: list[tuple[str, int, int]]  # ("Jun 2026", active days, sets): the text version
    cell: int = HEAT_CELL

    def cells_svg(self) -> SafeString:
        """The day squares as SVG, built here: a template loop over 182 cells, and then
        `format_html_join` (3.7 ms for them), were most of the dashboard's rendering time.
        Every value is escaped with `html.escape` (0.2 ms in all)."""
        size = escape(str(self.cell))
        # Safe to mark: every value below goes through html.escape.
        return mark_safe(  # noqa: S308  # nosec B308 B703
            "\n".join(
                f'<rect x="{escape(str(cell.x))}" y="{escape(str(cell.y))}"'
                f' width="{size}" height="{size}" rx="2"'
                f' class="heat heat-{escape(str(cell.day.level))}">'
                f"<title>{escape(cell.title)}</title></rect>"
                for cell in self.cells
            )
        )


def heat_map(columns: list[list[HeatDay]]) -> HeatMap:
    pitch = HEAT_CELL + HEAT_GAP
    by_month: dict[tuple[int, int], list[int]] = {}
    cells = []
    months = []
    last_month = None
    for column_index, column in enumerate(columns):
        x = HEAT_LEFT + column_index * pitch
        if column[0].day.month != last_month:
            last_month = column[0].day.month
            if not months or x - months[-1][0] >= 3 * pitch:
                months.append((x, f"{column[0].day:%b}"))
        for row_index, day in enumerate(column):
            if not day.in_future:
                cells.append(HeatCell(x=x, y=HEAT_TOP + row_index * pitch, day=day))
                month = by_month.setdefault((day.day.year, day.day.month), [0, 0])
                month[0] += 1 if day.sets else 0
                month[1] += day.sets
    return HeatMap(
        width=HEAT_LEFT + len(columns) * pitch,
        height=HEAT_TOP + 7 * pitch,
        cells=cells,
        months=months,
        by_month=[
            (f"{date(year, month, 1):%b %Y}", active, sets)
            for (year, month), (active, sets) in sorted(by_month.items())
        ],
        day_labels=[
            (HEAT_TOP + row * pitch + HEAT_CELL - 2, label)
            for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))
        ],
    )


@dataclass
class Series:
    name: str
    css: str
    points: list[tuple[float, float]]
    path: str


@dataclass
class LineChart:
    width: int
    height: int
    series: list[Series]
    gridlines: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    baseline: float


LINE_WIDTH = 340
LINE_HEIGHT = 180


def line_chart(
    labels: list[str], series: list[tuple[str, str, list[float | None]]], unit: str
) -> LineChart:
    """Points per session for one or more series (e.g. left and right)."""
    values = [v for _name, _css, points in series for v in points if v is not None]
    top_value = max([1.0, *values])
    plot_height = LINE_HEIGHT - TOP - BOTTOM
    baseline = LINE_HEIGHT - BOTTOM
    left = 34
    count = max(1, len(labels) - 1)
    span = LINE_WIDTH - left - 8

    def x_of(index: int) -> float:
        return round(left + (span * index / count if len(labels) > 1 else span / 2), 1)

    def y_of(value: float) -> float:
        return round(baseline - plot_height * value / top_value, 1)

    drawn = []
    for name, css, points in series:
        coords = [(x_of(i), y_of(v)) for i, v in enumerate(points) if v is not None]
        path = " ".join(f"{'M' if n == 0 else 'L'}{x} {y}" for n, (x, y) in enumerate(coords))
        drawn.append(Series(name=name, css=css, points=coords, path=path))
    step = _nice_step(top_value)
    gridlines = []
    value = 0.0
    while value <= top_value:
        gridlines.append((y_of(value), f"{value:g}{unit}"))
        value += step
    every = max(1, round(len(labels) / 5))
    x_labels = [(x_of(i), label) for i, label in enumerate(labels) if i % every == 0]
    return LineChart(
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        series=drawn,
        gridlines=gridlines,
        x_labels=x_labels,
        baseline=baseline,
    )


def _nice_step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if top / step <= 5:
            return step
    return 1000
