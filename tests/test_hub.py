"""The course on a real JupyterHub: nbgrader's multi-course setup, driven through the hub.

What runs: JupyterHub 6 from the course environment, with configurable-http-proxy from ``node_modules``
(``make vendor``), on 127.0.0.1 only, configured by the same file an instructor drops into TLJH
(``deploy/tljh/jupyterhub_config.d/painlab_courses.py``) plus the loopback ports and temporary paths
of this test. The course has a formgrader service run by its grader account, the groups
``formgrade-<course>`` and ``nbgrader-<course>``, ``JupyterHubAuthPlugin``, an exchange with
``Exchange.path_includes_course = True`` and a PostgreSQL gradebook (``db_url``), as in the guide.

Who: real OS users (``useradd``), one instructor, two students and the grader account, spawned by
JupyterHub's default LocalProcessSpawner, each single-user server running as its own user from the
course environment (``.venv``). Real users rather than one account with several home folders because
nbgrader's exchange rests on file ownership and permissions (a student may write into the course's
inbound folder but not list it; each submission is owned by its student; the grader account collects
them): with separate uids those rules are exercised, not bypassed by root. The test therefore needs
root; it creates its users with a marker in their GECOS field, and removes them (with their processes
and home folders) afterwards, as it stops the hub, the proxy, the servers and PostgreSQL.

How: every action goes over HTTP through the hub's proxy with the acting user's own API token: the
instructor generates, releases and collects the assignment, and autogrades each submission, through
the formgrader service's API (``/services/<course>/formgrader/api/...``); each student fetches and
submits through the nbgrader Assignments handlers of their own server (``/user/<name>/assignments/...``)
and edits the fetched notebook through that server's contents API. One student submits the
instructor's solution, the other wrong answers; the scores are read back from the formgrader and
from the PostgreSQL gradebook itself: 7.0 and 0.0 of the 7 autograded points. Last, a student logs in on
the hub's login page (PAM, as on a real server) and opens an nbgitpuller link to the lessons, which lands on
their own server and pulls the lessons into their home.

Several clones on one machine share the test's OS user names, so their hub tests take turns (a lock file).
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import nbformat
import pytest
import requests
from nbgrader.api import Gradebook

from conftest import ROOT
from test_grading import ASSIGNMENT, NOTEBOOK, WRONG, solved_copy, with_answers
from test_postgres_gradebook import free_port, running_postgres

pytestmark = [pytest.mark.hub, pytest.mark.slow]

COURSE_ID = "interventional-pain-medicine"
FULL_POINTS = 7.0  # autograded points of assignment 1 (q1 2, q2 2, q3 2, q4 1); the written q5 is graded by hand
USER_MARK = "painlab hub test"  # GECOS field of every OS user this test creates; teardown removes only those
INSTRUCTOR, STUDENT_RIGHT, STUDENT_WRONG, GRADER = "plhub-dr", "plhub-ana", "plhub-ben", "plhub-grader"
TEST_USERS = (INSTRUCTOR, STUDENT_RIGHT, STUDENT_WRONG, GRADER)
DRIVER = "painlab-test-driver"  # a hub service with admin rights: creates the users' servers and tokens, nothing else
START_TIMEOUT_S = 180.0  # a single-user server or the formgrader on 2 busy cores
REQUEST_TIMEOUT_S = 300.0  # autograding one submission runs a kernel
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
VENV_BIN = Path(sys.executable).parent


# --- OS users -----------------------------------------------------------------------------------------------

def marked_users() -> list[str]:
    return [entry.pw_name for entry in pwd.getpwall() if entry.pw_gecos == USER_MARK]


def processes_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids


def remove_user(name: str) -> None:
    """Stop what the test started as this user (by pid: the hub started them), then delete it and its home."""
    uid = pwd.getpwnam(name).pw_uid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(uid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while processes_of(uid) and time.monotonic() < deadline:
            time.sleep(0.2)
    subprocess.run(["userdel", "--remove", name], capture_output=True, text=True, check=True)


RUN_LOCK = Path(tempfile.gettempdir()) / "painlab-hub-test.lock"
RUN_LOCK_WAIT_S = 900.0


@pytest.fixture(scope="module")
def one_run_at_a_time() -> Iterator[None]:
    """Hub tests from several clones on one machine share the OS user names: they take turns."""
    with open(RUN_LOCK, "w") as lock:
        deadline = time.monotonic() + RUN_LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another hub test held {RUN_LOCK} for {RUN_LOCK_WAIT_S:.0f} s")
                time.sleep(1.0)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def base(one_run_at_a_time: None) -> Iterator[Path]:
    """A temporary folder the test users can traverse (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="painlab-hub-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def os_users(base: Path) -> Iterator[dict[str, pwd.struct_passwd]]:
    if os.geteuid() != 0:
        pytest.skip("the hub test creates OS users for the instructor, the students and the grader: run it as root")
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        pytest.skip("useradd/userdel not found")
    for leftover in marked_users():  # an interrupted earlier run
        remove_user(leftover)
    for name in TEST_USERS:
        try:
            pwd.getpwnam(name)
            pytest.fail(f"an OS user {name} exists that this test did not create; remove it or rename the test users")
        except KeyError:
            pass
    (base / "home").mkdir(mode=0o755)
    created = []
    try:
        for name in TEST_USERS:
            subprocess.run(["useradd", "--create-home", "--home-dir", str(base / "home" / name), "--comment", USER_MARK,
                            "--shell", "/bin/bash", "--user-group", name], check=True, capture_output=True, text=True)
            created.append(name)
        yield {name: pwd.getpwnam(name) for name in TEST_USERS}
    finally:
        for name in created:
            remove_user(name)


# --- the hub ------------------------------------------------------------------------------------------------

@dataclass
class Hub:
    url: str
    driver_token: str
    exchange: Path
    course_dir: Path
    gradebook_url: str
    log: Path

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        """Call the hub's REST API (``/hub/api/...``) as the driver service or with a user's token."""
        return requests.request(method, f"{self.url}/hub/api{path}", timeout=REQUEST_TIMEOUT_S,
                                headers={"Authorization": f"token {token or self.driver_token}"}, **kwargs)

    def via_proxy(self, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
        """A request through the proxy to a user's server or a service (``/user/<name>/...``, ``/services/...``)."""
        return requests.request(method, f"{self.url}{path}", timeout=REQUEST_TIMEOUT_S,
                                headers={"Authorization": f"token {token}"}, allow_redirects=False, **kwargs)


def wait_for(what: str, check, timeout_s: float, log: Path, process: subprocess.Popen | None = None) -> Any:
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline and (process is None or process.poll() is None):
        try:
            last = check()
            if last:
                return last
        except requests.RequestException as error:
            last = error
        time.sleep(0.5)
    tail = log.read_text()[-6000:] if log.exists() else "(no hub log)"
    outcome = f"the hub exited ({process.returncode})" if process and process.poll() is not None else \
        f"timed out after {timeout_s:.0f} s"
    raise AssertionError(f"{outcome} waiting for {what} (last: {last!r})\nhub log:\n{tail}")


def course_folder(grader: pwd.struct_passwd) -> Path:
    """The instructors' copy of the course in the grader account's home, private to it (mode 700)."""
    course = Path(grader.pw_dir) / "course"
    course.mkdir()
    shutil.copy(ROOT / "assignments" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "assignments" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    for path in [course, *course.rglob("*")]:
        os.chown(path, grader.pw_uid, grader.pw_gid)
    Path(grader.pw_dir).chmod(0o700)
    return course


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """The course's gradebook server: a throw-away PostgreSQL on 127.0.0.1 (as in test_postgres_gradebook)."""
    with running_postgres() as url:
        yield url


@pytest.fixture(scope="module")
def hub(base: Path, os_users: dict[str, pwd.struct_passwd], postgres: str) -> Iterator[Hub]:
    assert CHP.is_file(), "configurable-http-proxy is missing: run `make vendor` (make test-hub does)"
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # as the guide says: every user's server writes here
    course = course_folder(os_users[GRADER])
    settings = {
        "course_env": str(VENV_BIN.parent),
        "jupyter_config": str(ROOT / "deploy" / "jupyter"),
        "exchange_root": str(exchange),
        "courses": {COURSE_ID: {"grader": GRADER, "course_dir": str(course), "service_port": free_port(),
                                "gradebook_url": postgres, "instructors": [INSTRUCTOR],
                                "students": [STUDENT_RIGHT, STUDENT_WRONG]}},
    }
    (base / "hub-settings.json").write_text(json.dumps(settings, indent=2))
    port, driver_token = free_port(), secrets.token_hex(32)
    # The deployment's own config file, then only what makes this hub a loopback test hub.
    (base / "jupyterhub_config.py").write_text(f"""
c = get_config()
# The site's own service and role, set before the course's file as TLJH sets its idle culler: they must survive it.
c.JupyterHub.services = [{{"name": {DRIVER!r}, "api_token": {driver_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": [{DRIVER!r}]}}]
load_subconfig({str(ROOT / 'deploy' / 'tljh' / 'jupyterhub_config.d' / 'painlab_courses.py')!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(base / 'proxy.pid')!r}
c.JupyterHub.db_url = "sqlite:///{base / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(base / 'jupyterhub_cookie_secret')!r}
c.JupyterHub.cleanup_servers = True
c.Spawner.start_timeout = {int(START_TIMEOUT_S)}
c.Spawner.http_timeout = {int(START_TIMEOUT_S)}
""")
    log = base / "hub.log"
    env = dict(os.environ, PAINLAB_HUB_SETTINGS=str(base / "hub-settings.json"),
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}")
    with open(log, "w") as log_file:
        process = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(base / "jupyterhub_config.py")], cwd=base,
                                   env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    the_hub = Hub(f"http://127.0.0.1:{port}", driver_token, exchange, course, postgres, log)
    try:
        wait_for("the hub API", lambda: the_hub.api("GET", "/").ok, START_TIMEOUT_S, log, process)
        yield the_hub
    finally:
        for user in TEST_USERS[:3]:  # stop the servers through the hub first, as an admin would
            try:
                the_hub.api("DELETE", f"/users/{user}/server")
            except requests.RequestException:
                pass
        process.send_signal(signal.SIGTERM)  # the hub stops its proxy and its managed services
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        proxy_pid = base / "proxy.pid"
        if proxy_pid.exists():
            try:
                os.kill(int(proxy_pid.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass


@pytest.fixture(scope="module")
def tokens(hub: Hub) -> dict[str, str]:
    """Each user's own API token, issued by the hub (what a logged-in browser session would carry)."""
    issued = {}
    for user in (INSTRUCTOR, STUDENT_RIGHT, STUDENT_WRONG):
        response = hub.api("POST", f"/users/{user}/tokens", json={"note": "hub test"})
        assert response.status_code == 201, response.text
        issued[user] = response.json()["token"]
    return issued


def start_server(hub: Hub, user: str) -> None:
    response = hub.api("POST", f"/users/{user}/server")
    assert response.status_code in (201, 202), response.text
    wait_for(f"{user}'s server", lambda: hub.api("GET", f"/users/{user}").json()["servers"].get("", {}).get("ready"),
             START_TIMEOUT_S, hub.log)


def ok_json(response: requests.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:2000])
    return response.json()


def formgrader(hub: Hub, token: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    return hub.via_proxy(method, f"/services/{COURSE_ID}/formgrader/api{path}", token, **kwargs)


def assignments(hub: Hub, user: str, token: str, action: str = "") -> list[dict]:
    """The Assignments tab's handler on the user's own server: list, or fetch/submit (then the new list)."""
    if action:
        response = hub.via_proxy("POST", f"/user/{user}/assignments/{action}", token,
                                 data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
    else:
        response = hub.via_proxy("GET", f"/user/{user}/assignments", token, params={"course_id": COURSE_ID})
    answer = ok_json(response)
    assert answer["success"], answer
    return answer["value"]


def entry(listing: list[dict], status: str) -> dict:
    found = [a for a in listing if a["assignment_id"] == ASSIGNMENT and a["status"] == status]
    assert found, (status, listing)
    return found[0]


@pytest.fixture(scope="module")
def taught(hub: Hub, tokens: dict[str, str], os_users: dict[str, pwd.struct_passwd]) -> dict[str, Any]:
    """The whole class through the hub; returns what the tests below check."""
    for user in (INSTRUCTOR, STUDENT_RIGHT, STUDENT_WRONG):
        start_server(hub, user)
    dr = tokens[INSTRUCTOR]
    wait_for("the formgrader service", lambda: formgrader(hub, dr, "GET", "/status").status_code == 200,
             START_TIMEOUT_S, hub.log)

    generated = ok_json(formgrader(hub, dr, "POST", f"/assignment/{ASSIGNMENT}/assign"))
    assert generated["success"], generated
    released = ok_json(formgrader(hub, dr, "POST", f"/assignment/{ASSIGNMENT}/release"))
    assert released["success"], released

    source = nbformat.read(ROOT / "assignments" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    answers = {STUDENT_RIGHT: lambda nb: solved_copy(nb, source), STUDENT_WRONG: lambda nb: with_answers(nb, WRONG)}
    listings = {}
    for student, answer in answers.items():
        token = tokens[student]
        listings[student, "before"] = assignments(hub, student, token)
        fetched = entry(assignments(hub, student, token, "fetch"), "fetched")
        path = fetched["notebooks"][0]["path"]
        contents = f"/user/{student}/api/contents/{path}"
        release = nbformat.from_dict(ok_json(hub.via_proxy("GET", contents, token))["content"])
        saved = hub.via_proxy("PUT", contents, token, json={"type": "notebook", "format": "json",
                                                               "content": answer(release)})
        assert saved.status_code == 200, saved.text
        listings[student, "after"] = assignments(hub, student, token, "submit")

    collected = ok_json(formgrader(hub, dr, "POST", f"/assignment/{ASSIGNMENT}/collect"))
    assert collected["success"], collected
    for student in answers:
        graded = ok_json(formgrader(hub, dr, "POST", f"/submission/{ASSIGNMENT}/{student}/autograde"))
        assert graded["success"], graded
    submissions = ok_json(formgrader(hub, dr, "GET", f"/submissions/{ASSIGNMENT}"))
    # the formgrader's Manage Assignments page (it lists the exchange through JupyterHubAuthPlugin)
    managed = ok_json(formgrader(hub, dr, "GET", "/assignments"))
    return {"listings": listings, "submissions": {s["student"]: s for s in submissions}, "fetched_path": path,
            "managed": {a["name"]: a for a in managed}}


LESSON = Path("notebooks") / "01_basics" / "01_pain_physiology.ipynb"


@pytest.fixture(scope="module")
def lessons_repo(base: Path, os_users: dict[str, pwd.struct_passwd]) -> Path:
    """A public student copy of the lessons (no assignments/source), as a git repository nbgitpuller can pull.

    It is created by the student who pulls it: git refuses to read a repository another user owns.
    """
    repo = base / "lessons"
    repo.mkdir()
    os.chown(repo, os_users[STUDENT_RIGHT].pw_uid, os_users[STUDENT_RIGHT].pw_gid)
    as_student = ["runuser", "-u", STUDENT_RIGHT, "--", "git", "-C", str(repo)]
    subprocess.run(["runuser", "-u", STUDENT_RIGHT, "--", "mkdir", "-p", str(repo / LESSON.parent)], check=True)
    subprocess.run(["runuser", "-u", STUDENT_RIGHT, "--", "cp", str(ROOT / LESSON), str(repo / LESSON)], check=True)
    for command in (["init", "--quiet", "--initial-branch=main"], ["add", "."],
                    ["-c", "user.name=Course", "-c", "user.email=course@example.org", "commit", "--quiet", "-m", "lessons"]):
        subprocess.run([*as_student, *command], check=True, capture_output=True, text=True)
    return repo


def browser_login(hub: Hub, user: str) -> requests.Session:
    """Log in on the hub's login page as a person would (PAM, the Unix password), keeping the cookies."""
    password = secrets.token_urlsafe(16)
    subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True, capture_output=True)
    session = requests.Session()
    page = session.get(f"{hub.url}/hub/login", timeout=REQUEST_TIMEOUT_S)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    assert xsrf, page.text[:2000]
    answer = session.post(f"{hub.url}/hub/login", data={"username": user, "password": password, "_xsrf": xsrf.group(1)},
                          timeout=REQUEST_TIMEOUT_S, allow_redirects=False)
    assert answer.status_code == 302 and "login" not in answer.headers["Location"], (answer.status_code, answer.text[:500])
    return session


@pytest.fixture(scope="module")
def pulled(hub: Hub, tokens: dict[str, str], taught: dict[str, Any], lessons_repo: Path) -> dict[str, Any]:
    """A student follows an nbgitpuller link to the lessons, through the hub."""
    token, query = tokens[STUDENT_RIGHT], {"repo": f"file://{lessons_repo}", "branch": "main",
                                           "urlpath": f"lab/tree/lessons/{LESSON.as_posix()}"}
    # the link a course page gives students, opened by a logged-in student: the hub sends them to their own
    # server (through its OAuth login), whose git-pull page then starts the pull from the browser
    landing = browser_login(hub, STUDENT_RIGHT).get(f"{hub.url}/hub/user-redirect/git-pull", params=query,
                                                    timeout=REQUEST_TIMEOUT_S)
    # what the git-pull page then runs on that server (an event stream that ends when the pull is done)
    stream = hub.via_proxy("GET", f"/user/{STUDENT_RIGHT}/git-pull/api", token, params=query)
    contents = hub.via_proxy("GET", f"/user/{STUDENT_RIGHT}/api/contents/lessons/{LESSON.as_posix()}", token,
                             params={"content": 0})
    return {"landing": landing, "server_page": f"{hub.url}/user/{STUDENT_RIGHT}/git-pull?", "stream": stream.text,
            "contents": contents}


# --- what the class must show --------------------------------------------------------------------------------

def test_the_hub_runs_the_course_environment(hub: Hub, tokens: dict[str, str]) -> None:
    info = ok_json(hub.api("GET", "/info"))
    assert info["version"] == "6.1.1"
    assert info["spawner"]["class"] == "jupyterhub.spawner.LocalProcessSpawner"
    services = ok_json(hub.api("GET", "/services"))  # keyed by service name
    assert set(services) == {COURSE_ID, DRIVER}, "the course's service joins the site's services, never replaces them"
    assert services[COURSE_ID]["command"][0] == str(VENV_BIN / "jupyterhub-singleuser")


def test_groups_give_each_account_its_part(hub: Hub) -> None:
    groups = {g["name"]: set(g["users"]) for g in ok_json(hub.api("GET", "/groups"))}
    assert groups[f"formgrade-{COURSE_ID}"] == {INSTRUCTOR, GRADER}
    assert groups[f"nbgrader-{COURSE_ID}"] == {INSTRUCTOR, STUDENT_RIGHT, STUDENT_WRONG}


def test_every_student_gets_the_expected_score(taught: dict[str, Any], hub: Hub) -> None:
    submissions = taught["submissions"]
    assert {s: submissions[s]["score"] for s in (STUDENT_RIGHT, STUDENT_WRONG)} == \
        {STUDENT_RIGHT: FULL_POINTS, STUDENT_WRONG: 0.0}
    assert all(submissions[s]["autograded"] for s in (STUDENT_RIGHT, STUDENT_WRONG))
    # the same grades, read from the PostgreSQL gradebook the formgrader service wrote them to
    assert hub.gradebook_url.startswith("postgresql://")
    with Gradebook(hub.gradebook_url) as gradebook:
        stored = {s.student.id: float(s.score) for s in gradebook.assignment_submissions(ASSIGNMENT)}
    assert stored == {STUDENT_RIGHT: FULL_POINTS, STUDENT_WRONG: 0.0}
    assert not (hub.course_dir / "gradebook.db").exists(), "no SQLite gradebook beside the PostgreSQL one"


def test_the_formgrader_shows_the_assignment_released_and_collected(taught: dict[str, Any]) -> None:
    assignment = taught["managed"][ASSIGNMENT]
    assert assignment["status"] == "released"
    assert assignment["num_submissions"] == 2
    source = nbformat.read(ROOT / "assignments" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    points = sum(c.metadata["nbgrader"]["points"] for c in source.cells if c.metadata.get("nbgrader", {}).get("grade"))
    assert assignment["max_score"] == points > FULL_POINTS  # the autograded points and the written answer


def test_students_saw_the_assignment_move_through_their_assignments_tab(taught: dict[str, Any]) -> None:
    for student in (STUDENT_RIGHT, STUDENT_WRONG):
        assert entry(taught["listings"][student, "before"], "released")["course_id"] == COURSE_ID
        submitted = entry(taught["listings"][student, "after"], "submitted")
        assert len(submitted["submissions"]) == 1
    # path_includes_course: the fetched copy lands in <home>/<course>/<assignment>/
    assert taught["fetched_path"] == f"{COURSE_ID}/{ASSIGNMENT}/{NOTEBOOK}.ipynb"


def test_the_exchange_keeps_each_identity(taught: dict[str, Any], hub: Hub, os_users: dict[str, pwd.struct_passwd]) -> None:
    course = hub.exchange / COURSE_ID
    inbound = course / "inbound"
    assert course.is_dir(), "path_includes_course puts the course's folders under <exchange>/<course>/"
    assert oct(inbound.stat().st_mode & 0o7777) == oct(0o2733), "students may write into inbound, not list it"
    owners = {entry.name.split("+")[0]: pwd.getpwuid(entry.stat().st_uid).pw_name for entry in inbound.iterdir()}
    assert owners == {STUDENT_RIGHT: STUDENT_RIGHT, STUDENT_WRONG: STUDENT_WRONG}, "each submission owned by its student"
    # a student cannot list the others' submissions (checked as that OS user)
    peek = subprocess.run(["runuser", "-u", STUDENT_WRONG, "--", "ls", str(inbound)], capture_output=True, text=True)
    assert peek.returncode != 0 and "Permission denied" in peek.stderr
    # the release is owned by the grader account, which ran the formgrader service
    assert pwd.getpwuid((course / "outbound" / ASSIGNMENT).stat().st_uid).pw_name == GRADER
    collected = hub.course_dir / "submitted" / STUDENT_RIGHT / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert pwd.getpwuid(collected.stat().st_uid).pw_name == GRADER


def test_only_the_course_graders_reach_the_formgrader(taught: dict[str, Any], hub: Hub, tokens: dict[str, str]) -> None:
    assert formgrader(hub, tokens[INSTRUCTOR], "GET", "/status").status_code == 200
    assert formgrader(hub, tokens[STUDENT_RIGHT], "GET", "/status").status_code == 403
    # and no one's own server carries a formgrader of its own (deploy/jupyter/users switches it off)
    for user in (INSTRUCTOR, STUDENT_RIGHT):
        assert hub.via_proxy("GET", f"/user/{user}/formgrader/api/status", tokens[user]).status_code == 404
    # a student's token opens only that student's server
    assert hub.via_proxy("GET", f"/user/{STUDENT_WRONG}/api/contents", tokens[STUDENT_RIGHT]).status_code in (403, 404)


def test_a_lesson_link_pulls_the_lessons_into_the_students_home(pulled: dict[str, Any]) -> None:
    landing = pulled["landing"]
    assert landing.status_code == 200
    assert landing.url.startswith(pulled["server_page"]), landing.url
    assert '"phase": "finished"' in pulled["stream"], pulled["stream"][-2000:]
    assert pulled["contents"].status_code == 200, pulled["contents"].text
    assert pulled["contents"].json()["type"] == "notebook"
