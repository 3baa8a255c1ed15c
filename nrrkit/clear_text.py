"""A chart label that finds, each time the chart is drawn, a place clear of the lines and other text.

Used for the ratio label of :func:`nrrkit.plot.scenario_lines`: its lines can pass anywhere in the
axes as an app's sliders move (a fading NRR bends them, a tenth year stretches them), so no fixed
position is always free.  The place is chosen when the label is drawn, after the lines, the other
labels and the legend have theirs, so it holds whatever the figure's final layout is.
"""

from __future__ import annotations

import math

from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

__all__ = ["ClearText", "clear_spot", "obstacles", "headroom"]

#: Candidate anchors (the label's top-left corner), in fractions of the axes.
_STEPS_X = [i / 20 for i in range(0, 19)]
_STEPS_Y = [1 - i / 25 for i in range(0, 25)]


def obstacles(ax, renderer, skip=None) -> tuple[list, list[Bbox]]:
    """What a label must stay clear of, in display pixels: the paths of the visible lines, and the
    boxes of the other text (end labels, arrows, the legend)."""
    paths = [line.get_transform().transform_path(line.get_path()) for line in ax.get_lines() if line.get_visible()]
    boxes = []
    for t in ax.texts:
        if t is skip or not t.get_visible():
            continue
        if str(t.get_text()).strip() or (isinstance(t, Annotation) and t.arrow_patch is not None):
            boxes.append(t.get_window_extent(renderer))
    for child in ax.get_children():
        if isinstance(child, Legend) and child.get_visible():
            boxes.append(child.get_window_extent(renderer))
    return paths, boxes


def _collisions(box: Bbox, paths, boxes) -> int:
    return sum(p.intersects_bbox(box, filled=False) for p in paths) + sum(box.overlaps(b) for b in boxes)


def clear_spot(ax, text: Text, renderer, preferred: tuple[float, float], pad_points: float = 6.0):
    """The anchor (top-left, in axes fractions) nearest ``preferred`` where ``text`` lies inside the
    axes and touches no line, no other text and not the legend, ``pad_points`` around it; the
    least crowded anchor when none is clear."""
    frame = ax.get_window_extent(renderer)
    size = text.get_window_extent(renderer)
    pad = pad_points * renderer.points_to_pixels(1.0)
    w, h = size.width + 2 * pad, size.height + 2 * pad
    paths, boxes = obstacles(ax, renderer, skip=text)
    anchors = sorted(((fx, fy) for fx in _STEPS_X for fy in _STEPS_Y),
                     key=lambda a: math.hypot(a[0] - preferred[0], a[1] - preferred[1]))
    best, fewest = preferred, None
    for fx, fy in anchors:  # nearest first: the first clear one is the answer
        x0 = frame.x0 + fx * frame.width - pad
        y1 = frame.y0 + fy * frame.height + pad
        box = Bbox.from_extents(x0, y1 - h, x0 + w, y1)
        if box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5 or box.y0 < frame.y0 - 0.5 or box.y1 > frame.y1 + 0.5:
            continue
        hits = _collisions(box, paths, boxes)
        if hits == 0:
            return fx, fy
        if fewest is None or hits < fewest:
            best, fewest = (fx, fy), hits
    return best


def headroom(ax, artists, pad_points: float = 6.0, most: float = 0.4) -> float:
    """Raise the top of ``ax``'s y range so that a band above everything drawn so far is as tall as
    the tallest of ``artists`` (a legend, a label; None is skipped) with ``pad_points`` above and
    below; returns the band's share of the axes' height.

    Measured on the figure as it is now: a layout drawn later (constrained) makes the axes smaller,
    so the band is made a quarter taller than measured.
    """
    fig = ax.get_figure(root=True) if hasattr(ax, "get_figure") else ax.figure
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else fig._get_renderer()
    tall = max((a.get_window_extent(renderer).height for a in artists if a is not None), default=0.0)
    if tall <= 0:
        return 0.0
    height = ax.get_window_extent(renderer).height
    need = 1.25 * (tall + 2 * pad_points * renderer.points_to_pixels(1.0))
    share = min(most, need / max(height, 1.0))
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + (hi - lo) * share / (1 - share), auto=None)
    return share


class ClearText(Text):
    """Text in axes coordinates that moves, whenever it is drawn, to the clear place nearest
    ``(x, y)`` (its top-left corner): see :func:`clear_spot`.  Drawn above the legend
    (``zorder`` 6), so the legend has its place when this label chooses."""

    def __init__(self, ax, x: float, y: float, text: str, **kwargs) -> None:
        kwargs.setdefault("zorder", 6)
        # drawn first at the axes' top left; its place is chosen on each draw
        super().__init__(0.02, 0.98, text, transform=ax.transAxes, ha="left", va="top", **kwargs)
        self.preferred = (x, y)
        ax.add_artist(self)
        self.set_clip_on(False)
        self.set_in_layout(False)  # always inside the axes: a layout must not make room for a place it left

    def draw(self, renderer) -> None:
        if self.get_visible() and self.axes is not None:
            self.set_position(clear_spot(self.axes, self, renderer, self.preferred))
        super().draw(renderer)
