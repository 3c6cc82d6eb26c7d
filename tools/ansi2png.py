#!/usr/bin/python3
"""Turns a terminal screen captured with `tmux capture-pane -p -e` (text with
SGR colour escapes) into a PNG, so the README can show the real TUI.
Usage: ansi2png.py CAPTURE.txt OUT.png COLUMNS ROWS"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
PALETTE = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
           (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229)]
BRIGHT = [(102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
          (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]
FG, BG = (220, 220, 220), (24, 24, 24)


def parse(text, cols, rows):
    """A grid of (char, fg, bg, bold, underline) cells."""
    grid = [[(" ", FG, BG, False, False) for _ in range(cols)] for _ in range(rows)]
    for y, line in enumerate(text.split("\n")[:rows]):
        fg, bg, bold, under, rev, x = FG, BG, False, False, False, 0
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
            if m:
                codes = [int(c) for c in m.group(1).split(";") if c] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, under, rev = FG, BG, False, False, False
                    elif c == 1:
                        bold = True
                    elif c == 4:
                        under = True
                    elif c == 7:
                        rev = True
                    elif c in (22,):
                        bold = False
                    elif c == 24:
                        under = False
                    elif c == 27:
                        rev = False
                    elif 30 <= c <= 37:
                        fg = PALETTE[c - 30]
                    elif c == 39:
                        fg = FG
                    elif 40 <= c <= 47:
                        bg = PALETTE[c - 40]
                    elif c == 49:
                        bg = BG
                    elif 90 <= c <= 97:
                        fg = BRIGHT[c - 90]
                    elif 100 <= c <= 107:
                        bg = BRIGHT[c - 100]
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        n = codes[i + 2]
                        col = PALETTE[n] if n < 8 else BRIGHT[n - 8] if n < 16 else FG
                        if c == 38:
                            fg = col
                        else:
                            bg = col
                        i += 2
                    i += 1
                continue
            for ch in part:
                if x < cols:
                    f, b = (bg, fg) if rev else (fg, bg)
                    grid[y][x] = (ch, f, b, bold, under)
                x += 1
    return grid


def render(grid, out):
    font = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", 15)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", 15)
    cw = int(font.getlength("M"))
    ch = 19
    img = Image.new("RGB", (cw * len(grid[0]) + 16, ch * len(grid) + 16), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(grid):
        for x, (c, f, b, bd, ul) in enumerate(row):
            px, py = 8 + x * cw, 8 + y * ch
            if b != BG:
                d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=b)
            if c != " ":
                d.text((px, py + 1), c, font=bold if bd else font, fill=f)
            if ul:
                d.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=f)
    img.save(out)


def main():
    text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
    render(parse(text, int(sys.argv[3]), int(sys.argv[4])), sys.argv[2])


main()
