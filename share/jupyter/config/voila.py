"""Voila settings for serving the nrrkit notebooks to a room (docs/notebooks.md, "Running the
dashboards for a room").  Loaded by the documented command through JUPYTER_CONFIG_PATH.

- Every page gets the ``_xsrf`` cookie, so the shutdown request a page sends when it closes
  is accepted (without the cookie the server refuses it with 403 and the kernel lives on).
- Kernels nobody is connected to are culled after 10 idle minutes: a laptop that slept, a
  tab that crashed or a page closed before it finished loading leaves no kernel behind.
  A page that stays open keeps its kernel, however long the reader thinks.
"""

c = get_config()  # noqa: F821 - provided by traitlets when this file is loaded


def _set_xsrf_cookie(handler, notebook=None, cwd=None):
    """Voila's prelaunch hook: reading ``xsrf_token`` makes the server set the ``_xsrf`` cookie
    on this page's response, which the page's shutdown request sends back."""
    handler.xsrf_token  # noqa: B018 - the property sets the cookie
    return None


c.VoilaConfiguration.prelaunch_hook = _set_xsrf_cookie
c.MappingKernelManager.cull_idle_timeout = 600   # seconds without activity
c.MappingKernelManager.cull_interval = 60        # how often to look
c.MappingKernelManager.cull_connected = False    # an open page keeps its kernel
