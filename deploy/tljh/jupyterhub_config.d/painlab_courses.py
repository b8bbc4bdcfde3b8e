"""JupyterHub configuration for nbgrader courses, one formgrader service and grader account per course.

Drop this file into TLJH's ``/opt/tljh/config/jupyterhub_config.d/`` (or ``load_subconfig`` it from any
``jupyterhub_config.py``). It reads the course list from a JSON settings file, by default
``/etc/painlab/hub-settings.json``, or the path in the environment variable ``PAINLAB_HUB_SETTINGS``
(``deploy/tljh/hub-settings.example.json`` is the template). Standard library only: the hub's own
environment (``/opt/tljh/hub`` on TLJH) need not contain the course.

For each course ``<id>`` it sets up what nbgrader's multi-course setup expects:

- a JupyterHub group ``formgrade-<id>`` (instructors and the grader account) and ``nbgrader-<id>``
  (students; instructors too, so that the course shows in their Assignments tab);
- a managed service named ``<id>``: ``jupyterhub-singleuser`` from the course environment, run as the
  grader account in the course folder, with the formgrader; only ``formgrade-<id>`` may open it;
- the gradebook URL (``db_url``) handed to the service as ``PAINLAB_GRADEBOOK_URL``, which the course's
  ``nbgrader_config.py`` reads.

Single-user servers start ``jupyterhub-singleuser`` from the course environment with the Jupyter config
folders of ``deploy/jupyter/``: the global nbgrader config (``JupyterHubAuthPlugin``, the exchange with
``path_includes_course``), and for students' and instructors' own servers the formgrader and the
create-assignment tool switched off (grading happens in the course's service).
"""

import json
import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

SETTINGS_PATH = os.environ.get("PAINLAB_HUB_SETTINGS", "/etc/painlab/hub-settings.json")

with open(SETTINGS_PATH) as settings_file:
    settings = json.load(settings_file)

course_env_bin = os.path.join(settings["course_env"], "bin")
jupyter_config = settings["jupyter_config"]  # deploy/jupyter/ of the course repository (or a copy of it)
# PATH: nbgrader's database commands shell out to alembic, which must come from the course environment.
base_path = course_env_bin + ":/usr/local/bin:/usr/bin:/bin"
common_config = os.path.join(jupyter_config, "common")
users_config = os.path.join(jupyter_config, "users")
extra_config_path = settings.get("extra_jupyter_config_path", [])  # site overrides, searched first
exchange_root = settings.get("exchange_root", "/srv/nbgrader/exchange")  # read by deploy/jupyter/common

c.Spawner.cmd = [os.path.join(course_env_bin, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment.update({
    "PATH": base_path,
    "JUPYTER_CONFIG_PATH": os.pathsep.join([*extra_config_path, users_config, common_config]),
    "PAINLAB_EXCHANGE_ROOT": exchange_root,
})

groups = {}
roles = [
    # The token of each single-user server may read its owner's name and groups (JupyterHubAuthPlugin
    # asks the hub which nbgrader-/formgrade- groups the user is in) and find the course services (the
    # Courses list). A server token gets the intersection of these scopes with its owner's own.
    {
        "name": "server",
        "scopes": ["users:activity!user", "access:servers!server", "read:users:name!user",
                   "read:users:groups!user", "list:services", "read:services"],
    },
]
services = []
allowed = set()
for course_id, course in settings["courses"].items():
    grader = course["grader"]
    instructors = list(course.get("instructors", []))
    students = list(course.get("students", []))
    allowed.update([grader, *instructors, *students])
    groups[f"formgrade-{course_id}"] = {"users": [*instructors, grader]}
    groups[f"nbgrader-{course_id}"] = {"users": [*instructors, *students]}
    roles.append({"name": f"formgrade-{course_id}", "groups": [f"formgrade-{course_id}"],
                  "scopes": [f"access:services!service={course_id}"]})
    roles.append({"name": f"nbgrader-{course_id}", "groups": [f"nbgrader-{course_id}"],
                  "scopes": ["list:services", f"read:services!service={course_id}"]})
    # What nbgrader's JupyterHubAuthPlugin asks of the hub from inside the formgrader: users' groups, and
    # (when the formgrader adds a student) membership of this course's nbgrader- group only.
    roles.append({"name": f"grader-service-{course_id}", "services": [course_id],
                  "scopes": ["list:users", "read:users:name", "read:users:groups",
                             f"list:groups!group=nbgrader-{course_id}", f"read:groups!group=nbgrader-{course_id}",
                             f"groups!group=nbgrader-{course_id}"]})
    environment = {
        "PATH": base_path,
        "JUPYTER_CONFIG_PATH": os.pathsep.join([*extra_config_path, common_config]),
        "PAINLAB_EXCHANGE_ROOT": exchange_root,
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
    }
    if course.get("gradebook_url"):
        environment["PAINLAB_GRADEBOOK_URL"] = course["gradebook_url"]
    services.append({
        "name": course_id,
        "url": f"http://127.0.0.1:{course['service_port']}",
        "command": [os.path.join(course_env_bin, "jupyterhub-singleuser")],
        "user": grader,
        "cwd": course["course_dir"],
        "environment": environment,
        "oauth_no_confirm": True,
    })

# Added to what the site (TLJH) already configured, never replacing it: TLJH sets its own services (the
# idle culler) before this file runs. A site that already defines a "server" role must merge the scopes above.
c.JupyterHub.load_groups.update(groups)
c.JupyterHub.load_roles.extend(roles)
c.JupyterHub.services.extend(services)
c.Authenticator.allowed_users.update(allowed)  # merged with any allowed users TLJH or the site sets
if settings.get("admin_users"):
    c.Authenticator.admin_users = set(settings["admin_users"])
