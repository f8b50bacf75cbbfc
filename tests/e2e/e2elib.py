# e2elib.py: shared helpers of the end-to-end tests (finch-e2e, pidgin-e2e)
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tests drive real Finch (Finch: in a tmux of its own) and Pidgin
# (Pidgin: on an Xvfb display of its own) against the standalone fake
# Plannr server (FakeServer: tests/fake/plannr-fake-server) and script them
# over libpurple's D-Bus interface (Purple), on a private session bus of
# their own; tools/screenshots uses the same pieces.  Python 3 and
# python3-dbus from Debian; no other modules.
#
# Everything a test starts is registered with Cleanup, which runs on normal
# exit, on an exception and on SIGTERM/SIGINT/SIGHUP (meson's timeout sends
# SIGTERM to the test's process group).

import argparse
import fnmatch
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from xml.sax.saxutils import escape as xml_escape

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))

SKIP = 77

PURPLE_SERVICE = "im.pidgin.purple.PurpleService"
PURPLE_OBJECT = "/im/pidgin/purple/PurpleObject"
PURPLE_INTERFACE = "im.pidgin.purple.PurpleInterface"

# libpurple enums, as numbers (D-Bus has no names for them).
CONV_TYPE_CHAT = 2
CONNECTION_CONNECTED = 1
MESSAGE_SEND = 0x0001
MESSAGE_RECV = 0x0002
MESSAGE_SYSTEM = 0x0004
MESSAGE_ERROR = 0x0200
MESSAGE_DELAYED = 0x0400


# --- output ------------------------------------------------------------------

def log(*parts):
    """A diagnostic line; TAP readers ignore lines starting with '#'."""
    text = " ".join(str(p) for p in parts)
    for line in text.splitlines() or [""]:
        print("# " + line, flush=True)


class Tap:
    """A TAP producer with a trailing plan, so checks can be added as the
    run goes.  exit_code() is 0 only when every check passed."""

    def __init__(self):
        self.count = 0
        self.failed = []

    def check(self, ok, description, diagnostics=None):
        self.count += 1
        ok = bool(ok)
        print("%s %d - %s" % ("ok" if ok else "not ok", self.count, description), flush=True)
        if not ok:
            self.failed.append(description)
            if diagnostics:
                log(diagnostics)
        return ok

    def skip(self, description, reason):
        self.count += 1
        print("ok %d - %s # SKIP %s" % (self.count, description, reason), flush=True)

    def bail(self, reason):
        print("Bail out! %s" % reason, flush=True)

    def finish(self):
        print("1..%d" % self.count, flush=True)
        if self.failed:
            log("%d of %d checks FAILED:" % (len(self.failed), self.count))
            for f in self.failed:
                log("  FAIL: " + f)
        else:
            log("all %d checks passed" % self.count)
        return 1 if self.failed else 0


def skip_test(reason):
    """Exit 77, which meson reports as SKIP, with the reason on stdout."""
    print("1..0 # SKIP " + reason, flush=True)
    sys.exit(SKIP)


def need_programs(*names):
    """Skip the test unless all of @names are on PATH."""
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        skip_test("not installed: " + ", ".join(missing)
                  + " (tools/install-deps.sh installs them)")


def have_python_dbus():
    try:
        import dbus
        return dbus is not None
    except ImportError:
        return False


# --- waiting -------------------------------------------------------------------

def wait_for(predicate, timeout, interval=0.2):
    """Calls @predicate until it returns something true or @timeout seconds
    passed; returns that value, or the last false one."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# --- cleanup -------------------------------------------------------------------

class Cleanup:
    """Callbacks run once, newest first, on exit or on a fatal signal."""

    def __init__(self):
        self.actions = []
        self.done = False
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._signal)

    def _signal(self, signum, frame):
        log("got signal %d, cleaning up" % signum)
        self.run()
        os._exit(128 + signum)

    def add(self, action):
        self.actions.append(action)

    def run(self):
        if self.done:
            return
        self.done = True
        while self.actions:
            action = self.actions.pop()
            try:
                action()
            except Exception:  # noqa: BLE001 - cleanup must go on
                log("cleanup step failed:\n" + traceback.format_exc())


_running = {"tap": None, "diag": None}


def register(tap, diag=None):
    """Makes an exception in the rest of the test a failed check of @tap
    (with @diag(), e.g. whether the client crashed) rather than a bare
    traceback."""
    _running["tap"] = tap
    _running["diag"] = diag


def run_main(main):
    """Runs main(cleanup) and exits with its code; cleanup runs whatever
    happens, and an unexpected exception is a failure with its traceback."""
    cleanup = Cleanup()
    code = 1
    try:
        code = main(cleanup)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:  # noqa: BLE001 - report, clean up, fail
        tap = _running["tap"]
        details = traceback.format_exc()
        if _running["diag"] is not None:
            try:
                details += "\n" + _running["diag"]()
            except Exception:  # noqa: BLE001
                details += "\n(diagnostics failed: %s)" % traceback.format_exc()
        if tap is not None:
            tap.check(False, "the test runs to its end (a D-Bus call failing usually means "
                      "the client crashed)", details)
            code = tap.finish()
        else:
            print("Bail out! unexpected error", flush=True)
            log(details)
            code = 1
    finally:
        cleanup.run()
    sys.stdout.flush()
    sys.exit(code)


def terminate(proc, timeout=5):
    """SIGTERM a Popen (its process group when it leads one), then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.terminate()
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    except ProcessLookupError:
        pass


def kill_pid(pid, timeout=3):
    """SIGTERM @pid, SIGKILL it if it is still there after @timeout s."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        # A child of ours: reap it, or it stays a zombie and "exists".
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def child_pids(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


# --- the private session bus ---------------------------------------------------

def reexec_on_private_bus():
    """Runs this script again inside dbus-run-session, so that the client
    under test owns im.pidgin.purple.PurpleService on a bus of its own
    (never the user's, where a running Pidgin may own it already)."""
    if os.environ.get("PLANNR_E2E_PRIVATE_BUS") == "1":
        return
    need_programs("dbus-run-session", "dbus-daemon")
    env = dict(os.environ)
    env["PLANNR_E2E_PRIVATE_BUS"] = "1"
    # Whatever bus the caller had is not ours to use.
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    sys.stdout.flush()
    os.execvpe("dbus-run-session",
               ["dbus-run-session", "--", sys.executable, os.path.abspath(sys.argv[0])]
               + sys.argv[1:], env)


# --- paths and arguments -------------------------------------------------------

def find_build_dir():
    for name in ("_build", "build", "BUILD"):
        path = os.path.join(SOURCE_ROOT, name)
        if os.path.exists(os.path.join(path, "src", "libplannr.so")):
            return path
    return os.path.join(SOURCE_ROOT, "_build")


def parse_args(description, extra=None):
    """The arguments every e2e script takes.  meson passes them all; run by
    hand, they default to the build dir found next to the sources."""
    build = os.environ.get("PLANNR_BUILD_DIR") or find_build_dir()
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--plugin-dir",
                        default=os.environ.get("PLANNR_PLUGIN_DIR") or os.path.join(build, "src"),
                        help="the directory holding libplannr.so")
    parser.add_argument("--fake-server",
                        default=os.environ.get("PLANNR_FAKE_SERVER")
                        or os.path.join(build, "tests", "fake", "plannr-fake-server"),
                        help="the plannr-fake-server program")
    parser.add_argument("--seed",
                        default=os.environ.get("PLANNR_SEED")
                        or os.path.join(SOURCE_ROOT, "tests", "fake", "seed.json"),
                        help="seed data for the fake server")
    parser.add_argument("--out-dir",
                        default=os.environ.get("PLANNR_E2E_OUT_DIR")
                        or os.path.join(build, "tests", "e2e"),
                        help="where screens, screenshots and logs are written")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (for debugging)")
    parser.add_argument("--installed", action="store_true",
                        help="use the plugin installed in libpurple's plugin directory, "
                             "loaded from there as a user's client would (no link in "
                             ".purple/plugins); --plugin-dir is ignored")
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    if args.installed:
        args.plugin_dir = subprocess.run(["pkg-config", "--variable=plugindir", "purple"],
                                         check=True, capture_output=True,
                                         text=True).stdout.strip()
    plugin = os.path.join(args.plugin_dir, "libplannr.so")
    for path, what in ((plugin, "the plugin"), (args.fake_server, "the fake server"),
                       (args.seed, "the seed data")):
        if not os.path.exists(path):
            print("Bail out! %s is missing: %s (build first)" % (what, path), flush=True)
            sys.exit(99)
    os.makedirs(args.out_dir, exist_ok=True)
    return args


