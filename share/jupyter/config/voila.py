"""Voila settings for serving the nrrkit notebooks (docs/guide/workshop.md).  Loaded through
JUPYTER_CONFIG_PATH, by the documented Voila command and by ``nrrkit room``.

- Kernels nobody is connected to are culled after 10 idle minutes: a laptop that slept, a
  tab that crashed or a page closed before it finished loading leaves no kernel behind.
  A page that stays open keeps its kernel, however long the reader thinks.
- A closing page asks the server to end its kernel.  That request must pass Voila's check
  against cross-site requests, which wants the ``_xsrf`` cookie: a hook hands every page the
  cookie when it is rendered.

Room mode (``nrrkit room --people N`` sets NRRKIT_ROOM_POOL and NRRKIT_ROOM_NOTEBOOK): the room's
notebook gets a pool of preheated kernels, each of which has run the notebook before anybody
asks for it, so a page is sent as soon as it is asked for.  Other notebooks start a kernel when
opened, as without room mode.  The pool is filled when the server starts; a kernel taken by a
page is replaced two minutes later (``fill_delay``, ``nrrkit room --refill-after``), once the
room has arrived: replacing thirty kernels at the moment thirty pages load doubled the time
every page took (measured with benchmarks/bench_room.py, docs/guide/workshop.md).
Voila cannot combine preheated kernels with the cookie hook, so in room mode the cross-site
check is switched off instead: this server has no login, and the check protects nothing
without one (any machine that reaches the port can end a kernel directly).
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when this file is loaded

c.MappingKernelManager.cull_idle_timeout = 600   # seconds without activity
c.MappingKernelManager.cull_interval = 60        # how often to look
c.MappingKernelManager.cull_connected = False    # an open page keeps its kernel

# JupyterLab extensions a dashboard page does not need: Voila loads the front end of every
# installed one into every page (jupytext's is for the notebook editor, pygments' colours code,
# which a dashboard hides).  The widget managers stay, and so would any widget library installed.
c.VoilaConfiguration.extension_denylist = ["jupyterlab-jupytext", "jupyterlab_pygments"]

pool = int(os.environ.get("NRRKIT_ROOM_POOL", "0") or 0)
if pool > 0:
    c.VoilaConfiguration.preheat_kernel = True
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        os.environ.get("NRRKIT_ROOM_NOTEBOOK", "01-nrr-in-ten-minutes.ipynb"): {"pool_size": pool},
    }
    c.VoilaKernelManager.fill_delay = float(os.environ.get("NRRKIT_ROOM_REFILL", "120"))
    c.Voila.tornado_settings = {"disable_check_xsrf": True}
else:

    def _set_xsrf_cookie(handler, notebook=None, cwd=None):
        """Voila's prelaunch hook: reading ``xsrf_token`` makes the server set the ``_xsrf`` cookie
        on this page's response, which the page's shutdown request sends back."""
        handler.xsrf_token  # noqa: B018 - the property sets the cookie
        return None

    c.VoilaConfiguration.prelaunch_hook = _set_xsrf_cookie
