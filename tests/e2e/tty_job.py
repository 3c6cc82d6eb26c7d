#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal as a shell with job control would:
in the terminal's foreground process group ("fg"), or in a background group
of the same session ("bg", as `cmd &` does). A background job that touches
the terminal's settings is stopped by the kernel (SIGTTOU, "Stopped (tty
output)"); this reports that instead of hanging.

usage: tty_job.py fg|bg OUTFILE [--keys TEXT] [--until REGEX --then CMD] -- CMD ARGS...
  --keys TEXT   typed on the terminal once the command has printed something
  --until/--then  once REGEX appears in the output, run CMD (a shell line;
                  {port} is the number after "port " in the output) beside it
Writes everything the terminal showed to OUTFILE. Exit status: the command's,
or 99 when it was stopped by a signal, 98 when it did not end in time.
"""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

TIMEOUT = 30


def child(mode, argv, report):
    """In the new session, on the pty: runs argv in the fore- or background."""
    if mode == "fg":
        os.execvp(argv[0], argv)
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)  # its own group, not the terminal's foreground one
        os.execvp(argv[0], argv)
    os.setpgid(pid, pid)
    os.write(report, b"%d\n" % pid)
    os.close(report)
    _, status = os.waitpid(pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        os.write(2, b"\r\ntty_job: STOPPED by signal %d\r\n" % os.WSTOPSIG(status))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os._exit(99)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def main():
    args = sys.argv[1:]
    mode, outfile = args[0], args[1]
    keys = until = then = None
    i = 2
    while args[i] != "--":
        if args[i] == "--keys":
            keys = args[i + 1].encode()
        elif args[i] == "--until":
            until = re.compile(args[i + 1])
        elif args[i] == "--then":
            then = args[i + 1]
        i += 2
    argv = args[i + 1:]

    os.environ.setdefault("TERM", "xterm")
    rd, wr = os.pipe()  # the background job's pid, to stop it if it hangs
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.close(rd)
            child(mode, argv, wr)
        finally:
            os._exit(97)
    os.close(wr)

    out = b""
    side = None
    deadline = time.time() + TIMEOUT
    status = None
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the pty's last user has gone
                data = b""
            if not data:
                break
            out += data
            if keys is not None:
                time.sleep(0.5)  # let the view settle before typing
                os.write(fd, keys)
                keys = None
            text = out.decode("utf-8", "replace")
            if until and then and side is None and until.search(text):
                m = re.search(r"port (\d+)", text)
                line = then.replace("{port}", m.group(1) if m else "")
                side = subprocess.Popen(line, shell=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            # what is still in the pty
            while select.select([fd], [], [], 0.2)[0]:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                out += data
            break
    while status is None and time.time() < deadline:  # the pty closed first
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
        time.sleep(0.1)
    if side:
        side.wait(timeout=TIMEOUT)
    with open(outfile, "wb") as f:
        f.write(out)
    if status is None:  # still running: stop the job and its pty's session
        job = os.read(rd, 64).strip()
        for group in ([int(job)] if job else []) + [pid]:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
        return 98
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
