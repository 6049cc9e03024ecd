"""Compare results/<label>.json across interpreters.

    python3 compare.py            # every scenario whose observations differ, step by step
    python3 compare.py --same     # the scenarios that are identical everywhere
    python3 compare.py NAME ...   # only scenarios whose name contains NAME
    python3 compare.py --table    # per step, which interpreters did what (one line each)
    python3 compare.py --markdown # the same as markdown tables (only the steps that differ)

By default the keys that exist only on some versions (state.ag_suspended,
state.getasyncgenstate, and the 'unraisable' channel: stderr lines on 3.6/3.7,
hook records on 3.8+) are compared separately ("extra"), so that the core
outcome differences stand out.  --raw compares everything.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ["cpython-3.6", "cpython-3.7", "cpython-3.8", "cpython-3.9", "cpython-3.10",
          "cpython-3.11", "cpython-3.12", "cpython-3.13", "pypy3"]
EXTRA_STATE = ("ag_suspended", "getasyncgenstate")


def load():
    out = {}
    for label in LABELS:
        path = os.path.join(HERE, "results", label + ".json")
        if os.path.exists(path):
            with open(path) as f:
                out[label] = json.load(f)
    return out


def core(obs, raw):
    if raw:
        return obs
    res = []
    for o in obs:
        o = dict(o)
        if "state" in o:
            o["state"] = dict((k, v) for k, v in o["state"].items() if k not in EXTRA_STATE)
        if "unraisable" in o:
            o["unraisable"] = norm_unraisable(o["unraisable"])
        if "log" in o:
            o["log"] = [strip_log(x) for x in o["log"]]
        res.append(o)
    return res


def norm_unraisable(items):
    """[exception type, message] pairs, whichever channel reported them."""
    out = []
    for u in items:
        if "stderr" in u:
            line = u["stderr"]
            if line.startswith("Exception ignored"):
                continue
            if ": " in line:
                t, m = line.split(": ", 1)
            else:
                t, m = line, ""
            out.append([t, m])
        elif "hook_exc_type" in u:
            out.append([u["hook_exc_type"], u["hook_exc_value"]])
        else:
            out.append(["?", json.dumps(u)])
    return out


def strip_log(x):
    if isinstance(x, dict):
        x = dict(x)
        for k in ("state", "state_after"):
            if k in x:
                x[k] = dict((a, b) for a, b in x[k].items() if a not in EXTRA_STATE)
        for k, v in list(x.items()):
            if isinstance(v, dict) and k.startswith("inside"):
                x[k] = dict((a, b) for a, b in v.items() if a not in EXTRA_STATE)
    return x


def groups(data, name, raw):
    g = []
    for label in LABELS:
        if label not in data or name not in data[label]:
            continue
        key = json.dumps(core(data[label][name], raw), sort_keys=True)
        for entry in g:
            if entry[0] == key:
                entry[1].append(label)
                break
        else:
            g.append([key, [label]])
    return g


def short(o):
    keep = dict((k, v) for k, v in o.items())
    return json.dumps(keep, sort_keys=True)


def compact(o, raw=False):
    """One line for one observation: outcome; [running,frame-gone,await]; log."""
    if "note" in o:
        return "note %s" % json.dumps(o.get("value", o.get("state")), sort_keys=True)
    if "scenario_error" in o:
        return "SCENARIO ERROR %s" % json.dumps(o["scenario_error"])
    parts = []
    if o.get("outcome") == "return":
        parts.append("-> " + o.get("value", ""))
    elif o.get("outcome") == "raise":
        t = "!! %s(%s)" % (o["exc"], o["msg"])
        if "cause" in o:
            t += " cause=" + o["cause"]
        parts.append(t)
    st = o.get("state")
    if st:
        s = "run=%s frame=%s await=%s" % (
            "T" if st["ag_running"] else "F",
            "gone" if st["ag_frame_is_none"] else "live",
            st["ag_await"])
        if "ag_suspended" in st:
            s += " susp=%s" % ("T" if st["ag_suspended"] else "F")
        if "getasyncgenstate" in st:
            s += " " + st["getasyncgenstate"]
        parts.append("[" + s + "]")
    if o.get("log"):
        parts.append("log=" + json.dumps(o["log"], sort_keys=True))
    if o.get("warnings"):
        parts.append("warn=" + json.dumps(o["warnings"]))
    if o.get("unraisable"):
        parts.append("unraisable=" + json.dumps(o["unraisable"], sort_keys=True))
    return " ".join(parts)


def table(data, name, raw):
    """Per step: the label, then each group of interpreters with what it did."""
    g = groups(data, name, raw)
    seqs = [(labels, json.loads(key)) for key, labels in g]
    n = max(len(s) for _, s in seqs)
    for i in range(n):
        cells = []
        for labels, s in seqs:
            o = s[i] if i < len(s) else None
            cells.append((labels, o))
        step = None
        for _, o in cells:
            if o is not None:
                step = o.get("step") or ("note " + o.get("note", ""))
                break
        lines = []
        for labels, o in cells:
            text = "(absent)" if o is None else compact(o, raw)
            for line in lines:
                if line[1] == text:
                    line[0].extend(labels)
                    break
            else:
                lines.append([list(labels), text])
        print("  %d. %s" % (i, step))
        for labels, text in lines:
            print("       %-40s %s" % (short_labels(labels) + ":", text) if len(lines) > 1
                  else "       all: %s" % text)


def short_labels(labels):
    out = []
    for l in labels:
        out.append(l.replace("cpython-", ""))
    return ",".join(out)


CPY = [l for l in LABELS if l.startswith("cpython-")]


def ranges(labels):
    """['cpython-3.8', 'cpython-3.9', 'cpython-3.10', 'pypy3'] -> '3.8-3.10, PyPy'"""
    idx = sorted(CPY.index(l) for l in labels if l in CPY)
    parts = []
    start = prev = None
    for i in idx:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            parts.append((start, prev))
            start = prev = i
    if start is not None:
        parts.append((start, prev))
    out = []
    for a, b in parts:
        va, vb = CPY[a].split("-")[1], CPY[b].split("-")[1]
        out.append(va if a == b else "%s-%s" % (va, vb))
    if "pypy3" in labels:
        out.append("PyPy")
    return ", ".join(out)


def cell(o):
    """A short markdown description of one observation."""
    if o is None:
        return "(step absent)"
    if "note" in o:
        return "note: `%s`" % json.dumps(o.get("value"), sort_keys=True)
    parts = []
    if o.get("outcome") == "return":
        parts.append("returns `%s`" % o.get("value", ""))
    elif o.get("outcome") == "raise":
        t = "**%s**" % o["exc"]
        if o.get("msg"):
            t += "(%s)" % o["msg"]
        parts.append(t)
    st = o.get("state")
    if st:
        flags = []
        if st["ag_running"]:
            flags.append("ag_running")
        if st["ag_frame_is_none"]:
            flags.append("frame None")
        if st["ag_await"]:
            flags.append("ag_await=" + st["ag_await"])
        if flags:
            parts.append("[" + ", ".join(flags) + "]")
    if o.get("log"):
        logs = []
        for x in o["log"]:
            logs.append(x if isinstance(x, str) else json.dumps(x, sort_keys=True))
        parts.append("log: " + "; ".join(logs))
    if o.get("warnings"):
        parts.append("warns " + "; ".join("%s(%s)" % (w[0], w[1]) for w in o["warnings"]))
    if o.get("unraisable"):
        parts.append("unraisable " + "; ".join("%s(%s)" % (u[0], u[1]) for u in o["unraisable"]))
    if "scenario_error" in o:
        parts.append("SCENARIO ERROR %s" % o["scenario_error"])
    return " ".join(parts).replace("|", "\\|") or "(nothing)"


def markdown(data, names=None):
    allnames = sorted(n for n in data[LABELS[0]] if n != "_meta")
    if names:
        allnames = [n for n in allnames if any(s in n for s in names)]
    out = []
    for name in allnames:
        g = groups(data, name, False)
        if len(g) == 1:
            continue
        seqs = [(labels, json.loads(key)) for key, labels in g]
        n = max(len(s) for _, s in seqs)
        out.append("#### `%s`" % name)
        out.append("")
        out.append("| # | step | who | what happens |")
        out.append("|---|---|---|---|")
        for i in range(n):
            cells = []
            for labels, s in seqs:
                o = s[i] if i < len(s) else None
                text = cell(o)
                for c2 in cells:
                    if c2[1] == text:
                        c2[0].extend(labels)
                        break
                else:
                    cells.append([list(labels), text])
            if len(cells) == 1:
                continue
            step = None
            for _, s in seqs:
                if i < len(s):
                    step = s[i].get("step") or ("note " + s[i].get("note", ""))
                    break
            first = True
            for labels, text in sorted(cells, key=lambda c3: min(LABELS.index(l) for l in c3[0])):
                out.append("| %s | %s | %s | %s |" % (i if first else "", ("`%s`" % step) if first else "",
                                                    ranges(labels), text))
                first = False
        out.append("")
    return "\n".join(out)


def main(argv):
    raw = "--raw" in argv
    if "--markdown" in argv:
        print(markdown(load(), [a for a in argv if not a.startswith("--")]))
        return
    if "--table" in argv:
        data = load()
        names = [a for a in argv if not a.startswith("--")]
        allnames = sorted(n for n in data[LABELS[0]] if n != "_meta")
        if names:
            allnames = [n for n in allnames if any(s in n for s in names)]
        for name in allnames:
            if len(groups(data, name, raw)) == 1 and not names:
                continue
            print("=" * 78)
            print(name)
            table(data, name, raw)
        return
    same = "--same" in argv
    names = [a for a in argv if not a.startswith("--")]
    data = load()
    allnames = sorted(set().union(*[set(d) for d in data.values()]))
    allnames = [n for n in allnames if n != "_meta"]
    if names:
        allnames = [n for n in allnames if any(s in n for s in names)]
    for name in allnames:
        g = groups(data, name, raw)
        if same:
            if len(g) == 1:
                print(name)
            continue
        if len(g) == 1:
            continue
        print("=" * 78)
        print(name)
        base = json.loads(g[0][0])
        for key, labels in g:
            print("  --", ", ".join(labels))
            obs = json.loads(key)
            for i, o in enumerate(obs):
                if key is g[0][0] or i >= len(base) or base[i] != o:
                    print("     [%d] %s" % (i, short(o)))


if __name__ == "__main__":
    main(sys.argv[1:])
