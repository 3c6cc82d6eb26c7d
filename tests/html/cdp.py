#!/usr/bin/python3
"""Checks tlsstep's HTML pages in a real headless Chromium, through the
DevTools protocol over a pipe (--remote-debugging-pipe: no port, no
extra package). One browser for every page given:

    cdp.py CHROMIUM SHOTDIR PAGE.html:EXPECT.json [...]

EXPECT.json is what --json printed for the same handshake (one object).
For each page: the DOM holds every step title, every record's bytes and
the master secret; hovering a field (Input.dispatchMouseEvent at its
coordinates) lights exactly its bytes and nothing else, and hovering a
byte lights the narrowest field over it; no request but the file itself;
a screenshot that is not blank; with JavaScript off every section is
still shown. Prints one line per check; exits 1 if any failed."""
import base64
import io
import json
import os
import subprocess
import sys
import time

from PIL import Image

DEADLINE = 20  # seconds for any one answer from the browser


class Browser:
    def __init__(self, exe):
        r1, w1 = os.pipe()  # to the browser (its fd 3)
        r2, w2 = os.pipe()  # from the browser (its fd 4)
        def fds():
            # via high numbers, so neither lands on the other's slot; dup2
            # leaves the copies inheritable
            a, b = os.dup(r1) + 100, os.dup(w2) + 100
            os.dup2(r1, a)
            os.dup2(w2, b)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.p = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + os.environ.get("CDP_PROFILE", "/tmp/cdp-profile-%d" % os.getpid()),
             "--window-size=1280,900", "about:blank"],
            preexec_fn=fds, pass_fds=(), close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r1)
        os.close(w2)
        self.w, self.r = w1, r2
        self.buf = b""
        self.n = 0
        self.events = []
        self.targets = {}

    def close_page(self, s):
        self.call("Target.closeTarget", targetId=self.targets.pop(s))
        self.events = [e for e in self.events if e.get("sessionId") != s]

    def _read(self):
        while b"\0" not in self.buf:
            import select
            rd, _, _ = select.select([self.r], [], [], DEADLINE)
            if not rd:
                raise TimeoutError("the browser did not answer")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("the browser closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.n += 1
        m = {"id": self.n, "method": method, "params": params}
        if session:
            m["sessionId"] = session
        os.write(self.w, json.dumps(m).encode() + b"\0")
        while True:
            r = self._read()
            if r.get("id") == self.n:
                if "error" in r:
                    raise RuntimeError("%s: %s" % (method, r["error"]))
                return r.get("result", {})
            self.events.append(r)

    def wait_event(self, name, session):
        end = time.time() + DEADLINE
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == name and e.get("sessionId") == session:
                    del self.events[i]
                    return e
            self.events.append(self._read())
        raise TimeoutError(name)

    def page(self, url, js=True):
        t = self.call("Target.createTarget", url="about:blank")["targetId"]
        s = self.call("Target.attachToTarget", targetId=t, flatten=True)["sessionId"]
        self.targets[s] = t
        self.call("Page.enable", s)
        self.call("Network.enable", s)
        self.call("Runtime.enable", s)
        self.call("Emulation.setDeviceMetricsOverride", s, width=1280, height=900,
                  deviceScaleFactor=1, mobile=False)
        if not js:
            self.call("Emulation.setScriptExecutionDisabled", s, value=True)
        self.events = [e for e in self.events if e.get("sessionId") != s]
        self.call("Page.navigate", s, url=url)
        self.wait_event("Page.loadEventFired", s)
        return s

    def eval(self, s, expr):
        r = self.call("Runtime.evaluate", s, expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("script failed: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def requests(self, s):
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("sessionId") == s and e.get("method") == "Network.requestWillBeSent"]

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()


FAILS = 0


def check(name, ok, why=""):
    global FAILS
    print(("ok   " if ok else "FAIL ") + name + ("" if ok or not why else "\n     " + str(why)[:600]))
    if not ok:
        FAILS += 1


LIT = """(function(){var r={};document.querySelectorAll('.hex i.hl').forEach(function(b){
 var h=b.parentNode.parentNode,k=Array.prototype.indexOf.call(h.getElementsByTagName('i'),b);
 (r[h.id]=r[h.id]||[]).push(k);});
 var f=[];document.querySelectorAll('.f.hl').forEach(function(e){f.push([e.dataset.b,+e.dataset.o,+e.dataset.l]);});
 return {bytes:r,fields:f};})()"""


def hover(b, s, selector_js):
    """Scrolls the element into view and moves the mouse onto its middle."""
    xy = b.eval(s, "(function(){var e=%s;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
                   "return [r.left+Math.min(r.width/2,6),r.top+r.height/2];})()" % selector_js)
    b.call("Input.dispatchMouseEvent", s, type="mouseMoved", x=xy[0], y=xy[1])
    return b.eval(s, LIT)


def check_page(b, path, expect, shotdir):
    name = os.path.basename(path)
    url = "file://" + os.path.abspath(path)
    s = b.page(url)
    text = b.eval(s, "document.body.innerText")
    heads = b.eval(s, "Array.from(document.querySelectorAll('h2')).map(function(h){return h.textContent})")
    titles = [st["title"] for st in expect["steps"]]
    missing = [t for t in titles if not any(t in h for h in heads)]
    check(name + ": every step title is a heading", not missing, missing)
    bad = []
    for st in expect["steps"]:
        for ri, rec in enumerate(st["records"]):
            got = b.eval(s, "(function(){var h=document.getElementById('b%d-%d-w');return h?"
                            "Array.from(h.getElementsByTagName('i')).map(function(i){return i.textContent}).join(''):null})()"
                         % (st["number"], ri))
            if got != rec:
                bad.append("step %d record %d" % (st["number"], ri + 1))
    check(name + ": every record's bytes are in the DOM", not bad, bad)
    ms = (expect.get("secrets") or {}).get("master_secret")
    if ms:
        check(name + ": the master secret is on the page", ms in text.replace("\n", ""), ms)
    # hovering fields: a spread of rows, records to leaves
    n = b.eval(s, "document.querySelectorAll('.f').length")
    picks = sorted(set([0, 2, n // 3, (2 * n) // 3, n - 1]))
    wrong = []
    for k in picks:
        if k < 0 or k >= n:
            continue
        want = b.eval(s, "(function(){var e=document.querySelectorAll('.f')[%d];return [e.dataset.b,+e.dataset.o,+e.dataset.l]})()" % k)
        lit = hover(b, s, "document.querySelectorAll('.f')[%d]" % k)
        exp = {want[0]: list(range(want[1], want[1] + want[2]))} if want[2] else {}
        nbytes = b.eval(s, "document.getElementById('%s').getElementsByTagName('i').length" % want[0])
        exp = {k2: [i for i in v if i < nbytes] for k2, v in exp.items()}
        exp = {k2: v for k2, v in exp.items() if v}
        if lit["bytes"] != exp or lit["fields"] != [want]:
            wrong.append("field %d %s: lit %s" % (k, want, json.dumps(lit)[:200]))
    check(name + ": hovering a field lights exactly its bytes (%d fields)" % len(picks), not wrong, wrong)
    # hovering bytes: the narrowest field over the byte lights up, with its bytes
    wrong = []
    for bid, k in b.eval(s, "(function(){var r=[];document.querySelectorAll('.hex').forEach(function(h,j){"
                            "var n=h.getElementsByTagName('i').length;if(j<4&&n)r.push([h.id,Math.floor(n*0.37)]);});return r})()"):
        lit = hover(b, s, "document.getElementById('%s').getElementsByTagName('i')[%d]" % (bid, k))
        rows = b.eval(s, "Array.from(document.querySelectorAll(\".f[data-b='%s']\")).map(function(e){return [+e.dataset.o,+e.dataset.l]})" % bid)
        over = [r for r in rows if r[0] <= k < r[0] + r[1]]
        narrow = min(r[1] for r in over) if over else None
        f = lit["fields"]
        ok = len(f) == 1 and f[0][0] == bid and f[0][1] <= k < f[0][1] + f[0][2] and f[0][2] == narrow
        ok = ok and lit["bytes"] == {bid: list(range(f[0][1], f[0][1] + f[0][2]))}
        if not ok:
            wrong.append("%s byte %d: %s" % (bid, k, json.dumps(lit)[:200]))
    check(name + ": hovering a byte lights its field and that field's bytes", not wrong, wrong)
    # keyboard: tab to a field and its bytes light up too
    b.eval(s, "document.querySelectorAll('.f')[3].focus()")
    lit = b.eval(s, LIT)
    check(name + ": a field reached with the keyboard lights its bytes", len(lit["fields"]) == 1 and lit["bytes"], lit)
    reqs = b.requests(s)
    check(name + ": no request leaves the file", reqs == [url], reqs)
    b.eval(s, "window.scrollTo(0,0)")
    png = base64.b64decode(b.call("Page.captureScreenshot", s, format="png")["data"])
    with open(os.path.join(shotdir, name + ".png"), "wb") as f:
        f.write(png)
    im = Image.open(io.BytesIO(png)).convert("RGB")
    colours = len(set(im.getdata()))
    check(name + ": the screenshot is not blank (%d colours)" % colours, colours >= 16, colours)
    marks = b.eval(s, "[document.documentElement.lang, !!document.querySelector('header'), !!document.querySelector('nav'),"
                      " !!document.querySelector('main'), !!document.querySelector('footer'), document.querySelectorAll('h1').length,"
                      " Array.from(document.querySelectorAll('.f')).every(function(e){return e.tabIndex===0})]")
    check(name + ": lang, landmarks, one h1, every field focusable", marks == ["en", True, True, True, True, 1, True], marks)
    # printed on a narrow page: nothing wider than the paper
    b.call("Emulation.setEmulatedMedia", s, media="print")
    b.call("Emulation.setDeviceMetricsOverride", s, width=600, height=900, deviceScaleFactor=1, mobile=False)
    wide = b.eval(s, "(function(){var w=document.documentElement.clientWidth,r=[];"
                     "document.querySelectorAll('pre,.hex,.ln,td,.tree li,p').forEach(function(e){"
                     "if(e.getBoundingClientRect().right>w+1||e.scrollWidth>e.clientWidth+1)r.push(e.tagName+'.'+e.className+': '+e.textContent.slice(0,40))});"
                     "return [document.documentElement.scrollWidth<=w,r.slice(0,5)]})()")
    check(name + ": printed 600 px wide, nothing is cut off", wide[0] and not wide[1], wide)
    # JavaScript off: every section still shown, with its bytes
    s2 = b.page(url, js=False)
    hidden = b.eval(s2, "Array.from(document.querySelectorAll('section,nav,header,.hex,.tree')).filter(function(e){"
                        "return e.offsetHeight===0||getComputedStyle(e).display==='none'||getComputedStyle(e).visibility==='hidden'}).map(function(e){return e.id||e.className})")
    nsec = b.eval(s2, "document.querySelectorAll('section.step').length")
    check(name + ": with JavaScript off every section is shown (%d steps)" % nsec, not hidden and nsec >= len(titles), hidden)
    scripted = b.eval(s2, "document.querySelectorAll('.hl').length")
    lit = hover(b, s2, "document.querySelectorAll('.f')[2]")
    check(name + ": with JavaScript off nothing is highlighted, nothing breaks", not scripted and not lit["bytes"], lit)
    b.close_page(s)
    b.close_page(s2)


def main():
    exe, shotdir = sys.argv[1], sys.argv[2]
    b = Browser(exe)
    try:
        for arg in sys.argv[3:]:
            page, exp = arg.split(":", 1)
            with open(exp) as f:
                expect = json.loads(f.readline())
            try:
                check_page(b, page, expect, shotdir)
            except Exception as e:  # one page's failure must not hide the rest
                check(os.path.basename(page) + ": the browser checks ran", False, repr(e))
    finally:
        b.close()
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
