#!/usr/bin/env python3
"""Drives the real memconsole binary in a pseudo-terminal and measures frames from its own trace.

memconsole writes `start <µs>`, `key <µs> <name>` and `frame <µs> <busy>` lines to $MEMCONSOLE_TRACE_FRAMES (µs on
CLOCK_MONOTONIC, the clock Python's time.monotonic() reads). A key's *finished frame* is the first frame drawn after
it with no effect still running (busy 0): the page is loaded and on screen. Launch is measured from just before the
process is spawned to its first finished frame.

Usage: bench_console_driver.py BINARY DATABASE [--cols 120 --rows 36 --repeat 30]
Prints one JSON object.
"""
import argparse
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time

KEYS = {"pagedown": b"\x1b[6~", "end": b"\x1b[4~", "home": b"\x1b[1~", "enter": b"\r", "q": b"q",
        "2": b"2", "3": b"3", "down": b"\x1b[B", "G": b"G", "g": b"g"}


def now_us():
    return int(time.monotonic() * 1_000_000)


class Console:
    def __init__(self, binary, database, cols, rows, trace):
        self.trace = trace
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
               "TERM": "xterm-256color", "LANG": "C.UTF-8", "MEMCONSOLE_TRACE_FRAMES": trace}
        self.spawned_us = now_us()
        self.process = subprocess.Popen([binary, database], stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = 0
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output += len(data)

    def lines(self):
        try:
            with open(self.trace) as f:
                return [line.split() for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def wait_settled(self, after_us, timeout=30.0):
        """The time of the first busy-0 frame after `after_us`, waiting until it exists."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for parts in self.lines():
                if parts[0] == "frame" and int(parts[1]) >= after_us and parts[2] == "0":
                    return int(parts[1])
            time.sleep(0.002)
        raise TimeoutError("no finished frame after %d" % after_us)

    def press(self, name):
        """Sends a key; returns (app-side read time, finished frame time)."""
        before = len(self.lines())
        sent = now_us()
        os.write(self.master, KEYS[name])
        deadline = time.monotonic() + 30
        key_us = None
        while key_us is None and time.monotonic() < deadline:
            for parts in self.lines()[before:]:
                if parts[0] == "key":
                    key_us = int(parts[1])
                    break
            else:
                time.sleep(0.001)
        if key_us is None:
            raise TimeoutError("key %s never read" % name)
        frame = self.wait_settled(key_us)
        # let a follow-up frame (the effect's `done`) land before the next key
        time.sleep(0.02)
        return sent, key_us, frame

    def peak_rss_kb(self):
        with open("/proc/%d/status" % self.process.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return None

    def quit(self):
        os.write(self.master, b"q")
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.terminate()


def percentile(values, p):
    s = sorted(values)
    if not s:
        return None
    k = max(0, min(len(s) - 1, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def summary(samples_us):
    ms = [v / 1000 for v in samples_us]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p99_ms": round(percentile(ms, 99), 2),
            "max_ms": round(max(ms), 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary"); ap.add_argument("database")
    ap.add_argument("--cols", type=int, default=120); ap.add_argument("--rows", type=int, default=36)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--trace", default="/tmp/memconsole-bench-trace.txt")
    ap.add_argument("--launches", type=int, default=5)
    ap.add_argument("--one-big-session", action="store_true",
                    help="the file's first user's first session holds every message: time that transcript")
    a = ap.parse_args()
    if a.one_big_session:
        print(json.dumps(big_session(a)))
        return 0

    launches = []
    for _ in range(a.launches):
        if os.path.exists(a.trace):
            os.remove(a.trace)
        c = Console(a.binary, a.database, a.cols, a.rows, a.trace)
        first = c.wait_settled(0)
        launches.append(first - c.spawned_us)
        c.quit()

    if os.path.exists(a.trace):
        os.remove(a.trace)
    c = Console(a.binary, a.database, a.cols, a.rows, a.trace)
    c.wait_settled(0)
    results = {"launch_to_first_full_screen": summary(launches)}

    page_down, page_down_e2e = [], []
    for _ in range(a.repeat):                      # users list: keyset pages forward
        sent, key, frame = c.press("pagedown")
        page_down.append(frame - key); page_down_e2e.append(frame - sent)
    results["page_down"] = summary(page_down)
    results["page_down_from_write"] = summary(page_down_e2e)

    ends = []
    for _ in range(a.repeat):                      # users list: jump to the last page, then back to the top
        _, key, frame = c.press("end"); ends.append(frame - key)
        c.press("home")
    results["jump_to_end"] = summary(ends)

    opens = []
    c.press("enter")                               # open the first user
    c.press("2")                                   # sessions section
    for _ in range(a.repeat):                      # open a session's transcript, go back, next session
        _, key, frame = c.press("enter"); opens.append(frame - key)
        c.press("q")
        c.press("down")
    results["open_session"] = summary(opens)

    transcript_pages = []
    c.press("enter")
    for _ in range(min(a.repeat, 10)):
        _, key, frame = c.press("pagedown"); transcript_pages.append(frame - key)
    results["transcript_page_down"] = summary(transcript_pages)

    results["peak_rss_mb"] = round(c.peak_rss_kb() / 1024, 1)
    results["bytes_written_to_terminal"] = c.output
    c.quit()
    print(json.dumps(results))


def big_session(a):
    """Opens the first user's first session (every message of the file) and times paging through it."""
    if os.path.exists(a.trace):
        os.remove(a.trace)
    c = Console(a.binary, a.database, a.cols, a.rows, a.trace)
    c.wait_settled(0)
    c.press("enter")                               # the first user
    c.press("2")                                   # sessions section; the cursor is on the first session
    results, opens = {}, []
    for _ in range(a.repeat):                      # open the 1M-message transcript, go back
        _, key, frame = c.press("enter"); opens.append(frame - key)
        c.press("q")
    results["open_big_session"] = summary(opens)
    c.press("enter")
    pages = []
    for _ in range(a.repeat):                      # page down from the top
        _, key, frame = c.press("pagedown"); pages.append(frame - key)
    results["big_transcript_page_down"] = summary(pages)
    ends = []
    for _ in range(a.repeat):                      # jump to the 1,000,000th message, then back to the first
        _, key, frame = c.press("G"); ends.append(frame - key)
        c.press("g")
    results["big_transcript_jump_to_end"] = summary(ends)
    results["peak_rss_mb"] = round(c.peak_rss_kb() / 1024, 1)
    c.quit()
    return results


if __name__ == "__main__":
    sys.exit(main())
