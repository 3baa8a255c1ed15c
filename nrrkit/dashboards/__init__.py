"""nrrkit's own dashboard server for a workshop room: the notebooks as light pages.

``nrrkit room --people 30`` serves every notebook of the folder as a page holding the notebook's
text and outputs and its apps as plain HTML controls; each person's presses go to their own copy
of the app in a worker process.  See :mod:`nrrkit.dashboards.server` for the design and
docs/guide/workshop.md for the measurements.
"""

from .server import RoomServer, serve

__all__ = ["RoomServer", "serve"]
