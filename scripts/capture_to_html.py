#!/usr/bin/env python3
"""Turn a `tmux capture-pane -e -p` text (with SGR colour escapes) into an HTML page with every cell on a fixed grid.

Why a grid: a browser's text layout drifts after CJK and emoji (their advance is not exactly two cells in any
font), so each glyph is placed absolutely at its column, and wide glyphs (by the same libc `wcwidth` tmux uses)
get two cells. Usage: capture_to_html.py CAPTURE.txt OUT.html [--cols N --rows N --title T]
"""
import argparse
import ctypes
import html
import locale
import re

locale.setlocale(locale.LC_ALL, "C.UTF-8")
_libc = ctypes.CDLL("libc.so.6")
_libc.wcwidth.argtypes = [ctypes.c_wchar]
_libc.wcwidth.restype = ctypes.c_int

CELL_W, CELL_H = 9, 18
PALETTE = ["#1d1f21", "#cc342b", "#198844", "#c9a30a", "#3971ed", "#a36ac7", "#3971ed", "#c5c8c6",
           "#969896", "#ff5f56", "#5af78e", "#f3f99d", "#57c7ff", "#ff6ac1", "#9aedfe", "#ffffff"]
DEFAULT_FG, DEFAULT_BG = "#d7dae0", "#1e2127"
PALETTE[6] = "#0aa6b5"  # cyan


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def width(ch):
    w = _libc.wcwidth(ch)
    return w if w >= 0 else 1


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None; self.bg = None; self.bold = False; self.dim = False
        self.underline = False; self.reverse = False; self.italic = False

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0: self.reset()
            elif c == 1: self.bold = True
            elif c == 2: self.dim = True
            elif c == 3: self.italic = True
            elif c == 4: self.underline = True
            elif c == 7: self.reverse = True
            elif c == 22: self.bold = False; self.dim = False
            elif c == 23: self.italic = False
            elif c == 24: self.underline = False
            elif c == 27: self.reverse = False
            elif 30 <= c <= 37: self.fg = PALETTE[c - 30]
            elif c == 39: self.fg = None
            elif 40 <= c <= 47: self.bg = PALETTE[c - 40]
            elif c == 49: self.bg = None
            elif 90 <= c <= 97: self.fg = PALETTE[c - 90 + 8]
            elif 100 <= c <= 107: self.bg = PALETTE[c - 100 + 8]
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = xterm256(codes[i + 2]); i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]); i += 4
                else:
                    colour = None
                if c == 38: self.fg = colour
                else: self.bg = colour
                i += 1
            i += 1

    def css(self):
        fg, bg = self.fg or DEFAULT_FG, self.bg
        if self.reverse:
            fg, bg = (self.bg or DEFAULT_BG), (self.fg or DEFAULT_FG)
        parts = ["color:%s" % fg]
        if bg: parts.append("background:%s" % bg)
        if self.bold: parts.append("font-weight:bold")
        if self.dim: parts.append("opacity:0.6")
        if self.underline: parts.append("text-decoration:underline")
        if self.italic: parts.append("font-style:italic")
        return ";".join(parts)


SGR = re.compile(r"\x1b\[([0-9;]*)m")
OTHER_ESC = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][0-9A-B])")


def cells(text, cols, rows):
    """Yield (row, col, char, cell_width, css) for every non-blank or styled cell."""
    style = Style()
    for row, line in enumerate(text.split("\n")[:rows]):
        col, pos = 0, 0
        while pos < len(line):
            if line[pos] == "\x1b":
                m = SGR.match(line, pos)
                if m:
                    style.apply(m.group(1)); pos = m.end(); continue
                m = OTHER_ESC.match(line, pos)
                pos = m.end() if m else pos + 1
                continue
            ch = line[pos]; pos += 1
            # keep combining marks / variation selectors / ZWJ sequences with their base
            while pos < len(line) and line[pos] != "\x1b" and width(line[pos]) == 0:
                ch += line[pos]; pos += 1
            w = max(1, width(ch[0]))
            if col + w > cols: break
            yield row, col, ch, w, style.css(), style.bg is not None or style.reverse
            col += w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture"); ap.add_argument("out")
    ap.add_argument("--cols", type=int, default=120); ap.add_argument("--rows", type=int, default=36)
    ap.add_argument("--title", default="memconsole")
    a = ap.parse_args()
    text = open(a.capture, encoding="utf-8", errors="replace").read()
    spans = []
    for row, col, ch, w, css, filled in cells(text, a.cols, a.rows):
        if ch == " " and not filled:
            continue
        spans.append('<span style="left:%dpx;top:%dpx;width:%dpx;%s">%s</span>'
                     % (col * CELL_W, row * CELL_H, w * CELL_W, css, html.escape(ch)))
    page = """<!doctype html><html><head><meta charset="utf-8"><title>%s</title><style>
html,body{margin:0;background:%s}
#t{position:relative;width:%dpx;height:%dpx;margin:12px;font:15px/18px 'DejaVu Sans Mono','Noto Sans Mono CJK SC','Noto Color Emoji',monospace}
#t span{position:absolute;height:%dpx;white-space:pre;overflow:visible;text-align:left}
</style></head><body><div id="t">%s</div></body></html>
""" % (html.escape(a.title), DEFAULT_BG, a.cols * CELL_W, a.rows * CELL_H, CELL_H, "".join(spans))
    open(a.out, "w", encoding="utf-8").write(page)


if __name__ == "__main__":
    main()