def make_temp_home(cleanup, prefix, keep=False):
    """A scratch HOME with XDG dirs, TMPDIR and a .purple dir in it; the
    process environment is pointed at it so nothing touches the real home."""
    base = tempfile.mkdtemp(prefix=prefix)
    if keep:
        log("keeping the temporary directory " + base)
    else:
        cleanup.add(lambda: shutil.rmtree(base, ignore_errors=True))
    home = os.path.join(base, "home")
    for sub in ("", ".config", ".local/share", ".cache", "tmp", "run"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    os.chmod(os.path.join(home, "run"), 0o700)
    os.environ.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_DATA_HOME": os.path.join(home, ".local/share"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "XDG_RUNTIME_DIR": os.path.join(home, "run"),
        # libpurple's media init leaves files in TMPDIR.
        "TMPDIR": os.path.join(home, "tmp"),
        "GIO_USE_PROXY_RESOLVER": "dummy",
        "GIO_USE_VFS": "local",
        "NO_AT_BRIDGE": "1",
        "GSETTINGS_BACKEND": "memory",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # Times are shown in local time; fix it so "/edit HH:MM" is known.
        "TZ": "UTC",
    })
    time.tzset()
    # Fatal warnings are for the unit tests; a client's own warnings must
    # not kill it here.
    os.environ.pop("G_DEBUG", None)
    # Everything talks to loopback; a proxy from the environment would only
    # get in the way (libpurple's default proxy setting reads it).
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
        os.environ.pop(var, None)
    return base, home


# --- the fake Plannr server ----------------------------------------------------

# The fake is on loopback: never through an http_proxy from the environment.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class FakeServer:
    """The standalone plannr-fake-server on an ephemeral loopback port."""

    def __init__(self, program, seed, log_path, cleanup, timeout=15):
        self.log_path = log_path
        self.log_file = open(log_path, "w")
        self.proc = subprocess.Popen([program, "--port", "0", "--data", seed],
                                     stdout=subprocess.PIPE, stderr=self.log_file,
                                     stdin=subprocess.DEVNULL)
        cleanup.add(self.stop)
        self.base_url = None
        self.token = None
        deadline = time.monotonic() + timeout
        buf = b""
        while self.base_url is None or self.token is None:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise RuntimeError("the fake server did not start (%s); its stderr is in %s"
                                   % ("exited %s" % self.proc.returncode
                                      if self.proc.poll() is not None else "timeout", log_path))
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                continue
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode("utf-8", "replace").strip()
                if line.startswith("base-url: "):
                    self.base_url = line[len("base-url: "):]
                elif line.startswith("token: "):
                    self.token = line[len("token: "):]

    def stop(self):
        terminate(self.proc)
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log_file.close()

    def call(self, method, path, body=None, timeout=10):
        """A control or API request; returns (status, parsed JSON or text)."""
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers=headers)
        try:
            with _NO_PROXY.open(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, text

    def _control(self, method, path, body=None):
        status, answer = self.call(method, path, body)
        if status // 100 != 2:
            raise RuntimeError("fake server: %s %s answered %d: %r" % (method, path, status, answer))
        return answer

    def requests(self):
        return self._control("GET", "/_fake/requests")

    def dump(self):
        return self._control("GET", "/_fake/dump")

    def post_message(self, conversation, author, contents):
        answer = self._control("POST", "/_fake/conversation/%s/messages" % conversation,
                               {"author": author, "contents": contents})
        return answer.get("uuid") if isinstance(answer, dict) else None

    def rename(self, conversation, name):
        self._control("PUT", "/_fake/conversation/%s" % conversation, {"name": name})

    def create_conversation(self, name, participants, admins=()):
        """A new conversation on the server; returns its uuid."""
        answer = self._control("POST", "/_fake/conversation",
                               {"name": name, "participants": list(participants),
                                "admins": list(admins)})
        return answer.get("uuid") if isinstance(answer, dict) else None

    def edit(self, conversation, message, contents):
        self._control("PUT", "/_fake/conversation/%s/messages/%s" % (conversation, message),
                      {"contents": contents})

    def react(self, message, account, reaction):
        """@account gives @reaction to @message, as on the web app."""
        self._control("POST", "/_fake/reaction",
                      {"message": message, "account": account, "reaction": reaction})

    def find_requests(self, method=None, path=None, since=0):
        """Logged /api/ requests from index @since on whose method equals
        @method and whose path matches the glob @path (None: any)."""
        found = []
        for i, r in enumerate(self.requests()):
            if i < since:
                continue
            if method is not None and r.get("method") != method:
                continue
            if path is not None and not fnmatch.fnmatchcase(r.get("path") or "", path):
                continue
            found.append(r)
        return found

    def request_count(self):
        return len(self.requests())

    def conversation(self, uuid):
        for c in self.dump().get("conversations", []):
            if c.get("uuid") == uuid:
                return c
        return None

    def messages(self, conversation_uuid):
        c = self.conversation(conversation_uuid)
        return c.get("messages", []) if c else []


class Relay:
    """A TCP relay on an ephemeral loopback port in front of @port, so a
    client pointed at it can be slowed down: with @rate (bytes a second)
    set, what the client sends goes on at that pace, so that an upload
    stays on its way long enough to be seen.  Answers are not slowed."""

    def __init__(self, port, cleanup):
        self.target = port
        self.rate = None
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.base_url = "http://127.0.0.1:%d" % self.port
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()
        cleanup.add(self.close)

    def close(self):
        self.closed = True
        try:
            self.listener.close()
        except OSError:
            pass

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target), timeout=10)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src, dst, upstream):
        try:
            while True:
                rate = self.rate if upstream else None
                chunk = src.recv(16384 if rate else 65536)
                if not chunk:
                    break
                dst.sendall(chunk)
                if rate:
                    time.sleep(len(chunk) / float(rate))
        except OSError:
            pass
        finally:
            for sock, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
                try:
                    sock.shutdown(how)
                except OSError:
                    pass


def body_json(request):
    try:
        return json.loads(request.get("body") or "")
    except ValueError:
        return None


def describe_requests(requests, limit=12):
    lines = []
    for r in requests[-limit:]:
        lines.append("%s %s%s -> %s %s" % (r.get("method"), r.get("path"),
                                          "?" + r["query"] if r.get("query") else "",
                                          r.get("status"), (r.get("body") or "")[:200]))
    return "\n".join(lines) if lines else "(no requests)"


# --- seed data ---------------------------------------------------------------------

class Seed:
    """What the tests need to know of the seed: the first user, the account
    the fake prefers for them, and that account's conversations."""

    def __init__(self, path):
        with open(path) as f:
            self.data = json.load(f)
        self.user = self.data["users"][0]
        self.user_email = self.user["email"]
        self.token = self.user.get("token")
        preferred = self.data.get("preferred", {}).get(self.user["uuid"])
        mine = [a for a in self.data["accounts"] if a.get("user") == self.user["uuid"]]
        self.account = next((a for a in mine if a["uuid"] == preferred), mine[0])
        self.accounts = {a["uuid"]: a for a in self.data["accounts"]}
        self.conversations = [c for c in self.data.get("conversations", [])
                              if self.account["uuid"] in c.get("participants", [])]

    def pick_conversation(self):
        """A conversation of ours with history, another participant and us
        as admin (so that a rename is allowed)."""
        for c in self.conversations:
            others = [p for p in c["participants"] if p != self.account["uuid"]]
            if c.get("messages") and others and self.account["uuid"] in c.get("admins", []):
                return c, others[0]
        raise RuntimeError("the seed has no conversation with history where the "
                           "first user's account is an admin")


# --- the purple user dir -----------------------------------------------------------

def fill_template(path, values):
    with open(path) as f:
        text = f.read()
    for key, value in values.items():
        text = text.replace("@%s@" % key, xml_escape(str(value)))
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise RuntimeError("%s: unfilled %s" % (path, ", ".join(sorted(set(leftover)))))
    return text


def write_purple_dir(purple_dir, plugin_dir, base_url, token, account_name,
                     poll_interval=2, chat_poll_interval=1, link_plugin=True):
    """A libpurple user dir (the one -c names) with accounts.xml, prefs.xml
    and the plugin symlinked into its plugins/, where Finch and Pidgin look
    for plugins (libpurple 2 reads no plugin path from the environment)."""
    os.makedirs(os.path.join(purple_dir, "plugins"), exist_ok=True)
    os.chmod(purple_dir, 0o700)
    if link_plugin:
        os.symlink(os.path.abspath(os.path.join(plugin_dir, "libplannr.so")),
                   os.path.join(purple_dir, "plugins", "libplannr.so"))
    accounts = fill_template(os.path.join(HERE, "accounts.xml.in"), {
        "ACCOUNT_NAME": account_name,
        "TOKEN": token,
        "BASE_URL": base_url,
        "POLL_INTERVAL": poll_interval,
        "CHAT_POLL_INTERVAL": chat_poll_interval,
    })
    with open(os.path.join(purple_dir, "accounts.xml"), "w") as f:
        f.write(accounts)
    os.chmod(os.path.join(purple_dir, "accounts.xml"), 0o600)
    shutil.copy(os.path.join(HERE, "prefs.xml"), os.path.join(purple_dir, "prefs.xml"))


# --- libpurple over D-Bus ------------------------------------------------------------

class Purple:
    """libpurple's D-Bus interface: purple.PurpleAccountsFind(...) calls the
    method of that name with a timeout."""

    def __init__(self, timeout):
        import dbus
        self.dbus = dbus
        self.bus = dbus.SessionBus()
        ok = wait_for(lambda: self.bus.name_has_owner(PURPLE_SERVICE), timeout, 0.2)
        if not ok:
            raise RuntimeError("%s did not appear on the session bus within %d s"
                               % (PURPLE_SERVICE, timeout))
        obj = self.bus.get_object(PURPLE_SERVICE, PURPLE_OBJECT)
        self.iface = dbus.Interface(obj, PURPLE_INTERFACE)

    def __getattr__(self, name):
        method = getattr(self.iface, name)

        def call(*args):
            return method(*args, timeout=15)
        return call

    def alive(self):
        try:
            return self.bus.name_has_owner(PURPLE_SERVICE)
        except Exception:  # noqa: BLE001
            return False

    # Conveniences on top of the raw calls.

    def account(self, name, protocol="prpl-plannr"):
        return int(self.PurpleAccountsFind(name, protocol))

    def signed_in(self, account):
        if not self.PurpleAccountIsConnected(account):
            return False
        gc = self.PurpleAccountGetConnection(account)
        return gc != 0 and int(self.PurpleConnectionGetState(gc)) == CONNECTION_CONNECTED

    def group_chats(self, group_name):
        """(node id, chat name) of the chats in a buddy-list group."""
        group = int(self.PurpleFindGroup(group_name))
        chats = []
        if group == 0:
            return chats
        node = int(self.PurpleBlistNodeGetFirstChild(group))
        while node:
            if self.PurpleBlistNodeIsChat(node):
                chats.append((node, str(self.PurpleChatGetName(node))))
            node = int(self.PurpleBlistNodeGetSiblingNext(node))
        return chats

    def find_chat_conversation(self, account, name):
        return int(self.PurpleFindConversationWithAccount(CONV_TYPE_CHAT, name, account))

    def history(self, conv):
        """The conversation's message history, oldest first, as dicts."""
        out = []
        for m in self.PurpleConversationGetMessageHistory(conv):
            out.append({
                "who": str(self.PurpleConversationMessageGetSender(m)),
                "flags": int(self.PurpleConversationMessageGetFlags(m)),
                "time": int(self.PurpleConversationMessageGetTimestamp(m)),
                "text": str(self.PurpleConversationMessageGetMessage(m)),
            })
        # libpurple prepends, so the list comes newest first.
        out.reverse()
        return out

    def chat_users(self, conv):
        chat = self.PurpleConversationGetChatData(conv)
        return [str(self.PurpleConvChatCbGetName(u)) for u in self.PurpleConvChatGetUsers(chat)]


def strip_html(text):
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<[^>]*>", "", text)
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&#39;", "'").replace("&amp;", "&"))


def history_lines(history):
    return ["%s [%s] %s" % (h["who"] or "-", hex(h["flags"]), strip_html(h["text"])) for h in history]


def history_has(history, text, who=None, exact=False):
    """Entries whose plain text contains (or equals) @text."""
    hits = []
    for h in history:
        plain = strip_html(h["text"])
        if (plain == text if exact else text in plain) and (who is None or h["who"] == who):
            hits.append(h)
    return hits


def tail(path, lines=40, grep=None):
    try:
        with open(path, errors="replace") as f:
            content = f.read().splitlines()
    except OSError as e:
        return "(cannot read %s: %s)" % (path, e)
    if grep is not None:
        content = [line for line in content if re.search(grep, line)]
    return "\n".join(content[-lines:])


# --- the clients: Finch in tmux, Pidgin on Xvfb -------------------------------------

FINCH_COLS, FINCH_ROWS = 150, 48


class Finch:
    """Finch in a detached tmux session of its own tmux server."""

    def __init__(self, base, purple_dir, debug_log, cleanup, cols=FINCH_COLS, rows=FINCH_ROWS):
        self.sock = os.path.join(base, "tmux.sock")
        self.status_file = os.path.join(base, "finch.status")
        conf = os.path.join(base, "tmux.conf")
        script = os.path.join(base, "finch.sh")
        with open(conf, "w") as f:
            # The pane stays after Finch exits, so its last screen can be read.
            f.write("set -g remain-on-exit on\n"
                    "set -g status off\n"
                    "set -g default-terminal screen\n"
                    "set -g history-limit 5000\n")
        with open(script, "w") as f:
            f.write('#!/bin/sh\n'
                    'finch -c "%s" -d 2>"%s"\n'
                    'echo $? >"%s"\n' % (purple_dir, debug_log, self.status_file))
        os.chmod(script, 0o755)
        cleanup.add(self.stop)
        subprocess.run(["tmux", "-S", self.sock, "-f", conf, "new-session", "-d",
                        "-s", "finch", "-x", str(cols), "-y", str(rows), script],
                       check=True, stdin=subprocess.DEVNULL)
        self.shell_pid = int(self.tmux("display-message", "-p", "-t", "finch",
                                       "#{pane_pid}").strip())

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.sock] + list(args), check=True,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True).stdout

    def exit_status(self):
        try:
            with open(self.status_file) as f:
                return int(f.read().strip() or "-1")
        except (OSError, ValueError):
            return None

    def screen(self, escapes=False):
        args = ["capture-pane", "-p", "-t", "finch"]
        if escapes:
            args.append("-e")
        try:
            return self.tmux(*args)
        except subprocess.CalledProcessError:
            return ""

    def focused_window(self):
        """The title of the focused window, from Finch's task bar (the last
        row), where it is the one drawn on a blue background."""
        lines = self.screen(escapes=True).rstrip("\n").split("\n")
        for line in reversed(lines):
            m = re.search(r"\x1b\[(?:[0-9;]*;)?44m([^\x1b]*)", line)
            if m:
                return m.group(1).strip()
        return None

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "finch", *keys)

    def type_line(self, text):
        self.tmux("send-keys", "-t", "finch", "-l", text)
        self.tmux("send-keys", "-t", "finch", "Enter")

    def focus(self, predicate, tries=8):
        """Cycles windows with Alt-n until predicate() holds."""
        for _ in range(tries):
            if predicate():
                return True
            before = self.focused_window()
            self.keys("M-n")
            wait_for(lambda: self.focused_window() != before, 2, 0.05)
        return bool(predicate())

    def close_debug_window(self):
        """finch -d opens its debug window over the buddy list; the log goes
        to stderr anyway, so close it for a readable screen."""
        if "Debug Window" not in self.screen():
            return True
        if not self.focus(lambda: self.focused_window() == "Debug Window"):
            return False
        self.keys("M-c")
        return bool(wait_for(lambda: "Debug Window" not in self.screen(), 3, 0.1))

    def stop(self):
        for pid in child_pids(self.shell_pid):
            kill_pid(pid)
        try:
            self.tmux("kill-server")
        except subprocess.CalledProcessError:
            pass


PIDGIN_SCREEN = "1280x800x24"


class Pidgin:
    """Pidgin on an Xvfb display of its own."""

    def __init__(self, base, purple_dir, debug_log, cleanup, wrapper=()):
        """@wrapper: a command line Pidgin's is appended to (e.g. one that
        runs it in a mount namespace of its own)."""
        # Xvfb picks a free display number and writes it to the pipe.
        read_fd, write_fd = os.pipe()
        self.xvfb_log = open(os.path.join(base, "xvfb.log"), "w")
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", PIDGIN_SCREEN,
                                      "-nolisten", "tcp", "-noreset"],
                                     pass_fds=[write_fd], stdin=subprocess.DEVNULL,
                                     stdout=self.xvfb_log, stderr=self.xvfb_log)
        os.close(write_fd)
        cleanup.add(lambda: terminate(self.xvfb))
        display = b""
        deadline = time.monotonic() + 15
        while not display.endswith(b"\n") and time.monotonic() < deadline:
            chunk = os.read(read_fd, 64)
            if not chunk:
                break
            display += chunk
        os.close(read_fd)
        if not display.strip():
            raise RuntimeError("Xvfb did not start; see %s" % os.path.join(base, "xvfb.log"))
        self.display = ":" + display.decode().strip()
        os.environ["DISPLAY"] = self.display
        os.environ.pop("WAYLAND_DISPLAY", None)
        log("Xvfb on display %s" % self.display)

        self.log_file = open(debug_log, "w")
        self.proc = subprocess.Popen(list(wrapper) + ["pidgin", "-c", purple_dir, "-d"],
                                     stdin=subprocess.DEVNULL,
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        cleanup.add(self.stop)

    def exit_status(self):
        return self.proc.poll()

    def stop(self):
        terminate(self.proc)
        self.log_file.close()

    @staticmethod
    def have_xdotool():
        return shutil.which("xdotool") is not None

    def xdotool(self, *args, check=True):
        return subprocess.run(["xdotool"] + [str(a) for a in args], check=check,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True).stdout

    def windows(self):
        """{window id: title} of the visible top-level windows."""
        if not self.have_xdotool():
            return {}
        ids = self.xdotool("search", "--onlyvisible", "--name", ".", check=False).split()
        out = {}
        for wid in ids:
            name = self.xdotool("getwindowname", wid, check=False).strip()
            if name:
                out[int(wid)] = name
        return out

    def find_window(self, title):
        return next((wid for wid, name in self.windows().items() if name == title), None)

    def window_name(self, wid):
        return self.xdotool("getwindowname", wid, check=False).strip()

    def focus(self, wid):
        self.xdotool("windowraise", wid)
        self.xdotool("windowfocus", "--sync", wid)

    def type_line(self, wid, text):
        self.focus(wid)
        self.xdotool("type", "--clearmodifiers", "--delay", "15", text)
        self.xdotool("key", "--clearmodifiers", "Return")

    def edit_topic(self, wid, text):
        """Pidgin's editable topic: a double-click on the chat's header
        turns it into an entry; Enter calls the prpl's set_chat_topic."""
        self.focus(wid)
        self.xdotool("mousemove", "--window", wid, 200, 50)
        self.xdotool("click", "--repeat", 2, "--delay", 120, 1)
        time.sleep(0.3)
        self.xdotool("key", "--clearmodifiers", "ctrl+a")
        self.xdotool("type", "--clearmodifiers", "--delay", "15", text)
        self.xdotool("key", "--clearmodifiers", "Return")

    def screenshot(self, wid, path):
        target = "root" if wid is None else str(wid)
        if wid is not None:
            self.xdotool("windowraise", wid, check=False)
        subprocess.run(["import", "-window", target, path], check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)

    def diag(self):
        return "X windows: %s" % json.dumps(self.windows())


def png_info(path):
    """(width, height, number of colours) of a PNG, or None."""
    try:
        out = subprocess.run(["identify", "-format", "%w %h %k", path], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True).stdout
        w, h, k = out.split()
        return int(w), int(h), int(k)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return None


# --- the scenario both clients go through ---------------------------------------------

SIGNIN_TIMEOUT = 20    # s, from the client's start to a connected account
STEP_TIMEOUT = 15      # s, for one request of ours to reach the fake
REMOTE_TIMEOUT = 40    # s, for a change on the server to be polled and shown


def local_hhmm(iso):
    import datetime
    return datetime.datetime.fromisoformat(iso).astimezone().strftime("%H:%M")


def iso_to_unix(iso):
    import datetime
    return int(datetime.datetime.fromisoformat(iso).timestamp())


class Scenario:
    """The user's story, shared by finch-e2e and pidgin-e2e.  Each step
    records TAP checks; the client scripts supply the UI parts (typing a
    line, screen diagnostics)."""

    def __init__(self, tap, fake, seed, debug_log, ui_name, ui_diag=None):
        self.tap = tap
        self.fake = fake
        self.seed = seed
        self.debug_log = debug_log
        self.ui = ui_name
        self.ui_diag = ui_diag or (lambda: "")
        self.purple = None
        self.account = 0
        self.gc = 0
        self.conv = 0
        self.chat = 0
        self.chat_node = 0
        conv_seed, other_account = seed.pick_conversation()
        self.conv_seed = conv_seed
        self.conv_uuid = conv_seed["uuid"]
        self.conv_name = conv_seed["name"]
        self.other_account = other_account
        self.me = seed.account["name"]
        self.other = seed.accounts[other_account]["name"]
        self.account_name = seed.user_email
        self.post_path = "/api/v1/conversation/%s/messages" % self.conv_uuid
        self.conv_path = "/api/v1/conversation/%s" % self.conv_uuid
        self.typed_uuid = None
        self.remote_uuid = None

    # Diagnostics.

    def plugin_log(self, lines=30):
        return ("last lines of the plugin's debug log:\n"
                + tail(self.debug_log, lines, grep=r"plannr|CRITICAL|WARNING|ERROR"))

    def requests_diag(self, since=0):
        rs = self.fake.requests()[since:]
        return "requests the fake saw:\n" + describe_requests(
            [r for r in rs if r["method"] != "GET"] or rs)

    def chat_diag(self, lines=8):
        try:
            return "the chat's last lines:\n" + "\n".join(
                history_lines(self.purple.history(self.conv))[-lines:])
        except Exception as e:  # noqa: BLE001
            return "(no chat history: %s)" % e

    def title(self):
        return str(self.purple.PurpleConversationGetTitle(self.conv))

    def topic(self):
        return str(self.purple.PurpleConvChatGetTopic(self.chat))

    def blist_alias(self):
        return str(self.purple.PurpleChatGetName(self.chat_node)) if self.chat_node else None

    def history(self):
        return self.purple.history(self.conv)

    # Steps.

    def sign_in(self, exit_status):
        """D-Bus service, account, sign-in.  False when the rest is moot."""
        tap = self.tap
        try:
            self.purple = Purple(SIGNIN_TIMEOUT)
        except RuntimeError as e:
            tap.check(False, "%s exports libpurple's D-Bus service" % self.ui,
                      "%s\n%s exit status: %s\n%s\n%s" % (e, self.ui, exit_status(), self.ui_diag(),
                                                        tail(self.debug_log, 40)))
            return False
        tap.check(True, "%s exports libpurple's D-Bus service" % self.ui)
        purple = self.purple
        self.account = purple.account(self.account_name)
        if not tap.check(self.account != 0, "the prpl-plannr account from accounts.xml is loaded",
                         "PurpleAccountsFind(%r, 'prpl-plannr') = 0; plugin probing:\n%s"
                         % (self.account_name, tail(self.debug_log, 20, grep=r"plugins|plannr"))):
            return False
        ok = wait_for(lambda: purple.signed_in(self.account), SIGNIN_TIMEOUT)
        if not tap.check(ok, "the account signs in within %d s" % SIGNIN_TIMEOUT,
                         "connected: %s\n%s\n%s" % (purple.PurpleAccountIsConnected(self.account),
                                                    self.plugin_log(), self.ui_diag())):
            return False
        self.gc = int(purple.PurpleAccountGetConnection(self.account))
        return True

    def check_blist(self):
        purple = self.purple
        expected = sorted(c["name"] for c in self.seed.conversations)

        def names():
            return sorted(name for _, name in purple.group_chats("Plannr"))
        wait_for(lambda: names() == expected, 10)
        self.tap.check(names() == expected,
                       "the buddy list group 'Plannr' holds the %d seeded conversations by name"
                       % len(expected),
                       "expected %s\ngot      %s" % (expected, names()))
        self.chat_node = next((node for node, name in purple.group_chats("Plannr")
                               if name == self.conv_name), 0)
        found = int(purple.PurpleBlistFindChat(self.account, self.conv_uuid))
        self.tap.check(found != 0 and found == self.chat_node,
                       "purple_blist_find_chat (account, conversation uuid) finds the buddy-list chat",
                       "PurpleBlistFindChat(account, %r) = %d, the chat node is %d.  libpurple looks "
                       "chats up by the chat's conversation name (what get_chat_name returns, the "
                       "uuid): purple_conversation_autoset_title() uses it for the window title, "
                       "Pidgin for its chat menu.  Without a prpl find_blist_chat it compares the "
                       "FIRST chat_info entry's component with the uuid."
                       % (self.conv_uuid, found, self.chat_node))

    def join(self):
        purple, tap = self.purple, self.tap
        purple.ServJoinChat(self.gc, {"uuid": self.conv_uuid, "name": self.conv_name})
        self.conv = wait_for(lambda: purple.find_chat_conversation(self.account, self.conv_uuid),
                             STEP_TIMEOUT)
        if not tap.check(self.conv, "joining the chat opens a conversation named by the uuid",
                         "no chat conversation %r after serv_join_chat\n%s"
                         % (self.conv_uuid, self.plugin_log())):
            return False
        self.chat = int(purple.PurpleConversationGetChatData(self.conv))
        wait_for(lambda: self.title() == self.conv_name and self.topic() == self.conv_name, 5)
        tap.check(self.title() == self.conv_name and self.topic() == self.conv_name,
                  "the chat's title and topic are the conversation name",
                  "expected %r, title %r, topic %r" % (self.conv_name, self.title(), self.topic()))
        return True

    def check_history(self, history_count=50):
        seeded = [m for m in self.conv_seed["messages"] if not m.get("deleted_at")]
        expected = seeded[-history_count:]

        def shown():
            return [x for x in self.history() if x["flags"] & (MESSAGE_SEND | MESSAGE_RECV)]
        wait_for(lambda: len(shown()) >= len(expected), STEP_TIMEOUT)
        got = shown()
        problems = []
        if len(got) != len(expected):
            problems.append("expected %d messages, got %d" % (len(expected), len(got)))
        for want, have in zip(expected, got):
            author = self.seed.accounts[want["author"]]["name"]
            plain = strip_html(have["text"])
            if not plain.startswith(want["contents"]) or have["who"] != author:
                problems.append("expected %s: %r, got %s: %r" % (author, want["contents"],
                                                                 have["who"], plain))
            if not have["flags"] & MESSAGE_DELAYED:
                problems.append("not marked delayed: %r" % plain)
            if have["time"] != iso_to_unix(want["created_at"]):
                problems.append("time of %r is %d, the server's created_at is %d"
                                % (plain, have["time"], iso_to_unix(want["created_at"])))
        self.tap.check(not problems,
                       "the history shows the %d seeded messages in order, by author name, "
                       "delayed, at the server's time" % len(expected),
                       "\n".join(problems[:10]) + "\n" + self.chat_diag(25))

        # Others by display name; the user by the account's username,
        # which libpurple shows by the display name (the chat user's
        # alias, which D-Bus cannot read; the integration tests check it)
        # and BitlBee takes for "me".
        want = {self.account_name, self.other}
        users = wait_for(lambda: want <= set(self.purple.chat_users(self.conv))
                         and self.me not in self.purple.chat_users(self.conv), 5)
        self.tap.check(users, "the participants are chat users: others by display name (%s), "
                       "you by your username (%s), not twice" % (self.other, self.account_name),
                       "users: %s" % self.purple.chat_users(self.conv))

    def send_over_dbus(self, text):
        fake, purple, tap = self.fake, self.purple, self.tap
        mark = fake.request_count()
        purple.PurpleConvChatSend(self.chat, text)
        posts = wait_for(lambda: fake.find_requests("POST", self.post_path, mark), STEP_TIMEOUT)
        tap.check(posts and body_json(posts[0]) == {"contents": text}
                  and posts[0]["status"] // 100 == 2,
                  "a message sent over D-Bus is POSTed with {\"contents\": text}",
                  self.requests_diag(mark) + "\n" + self.plugin_log())
        shown = wait_for(lambda: history_has(self.history(), text, who=self.me, exact=True),
                         STEP_TIMEOUT)
        tap.check(shown and shown[0]["flags"] & MESSAGE_SEND,
                  "the sent message shows in the chat once the server took it, as sent by %s"
                  % self.me, self.chat_diag())
        # A few chat polls later it must still be there once (merged by uuid).
        mark2 = fake.request_count()
        wait_for(lambda: len(fake.find_requests("GET", self.post_path, mark2)) >= 3, 20)
        hits = history_has(self.history(), text, exact=True)
        posted = len(fake.find_requests("POST", self.post_path, mark))
        tap.check(len(hits) == 1 and posted == 1,
                  "after three more polls the message is still shown once and was posted once",
                  "shown %d times, posted %d times, polls seen %d"
                  % (len(hits), posted, len(fake.find_requests("GET", self.post_path, mark2))))

    def typed_message(self, type_line, typed):
        """@typed goes through the client's entry, so markup characters
        reach the plugin escaped; the server must get the plain text."""
        fake, tap = self.fake, self.tap
        mark = fake.request_count()
        type_line(typed)
        posts = wait_for(lambda: fake.find_requests("POST", self.post_path, mark), STEP_TIMEOUT)
        tap.check(posts and body_json(posts[0]) == {"contents": typed},
                  "text typed in %s with & < > ' is posted as that plain text" % self.ui,
                  "expected body %s\n%s\n%s" % (json.dumps({"contents": typed}),
                                                self.requests_diag(mark), self.ui_diag()))
        wait_for(lambda: history_has(self.history(), typed, who=self.me, exact=True), STEP_TIMEOUT)
        tap.check(history_has(self.history(), typed, who=self.me, exact=True),
                  "the typed message shows in the chat as typed (escaped once, not as markup)",
                  "\n".join("%r" % h["text"] for h in self.history()[-5:]))
        self.typed_uuid = next((m["uuid"] for m in fake.messages(self.conv_uuid)
                                if m.get("contents") == typed), None)

    def remote_message(self, text):
        self.remote_uuid = self.fake.post_message(self.conv_uuid, self.other_account, text)
        got = wait_for(lambda: history_has(self.history(), text, who=self.other, exact=True),
                       REMOTE_TIMEOUT)
        self.tap.check(got and got[0]["flags"] & MESSAGE_RECV
                       and not got[0]["flags"] & MESSAGE_DELAYED,
                       "a message another participant posts shows in the chat from %s within %d s"
                       % (self.other, REMOTE_TIMEOUT), self.chat_diag() + "\n" + self.plugin_log())

    def topic_query(self, type_line):
        type_line("/topic")
        got = wait_for(lambda: history_has(self.history(), "This conversation is called"), 5)
        name = self.title()
        self.tap.check(got and name in strip_html(got[-1]["text"]),
                       "/topic without a name tells the conversation's name",
                       self.chat_diag(5) + "\n" + self.ui_diag())

    def rename(self, how, new_name, action, extra=None):
        """@action renames to @new_name; the fake must get one PUT with it
        and the chat, the topic and the buddy list must follow."""
        fake, tap = self.fake, self.tap
        mark = fake.request_count()
        action()
        puts = wait_for(lambda: fake.find_requests("PUT", self.conv_path, mark), STEP_TIMEOUT)
        tap.check(puts and len(puts) == 1 and body_json(puts[0]) == {"name": new_name}
                  and puts[0]["status"] // 100 == 2,
                  "%s: PUT /api/v1/conversation/{uuid} {\"name\": %r} (once)" % (how, new_name),
                  self.requests_diag(mark) + "\n" + self.plugin_log() + "\n" + self.ui_diag())

        def applied():
            return (self.title() == new_name and self.topic() == new_name
                    and self.blist_alias() == new_name and (extra is None or extra(new_name)))
        wait_for(applied, STEP_TIMEOUT)
        tap.check(applied(),
                  "%s: title, topic and buddy-list alias%s become %r"
                  % (how, " and the window title" if extra else "", new_name),
                  "title %r, topic %r, alias %r%s" % (self.title(), self.topic(), self.blist_alias(),
                                                      "" if extra is None else "\n" + self.ui_diag()))

    def edit(self, how, uuid, contents, action):
        fake, tap = self.fake, self.tap
        path = "/api/v1/conversation/%s/messages/%s" % (self.conv_uuid, uuid)
        mark = fake.request_count()
        action()
        puts = wait_for(lambda: fake.find_requests("PUT", "/api/v1/conversation/*/messages/*", mark),
                        STEP_TIMEOUT)
        tap.check(puts and len(puts) == 1 and puts[0]["path"] == path
                  and body_json(puts[0]) == {"contents": contents} and puts[0]["status"] // 100 == 2,
                  "%s: PUT /api/v1/conversation/{c}/messages/{m} {\"contents\": %r} for message %s"
                  % (how, contents, uuid),
                  "expected PUT %s %s\n%s\n%s" % (path, json.dumps({"contents": contents}),
                                                  self.requests_diag(mark), self.plugin_log()))
        got = wait_for(lambda: [h for h in history_has(self.history(), contents)
                                if "edited" in strip_html(h["text"])], STEP_TIMEOUT)
        tap.check(got, "%s: the chat says the message was edited, with the new text" % how,
                  self.chat_diag(6))

    def substitution_never_posted(self, command):
        self.tap.check(all(body_json(r) != {"contents": command}
                           for r in self.fake.find_requests("POST", self.post_path)),
                       "s/old/new/ is never posted as a message", self.requests_diag())

    def edit_by_time(self, type_line, text):
        mine = [m for m in self.conv_seed["messages"]
                if m["author"] == self.seed.account["uuid"] and not m.get("deleted_at")]
        by_time = {}
        for m in mine:
            by_time.setdefault(local_hhmm(m["created_at"]), []).append(m)
        target = next((ms[0] for hhmm, ms in sorted(by_time.items()) if len(ms) == 1), None)
        if target is None:
            self.tap.skip("/edit HH:MM typed in %s" % self.ui,
                          "no message of mine with a unique HH:MM in the seed")
            return
        hhmm = local_hhmm(target["created_at"])
        self.edit("/edit %s TEXT typed in %s" % (hhmm, self.ui), target["uuid"], text,
                  lambda: type_line("/edit %s %s" % (hhmm, text)))

    def remote_rename(self, new_name, extra=None):
        fake, tap = self.fake, self.tap
        mark = fake.request_count()
        fake.rename(self.conv_uuid, new_name)

        def applied():
            return (self.title() == new_name and self.topic() == new_name
                    and self.blist_alias() == new_name)
        wait_for(applied, REMOTE_TIMEOUT)
        tap.check(applied(),
                  "a rename on the server shows as title, topic and buddy-list alias within %d s"
                  % REMOTE_TIMEOUT,
                  "expected %r: title %r, topic %r, alias %r\n%s\n%s"
                  % (new_name, self.title(), self.topic(), self.blist_alias(),
                     self.chat_diag(6), self.plugin_log()))
        if extra is not None:
            wait_for(lambda: extra(new_name), 5)
            tap.check(extra(new_name), "a rename on the server shows in %s's window title" % self.ui,
                      self.ui_diag())
        # Three list polls later: said once, and not sent back.
        mark2 = fake.request_count()
        wait_for(lambda: len(fake.find_requests("GET", "/api/v1/conversation", mark2)) >= 3, 20)
        notices = [strip_html(h["text"]) for h in history_has(self.history(), "renamed to")]
        notices = [n for n in notices if n.startswith("The conversation was renamed to")]
        tap.check(notices == ["The conversation was renamed to %s" % new_name],
                  "the chat says once that the conversation was renamed on the server, "
                  "with the new name",
                  "rename notices after three more list polls:\n" + "\n".join(notices[-8:]))
        tap.check(not fake.find_requests("PUT", self.conv_path, mark),
                  "a rename from the server is not sent back as a PUT", self.requests_diag(mark))

    def remote_edit(self, text):
        self.fake.edit(self.conv_uuid, self.remote_uuid, text)
        got = wait_for(lambda: [h for h in history_has(self.history(), text)
                                if self.other in strip_html(h["text"])
                                and "edited" in strip_html(h["text"])], REMOTE_TIMEOUT)
        self.tap.check(got, "an edit by %s on the server shows as a line naming them and the "
                       "new text within %d s" % (self.other, REMOTE_TIMEOUT),
                       self.chat_diag(6) + "\n" + self.plugin_log())

    def attach(self, type_line, path, text):
        """/attach PATH TEXT typed in the client: one M3 with the file's
        name, type and bytes and the text, and the message shown with its
        numbered file line."""
        fake, tap = self.fake, self.tap
        inline = self.post_path + "/inline"
        name = os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        mark = fake.request_count()
        type_line("/attach %s %s" % (path, text))
        posts = wait_for(lambda: fake.find_requests("POST", inline, mark), STEP_TIMEOUT + 30)
        body = posts[0].get("body") or "" if posts else ""
        tap.check(posts and len(posts) == 1 and posts[0]["status"] // 100 == 2
                  and 'name="files[]"; filename="%s"' % name in body
                  and 'Content-Disposition: form-data; name="contents"\r\n\r\n%s\r\n' % text in body
                  and data.decode("utf-8", "replace") in body
                  and posts[0]["headers"].get("content-type", "").startswith("multipart/form-data; boundary="),
                  "/attach PATH TEXT typed in %s: one POST …/messages/inline, multipart with "
                  "contents and files[] (%s)" % (self.ui, name),
                  self.requests_diag(mark) + "\n" + self.plugin_log() + "\n" + self.ui_diag())
        stored = [f for m in fake.messages(self.conv_uuid) if m.get("contents") == text
                  for f in m.get("files", [])]
        tap.check(len(stored) == 1 and stored[0].get("filename") == name
                  and int(stored[0].get("size", -1)) == len(data),
                  "the fake holds the file with its name and size in a message with the text",
                  json.dumps(stored))
        shown = wait_for(lambda: [h for h in history_has(self.history(), text, who=self.me)
                                  if re.search(r"File \d+: %s" % re.escape(name), strip_html(h["text"]))],
                         STEP_TIMEOUT)
        tap.check(shown and shown[0]["flags"] & MESSAGE_SEND,
                  "the sent file shows in the chat as %s's message with a numbered file line" % self.me,
                  self.chat_diag())

    def react(self, type_line, reaction):
        """/react REACTION typed in the client: M6 for the newest message
        from someone else, and a line saying so."""
        fake, tap = self.fake, self.tap
        others = [m for m in fake.messages(self.conv_uuid)
                  if m.get("author") != self.seed.account["uuid"] and not m.get("deleted_at")]
        target = others[-1]["uuid"] if others else None
        mark = fake.request_count()
        type_line("/react " + reaction)
        posts = wait_for(lambda: fake.find_requests("POST", "/api/v1/reaction", mark), STEP_TIMEOUT)
        want = {"reactable_type": "message", "reactable_uuid": target, "reaction": reaction}
        tap.check(posts and len(posts) == 1 and body_json(posts[0]) == want
                  and posts[0]["status"] // 100 == 2,
                  "/react %s typed in %s: POST /api/v1/reaction %s" % (reaction, self.ui, json.dumps(want)),
                  self.requests_diag(mark) + "\n" + self.plugin_log())
        said = wait_for(lambda: history_has(self.history(), "You reacted %s to" % reaction), STEP_TIMEOUT)
        tap.check(said, "the chat says the reaction was given", self.chat_diag())

    def remote_reaction(self, reaction):
        """Another participant reacts to the user's typed message: one
        line naming them, once, and the message not shown again."""
        fake, tap = self.fake, self.tap
        fake.react(self.typed_uuid, self.other_account, reaction)
        line = "%s reacted %s to your message from" % (self.other, reaction)
        got = wait_for(lambda: history_has(self.history(), line), REMOTE_TIMEOUT)
        tap.check(got, "a reaction by %s to my message shows as a line within %d s"
                  % (self.other, REMOTE_TIMEOUT), self.chat_diag() + "\n" + self.plugin_log())
        mark = fake.request_count()
        wait_for(lambda: len(fake.find_requests("GET", self.post_path, mark)) >= 3, 20)
        tap.check(len(history_has(self.history(), line)) == 1,
                  "after three more polls the reaction was announced once",
                  self.chat_diag(10))

    def check_log_clean(self, ignore=None, why=None):
        """No GLib warnings or criticals in the client's debug log, except
        lines matching @ignore (a regex), for the reason @why."""
        # GTK's and GDK's domains too: Pidgin hands them what the plugin
        # gives it (a missing protocol icon is a NULL pixbuf there).  g_log
        # is where libpurple's own g_return_if_fail lines end up.
        domains = "plannr|GLib|GLib-GObject|GLib-GIO|libsoup|Json|Gtk|Gdk|GdkPixbuf"
        warnings = tail(self.debug_log, 100000,
                        grep=r"(%s)-(CRITICAL|WARNING)"
                        r"|^\([0-9:]+\) (%s|g_log): .*(assertion|CRITICAL|WARNING)"
                        % (domains, domains)).splitlines()
        if ignore is not None:
            ignored = [w for w in warnings if re.search(ignore, w)]
            warnings = [w for w in warnings if not re.search(ignore, w)]
            if ignored:
                log("ignored %d lines of the debug log (%s), e.g.: %s" % (len(ignored), why, ignored[0]))
        self.tap.check(not warnings,
                       "no GLib, GTK or libpurple criticals or warnings in %s's debug log%s"
                       % (self.ui, " (%d found)" % len(warnings) if warnings else ""),
                       "\n".join(warnings[-20:]))

    # People and membership (issue 14).  Each step takes the UI's part as
    # a callable and checks the request at the fake and what the chat
    # shows.

    def person(self, name):
        """The seeded account of Eleanor's firm called @name."""
        return next(a for a in self.seed.data["accounts"]
                    if a["name"] == name and a.get("firm") == self.seed.account.get("firm"))

    def email_of(self, account):
        """An account's e-mail address as the fake gives it: its own, its
        user's, or one made up from the name."""
        if account.get("email"):
            return account["email"]
        user = next((u for u in self.seed.data["users"] if u["uuid"] == account.get("user")), None)
        if user and user.get("email"):
            return user["email"]
        return re.sub(r"[^a-z0-9]+", ".", account["name"].lower()).strip(".") + "@example.com"

    def find_people(self, how, text, action, shown):
        """@action searches for @text; both searches go out once, and
        shown() (the UI's results) must come true."""
        fake, tap = self.fake, self.tap
        mark = fake.request_count()
        action()
        wait_for(lambda: fake.find_requests("GET", "/api/v1/account", mark), STEP_TIMEOUT)
        employees = fake.find_requests("GET", "/api/v1/employee", mark)
        clients = fake.find_requests("GET", "/api/v1/account", mark)
        tap.check(len(employees) == 1 and len(clients) == 1
                  and "filter%5Bname%5D=" + text in (employees[0].get("query") or "")
                  and "filter%5Btype%5D=client" in (clients[0].get("query") or ""),
                  "%s: one employee and one client search by name for %r" % (how, text),
                  self.requests_diag(mark) + "\n" + describe_requests(fake.requests()[mark:]))
        tap.check(wait_for(shown, STEP_TIMEOUT), "%s: %s shows the people found" % (how, self.ui),
                  self.ui_diag())

    def start_conversation(self, name, confirm):
        """Join a Chat with a name no conversation has: the client asks,
        confirm() says yes; one POST, and the chat opens.  Returns the new
        conversation's (uuid, libpurple conversation)."""
        fake, purple, tap = self.fake, self.purple, self.tap
        mark = fake.request_count()
        purple.ServJoinChat(self.gc, {"name": name})
        confirm()
        posts = wait_for(lambda: fake.find_requests("POST", "/api/v1/conversation", mark), STEP_TIMEOUT)
        tap.check(posts and len(posts) == 1 and body_json(posts[0]) == {"name": name}
                  and posts[0]["status"] // 100 == 2,
                  "Join a Chat with a new name, confirmed in %s: POST /api/v1/conversation "
                  "{\"name\": %r}, once" % (self.ui, name),
                  self.requests_diag(mark) + "\n" + self.plugin_log() + "\n" + self.ui_diag())
        uuid = next((c["uuid"] for c in fake.dump().get("conversations", []) if c["name"] == name), None)
        # Known by the name it was joined by (or, elsewhere, by its uuid).
        conv = wait_for(lambda: uuid and (purple.find_chat_conversation(self.account, name)
                                          or purple.find_chat_conversation(self.account, uuid)),
                        STEP_TIMEOUT)
        tap.check(conv and str(purple.PurpleConversationGetTitle(conv)) == name,
                  "the new conversation's chat opens, titled %r" % name,
                  "uuid %s, conversation %s\n%s" % (uuid, conv, self.ui_diag()))
        return uuid, conv

    def invite(self, how, uuid, conv, name, action):
        """@action invites @name to the conversation @uuid open as @conv."""
        fake, purple, tap = self.fake, self.purple, self.tap
        path = "/api/v1/conversation/%s/participants" % uuid
        account = self.person(name)["uuid"]
        mark = fake.request_count()
        action()
        posts = wait_for(lambda: fake.find_requests("POST", path, mark), STEP_TIMEOUT)
        tap.check(posts and len(posts) == 1 and body_json(posts[0]) == {"participants": [account]}
                  and posts[0]["status"] // 100 == 2,
                  "%s: POST …/participants {\"participants\": [%s]}, once" % (how, name),
                  self.requests_diag(mark) + "\n" + self.plugin_log() + "\n" + self.ui_diag())
        users = wait_for(lambda: name in purple.chat_users(conv), STEP_TIMEOUT)
        joined = wait_for(lambda: history_has(purple.history(conv), "%s entered the room" % name),
                          STEP_TIMEOUT)
        tap.check(users and len(joined) == 1,
                  "%s: %s is among the chat's users, with one join line" % (how, name),
                  "users %s\n%s" % (purple.chat_users(conv),
                                    "\n".join(history_lines(purple.history(conv))[-5:])))

    def kick(self, how, uuid, conv, name, action, confirm):
        """@action asks to remove @name, confirm() answers the client's
        question; one DELETE with its JSON body, and the user leaves."""
        fake, purple, tap = self.fake, self.purple, self.tap
        path = "/api/v1/conversation/%s/participants" % uuid
        account = self.person(name)["uuid"]
        mark = fake.request_count()
        action()
        confirm()
        dels = wait_for(lambda: fake.find_requests("DELETE", path, mark), STEP_TIMEOUT)
        tap.check(dels and len(dels) == 1 and body_json(dels[0]) == {"participants": [account]}
                  and dels[0]["status"] // 100 == 2,
                  "%s, confirmed: DELETE …/participants with the JSON body "
                  "{\"participants\": [%s]}, once" % (how, name),
                  self.requests_diag(mark) + "\n" + self.plugin_log() + "\n" + self.ui_diag())
        gone = wait_for(lambda: name not in purple.chat_users(conv), STEP_TIMEOUT)
        left = history_has(purple.history(conv), "%s left the room (removed by you)" % name)
        tap.check(gone and len(left) == 1,
                  "%s: %s leaves the chat's users, with one leave line" % (how, name),
                  "users %s\n%s" % (purple.chat_users(conv),
                                    "\n".join(history_lines(purple.history(conv))[-5:])))
