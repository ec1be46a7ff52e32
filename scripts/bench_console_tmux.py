#!/usr/bin/env python3
"""Key → settled screen in a real terminal: one tmux server, capture-pane polled, the same keys sent to each tool.

A sample: capture the pane, send one key (or resize the window), then poll `capture-pane` until the screen differs
from the one before the key and has stayed the same for `--quiet-ms`; the latency is the time from sending the key to
the last change seen (so a tool that draws twice is timed to its second frame). Polling costs one `tmux capture-pane`
process per look (about 1–2 ms here), the same for every tool, which is why `less` is the floor: it does the least
work per key of any full-screen pager.

Usage: bench_console_tmux.py --tool NAME --ready TEXT [--setup KEYS...] -- COMMAND...
Prints one JSON object: {"tool", "actions": {"page_down": {"p50_ms", "p99_ms", "n"}, "j": ..., "G": ..., "resize": ...}}.
"""
import argparse, json, os, shlex, statistics, subprocess, sys, time


def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Tmux:
    def __init__(self, socket, width, height):
        self.socket, self.width, self.height = socket, width, height
        self.run("kill-server", check=False)
        self.run("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "main",
                 "env -i HOME=/tmp PATH=%s TERM=tmux-256color LANG=C.UTF-8 bash --norc --noprofile" % os.environ["PATH"])
        self.run("set-option", "-g", "status", "off")

    def run(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket] + list(args), capture_output=True, text=True, check=check).stdout

    def capture(self, attributes=True):
        """The pane's text; with its SGR attributes by default, so a moved highlight counts as a change."""
        return self.run("capture-pane", *(["-e"] if attributes else []), "-p", "-t", "main")

    def keys(self, *keys):
        self.run("send-keys", "-t", "main", *keys)

    def literal(self, text):
        self.run("send-keys", "-t", "main", "-l", text)

    def resize(self, width, height):
        self.run("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def wait_for(self, text, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.capture(attributes=False):
                return
            time.sleep(0.02)
        raise TimeoutError("%r never appeared:\n%s" % (text, self.capture(attributes=False)))

    def settle(self, before, quiet_ms, timeout=10):
        """Seconds from now to the last change, once the screen differs from `before` and then stays put."""
        start = time.monotonic()
        last_change, screen = None, before
        while time.monotonic() - start < timeout:
            current = self.capture()
            now = time.monotonic()
            if current != screen:
                screen, last_change = current, now
            elif last_change is not None and (now - last_change) * 1000 >= quiet_ms:
                return last_change - start
        return None


def sample(tmux, action, quiet_ms):
    before = tmux.capture()
    start = time.monotonic()
    if action == "resize":
        w, h = (tmux.width - 20, tmux.height - 6) if tmux.size == (tmux.width, tmux.height) else (tmux.width, tmux.height)
        tmux.resize(w, h)
        tmux.size = (w, h)
    else:
        tmux.keys({"page_down": "NPage", "j": "j", "G": "G"}[action])
    settled = tmux.settle(before, quiet_ms)
    return None if settled is None else settled * 1000


def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    options, command = argv[:split], argv[split + 1:]
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--ready", required=True, help="text on the first settled screen")
    ap.add_argument("--setup", nargs="*", default=[], help="tmux key names sent (and waited on) after ready")
    ap.add_argument("--setup-ready", default=None, help="text on screen once the setup keys took effect")
    ap.add_argument("--back", default="g", help="keys (space-separated tmux names) that return to the top after G")
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--quiet-ms", type=float, default=40)
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=36)
    ap.add_argument("--socket", default="bench-%d" % os.getpid())
    a = ap.parse_args(options)

    tmux = Tmux(a.socket, a.width, a.height)
    tmux.size = (a.width, a.height)
    try:
        time.sleep(0.3)
        tmux.literal(" ".join(shlex.quote(c) for c in command))
        launched = time.monotonic()
        tmux.keys("Enter")
        tmux.wait_for(a.ready)
        launch_ms = round((time.monotonic() - launched) * 1000, 1)
        for key in a.setup:
            tmux.keys(key)
            time.sleep(0.05)
        if a.setup_ready:
            tmux.wait_for(a.setup_ready)
        time.sleep(0.5)
        results = {}
        for action in ["page_down", "j", "G", "resize"]:
            values = []
            for i in range(a.repeat):
                if action in ("page_down", "j") and i and i % 20 == 0:
                    tmux.keys(*a.back.split())   # stay away from the end of the list
                    time.sleep(0.2)
                value = sample(tmux, action, a.quiet_ms)
                if value is not None:
                    values.append(value)
                if action == "G":
                    tmux.keys(*a.back.split())
                    tmux.settle(tmux.capture(), a.quiet_ms, timeout=0.5)
            if tmux.size != (a.width, a.height):
                tmux.resize(a.width, a.height); tmux.size = (a.width, a.height); time.sleep(0.3)
            results[action] = {"p50_ms": round(percentile(values, 0.5), 1) if values else None,
                               "p99_ms": round(percentile(values, 0.99), 1) if values else None,
                               "n": len(values)}
        print(json.dumps({"tool": a.tool, "launch_ms": launch_ms, "actions": results}))
    finally:
        tmux.run("kill-server", check=False)


if __name__ == "__main__":
    main()
