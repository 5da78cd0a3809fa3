"""Geometry for the server-rendered SVG bar charts of the statistics page.

No JavaScript and nothing from another host: the view computes the bars here, the template
``includes/bar_chart.html`` draws them, and the same numbers are shown in a table next to it.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 130
VALUE_GAP = 8
VALUE_WIDTH = 48
ROW_HEIGHT = 34
BAR_HEIGHT = 22
PADDING = 8


@dataclass
class Segment:
    series: str
    value: int
    index: int
    x: float = 0
    width: float = 0


@dataclass
class Bar:
    label: str
    segments: list
    total: int
    y: float = 0
    text_y: float = 0
    value_x: float = 0
    end_x: float = 0


@dataclass
class BarChart:
    title: str
    bars: list
    series: list = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    label_x: int = LABEL_WIDTH - VALUE_GAP
    bar_height: int = BAR_HEIGHT

    @property
    def is_stacked(self):
        return len(self.series) > 1

    @property
    def total(self):
        return sum(bar.total for bar in self.bars)


def bar_chart(title, rows, series=None):
    """A horizontal bar chart.

    ``rows`` is a list of ``(label, value)`` or, with ``series`` (the names of the stacked parts),
    ``(label, [value per series])``.
    """
    series = list(series or [])
    bars = []
    for label, values in rows:
        values = list(values) if series else [values]
        segments = [
            Segment(series=series[i] if series else "", value=int(v or 0), index=i + 1)
            for i, v in enumerate(values)
        ]
        bars.append(Bar(label=str(label), segments=segments, total=sum(s.value for s in segments)))
    largest = max((bar.total for bar in bars), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH - VALUE_GAP) / largest if largest else 0
    for row, bar in enumerate(bars):
        bar.y = PADDING + row * ROW_HEIGHT
        bar.text_y = bar.y + BAR_HEIGHT / 2
        x = LABEL_WIDTH
        for segment in bar.segments:
            segment.x = round(x, 1)
            segment.width = round(segment.value * scale, 1)
            x += segment.value * scale
        bar.end_x = round(x, 1)
        bar.value_x = round(x + VALUE_GAP, 1)
    height = PADDING * 2 + max(len(bars), 1) * ROW_HEIGHT
    return BarChart(title=title, bars=bars, series=series, height=height)
