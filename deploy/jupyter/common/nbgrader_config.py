"""Global nbgrader configuration on a hub: every single-user server and every formgrader service reads it.

It sits in a folder on JUPYTER_CONFIG_PATH (set by deploy/tljh/jupyterhub_config.d/painlab_courses.py);
a course's own nbgrader_config.py (in its course folder) is read after it and adds the course settings.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

# Which courses a user may see, fetch from and submit to comes from their JupyterHub groups
# (nbgrader-<course> for students, formgrade-<course> for graders), asked of the hub API.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
# Several courses share one exchange: each course gets its own inbound/outbound/feedback folders.
c.Exchange.path_includes_course = True
# A folder every user can write to (chmod 777), shared by all users' servers: a local folder on one
# machine, a shared (ReadWriteMany) volume on Kubernetes.
c.Exchange.root = os.environ.get("PAINLAB_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
