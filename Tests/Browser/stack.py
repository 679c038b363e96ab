"""A Psyx stack of its own for a test run: `nginx/dev up` on a free port with a
temporary data directory and run directory, so it never touches the
developer's own instance (.psyx-data, .psyx-run, port 8080)."""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "nginx" / "dev"
HTPASSWD = REPO / "htpasswd.example"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "psyx-dev"

# Settings of the developer's environment that would change the stack under
# test are dropped; these two only say how psyx is built, and are kept.
KEPT_SETTINGS = {"PSYX_BUILD", "PSYX_SCRATCH"}


def free_port():
    """A port nothing listens on right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_alive(pid):
    """True while `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


class Stack:
    """psyx + Nginx started by nginx/dev, with PSYX_PACK_SIZE pairs per pack; `hold_seconds`
    (PSYX_HOLD_SECONDS) shortens every start's hold on its participant number."""

    def __init__(self, pack_size, time_limit=3.0, hold_seconds=None):
        # A short path: the socket lives in the run directory (108-byte limit).
        self.root = Path(tempfile.mkdtemp(prefix="psyx-browser-"))
        self.run_dir = self.root / "run"
        self.data_dir = self.root / "data"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.pack_size = pack_size
        self.time_limit = time_limit
        self.hold_seconds = hold_seconds
        self.running = False
        self._stopped_api = None  # (argv, environ, cwd) of a psyx stopped by stop_api

    def environment(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PSYX_") or k in KEPT_SETTINGS}
        env.update(
            PSYX_PORT=str(self.port),
            PSYX_RUN=str(self.run_dir),
            PSYX_DATA=str(self.data_dir),
            PSYX_HTPASSWD=str(HTPASSWD),
            PSYX_PACK_SIZE=str(self.pack_size),
            PSYX_TIME_LIMIT=str(self.time_limit),
        )
        if self.hold_seconds is not None:
            env["PSYX_HOLD_SECONDS"] = str(self.hold_seconds)
        return env

    def _dev(self, command, timeout):
        return subprocess.run(
            [str(DEV), command], cwd=REPO, env=self.environment(),
            capture_output=True, text=True, timeout=timeout,
        )

    def up(self):
        atexit.register(self.down, keep=True)  # only if the fixture could not (stops, keeps the files)
        self.running = True  # from here on, `down` has something to stop
        result = self._dev("up", timeout=1800)
        if result.returncode != 0:
            self.down()
            raise RuntimeError(
                f"nginx/dev up failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        self.wait_healthy(20)
        return self

    def down(self, keep=False):
        """Stops psyx and Nginx (nginx/dev down) and removes the temporary folder unless `keep`."""
        if self.running:
            result = self._dev("down", timeout=60)
            if result.returncode != 0:
                print(f"nginx/dev down failed:\n{result.stdout}\n{result.stderr}")
            self.running = False
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)

    # ---- HTTP ----

    def get_status(self, path, timeout=5):
        """The HTTP status of a plain GET (0 when nothing answers)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code
        except (urllib.error.URLError, OSError):
            return 0

    def wait_healthy(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.get_status("/api/health") == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.base}/api/health did not answer 200 within {seconds} s")

    # ---- Stopping and restarting psyx alone (Nginx keeps running) ----

    def psyx_pid(self):
        return int((self.run_dir / "psyx.pid").read_text().strip())

    def stop_api(self):
        """Stops psyx only, as a crash or a restart would: Nginx then answers 502."""
        pid = self.psyx_pid()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
        if not argv or b"psyx" not in argv[0]:
            raise RuntimeError(f"pid {pid} in psyx.pid is not psyx: {argv!r}")
        environ = dict(
            entry.split(b"=", 1) for entry in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") if b"=" in entry)
        cwd = os.readlink(f"/proc/{pid}/cwd")
        self._stopped_api = (argv, environ, cwd)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if process_alive(pid):
            os.kill(pid, signal.SIGKILL)
        status = self.get_status("/api/health")
        if status != 502:
            raise RuntimeError(f"with psyx stopped, /api/health answered {status}, not 502")

    def restart_api(self):
        """Starts psyx again exactly as nginx/dev started it, and records its pid for nginx/dev down."""
        if self._stopped_api is None:
            raise RuntimeError("restart_api without stop_api")
        argv, environ, cwd = self._stopped_api
        self._stopped_api = None
        # Through a shell that exits at once, so psyx is nobody's child here
        # (as with nginx/dev) and `nginx/dev down` can stop it by its pid.
        launched = subprocess.run(
            ["sh", "-c", 'out=$1; shift; "$@" </dev/null >>"$out" 2>&1 & echo $!', "sh",
             str(self.run_dir / "psyx.out").encode(), *argv],
            env=environ, cwd=cwd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
            start_new_session=True, check=True,
        )
        pid = launched.stdout.decode().strip()
        (self.run_dir / "psyx.pid").write_text(pid + "\n")
        self.wait_healthy(20)

    def access_log(self):
        """Nginx's access log lines (method, path and status are what the tests read)."""
        path = self.run_dir / "logs" / "access.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []
