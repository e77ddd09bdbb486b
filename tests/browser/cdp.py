"""A small Chrome DevTools Protocol client over --remote-debugging-pipe.

Chromium reads commands from file descriptor 3 and writes replies and
events to descriptor 4, each a JSON object ended by a NUL byte; so no
WebSocket library is needed, only the standard library.
"""

import base64
import json
import os
import subprocess
import tempfile
import threading
import time


class CDPError(Exception):
    pass


class Browser:
    """A headless Chromium and one page (tab) in it."""

    def __init__(self, chromium="/usr/bin/chromium", width=1360, height=900):
        self._to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, self._from_child_w = os.pipe()
        self.profile = tempfile.TemporaryDirectory(prefix="sapu-chromium-")
        to_r, from_w = self._to_child_r, self._from_child_w

        def plumb():
            # Through high numbers first, so that neither lands on the
            # other's target.
            os.dup2(to_r, 100)
            os.dup2(from_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)

        args = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile.name}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            preexec_fn=plumb,
            pass_fds=(3, 4),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(self._to_child_r)
        os.close(self._from_child_w)
        self._next_id = 0
        self._replies = {}
        self._events = []
        self._cond = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    # ------------------------------------------------------------ plumbing
    def _read(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._cond:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self._events.append(msg)
                    self._cond.notify_all()

    def call(self, method, session=None, timeout=30, **params):
        """Sends a command and waits for its reply."""
        with self._cond:
            self._next_id += 1
            mid = self._next_id
        msg = {"id": mid, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while mid not in self._replies:
                if self._closed:
                    raise CDPError(f"{method}: the browser went away")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError(f"{method}: no reply in {timeout} s")
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def send(self, method, **params):
        """A command to the page's session."""
        return self.call(method, session=self.session, **params)

    def events(self, method=None):
        with self._cond:
            return [e for e in self._events if method is None or e["method"] == method]

    def wait_event(self, method, since, timeout=30):
        """Waits for an event of the page after the first `since` events."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for e in self._events[since:]:
                    if e["method"] == method and e.get("sessionId") == self.session:
                        return e
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError(f"no {method} in {timeout} s")
                self._cond.wait(left)

    # ------------------------------------------------------------ page
    def open(self, url):
        """Loads `url` and waits until it has loaded."""
        since = len(self.events())
        started = self.send("Page.navigate", url=url)
        # Without a loader, the navigation stayed in the document (only
        # the fragment changed): there is no load to wait for.
        if "loaderId" in started:
            self.wait_event("Page.loadEventFired", since)

    def js(self, expression):
        """The value of a JavaScript expression (awaited if a promise)."""
        r = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in r:
            raise CDPError(f"{expression[:80]}...: {r['exceptionDetails']}")
        return r["result"].get("value")

    def errors(self):
        """Console errors, uncaught exceptions and error log entries."""
        found = []
        for e in self.events():
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                found.append(json.dumps(p.get("exceptionDetails", {}))[:400])
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                found.append(p["entry"].get("text", ""))
        return found

    def clear_events(self):
        with self._cond:
            self._events.clear()

    def click(self, selector):
        """A real mouse click in the middle of the first element matching
        `selector` (scrolled into view first)."""
        box = self.js(
            f"""(() => {{
                const e = document.querySelector({json.dumps(selector)});
                if (!e) return null;
                e.scrollIntoView({{block: "center"}});
                const r = e.getBoundingClientRect();
                return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
            }})()"""
        )
        if box is None:
            raise CDPError(f"nothing matches {selector}")
        self.mouse("mouseMoved", box)
        self.mouse("mousePressed", box)
        self.mouse("mouseReleased", box)

    def mouse(self, kind, at):
        self.send(
            "Input.dispatchMouseEvent",
            type=kind,
            x=at["x"],
            y=at["y"],
            button="left" if kind != "mouseMoved" else "none",
            clickCount=1 if kind != "mouseMoved" else 0,
        )

    def key(self, key, code=None, keycode=0, text=None, shift=False):
        """Presses and releases one key."""
        down = {
            "type": "keyDown",
            "key": key,
            "code": code or key,
            "windowsVirtualKeyCode": keycode,
            "modifiers": 8 if shift else 0,
        }
        if text:
            down["text"] = text
        self.send("Input.dispatchKeyEvent", **down)
        self.send(
            "Input.dispatchKeyEvent",
            type="keyUp",
            key=key,
            code=code or key,
            windowsVirtualKeyCode=keycode,
            modifiers=down["modifiers"],
        )

    def tab(self, shift=False):
        self.key("Tab", keycode=9, shift=shift)

    def enter(self):
        self.key("Enter", keycode=13, text="\r")

    def type_text(self, text):
        self.send("Input.insertText", text=text)

    def media(self, media="", dark=False):
        self.send(
            "Emulation.setEmulatedMedia",
            media=media,
            features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}],
        )

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except CDPError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child_w)
        self.profile.cleanup()
