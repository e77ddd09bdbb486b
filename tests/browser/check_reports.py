"""Loads sapu's HTML reports in headless Chromium and checks what a reader
sees: no console errors, the struck lines and rule labels of --explain in
the rendered page, filters that work by mouse and by keyboard, text shown
as text, a dark and a print style. Run by tests/browser/run.sh, which
builds the reports into OUT.

    python3 check_reports.py OUT [--readme PNG]
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402

failures = []


def check(cond, what):
    print(("  ok    " if cond else "  FAIL  ") + what)
    if not cond:
        failures.append(what)
    return cond


def settle():
    # The search box waits 120 ms before it filters.
    time.sleep(0.3)


def load(b, path, fragment=""):
    b.clear_events()
    b.media()
    b.open("file://" + os.path.abspath(path) + fragment)
    settle()


def data_of(b):
    return b.js("JSON.parse(document.getElementById('sapu-data').textContent)")


def no_errors(b, name):
    errors = b.errors()
    check(not errors, f"{name}: no console errors" + (f": {errors}" if errors else ""))


def rule_rows(b):
    """The rule ids of the rows in the main column."""
    return b.js("[...document.querySelectorAll('#main .row .chip')].map(c => c.dataset.rule)")


def clean_report(b, out, readme):
    path = os.path.join(out, "news.html")
    load(b, path)
    print(f"{path}:")
    no_errors(b, "clean")
    data = data_of(b)
    names = [d["name"] for d in data["docs"]]
    explain = [json.loads(l) for l in open(os.path.join(out, "news.explain.jsonl"))]
    drops = [r for r in explain if r["action"] == "drop"]
    rewrites = [r for r in explain if r["action"] == "rewrite"]

    # Every drop of --explain is a struck line with its rule's label.
    rows = b.js(
        """[...document.querySelectorAll('#main .row[id]')].map(r => ({
            id: r.id, cls: r.className,
            del: (r.querySelector('del') || {}).textContent,
            ins: (r.querySelector('ins') || {}).textContent,
            chip: [...r.querySelectorAll('.chip')].map(c => c.dataset.rule)
        }))"""
    )
    by_id = {r["id"]: r for r in rows}
    missing = []
    for r in drops:
        row = by_id.get(f"d{names.index(r['doc'])}-l{r['line']}")
        if not (row and "a-drop" in row["cls"] and row["del"] == r["text"] and row["chip"] == [r["rule"]]):
            missing.append((r["doc"], r["line"], r["rule"], row))
    check(len(drops) > 50 and not missing, f"clean: all {len(drops)} dropped lines of --explain are struck, labelled by their rule" + (f"; not: {missing[:3]}" if missing else ""))
    bad = [
        r
        for r in rewrites
        if by_id.get(f"d{names.index(r['doc'])}-l{r['line']}", {}).get("ins") != r["to"]
    ]
    check(rewrites and not bad, f"clean: {len(rewrites)} rewritten line(s) show before and after")

    # The tooltip of a struck line, on hover and on keyboard focus.
    first = drops[0]
    row_id = f"d{names.index(first['doc'])}-l{first['line']}"
    box = b.js(
        f"""(() => {{ const r = document.getElementById('{row_id}'); r.scrollIntoView({{block: 'center'}});
            const q = r.getBoundingClientRect(); return {{x: q.left + 200, y: q.top + q.height / 2}}; }})()"""
    )
    b.mouse("mouseMoved", box)
    tip = b.js(
        f"""(() => {{ const t = document.querySelector('#{row_id} .tip');
            return {{shown: getComputedStyle(t).display !== 'none', text: t.textContent}}; }})()"""
    )
    check(
        tip["shown"] and first["rule"] in tip["text"] and "kind " + first["kind"] in tip["text"] and first["reason"] in tip["text"],
        f"clean: hovering line {first['line']} shows rule, kind and reason: {tip['text'][:90]!r}",
    )
    b.mouse("mouseMoved", {"x": 5, "y": 5})
    generic = next((r for r in drops if "score" in r), None)
    if generic:
        gid = f"d{names.index(generic['doc'])}-l{generic['line']}"
        b.js(f"document.getElementById('{gid}').focus()")
        tip = b.js(f"getComputedStyle(document.querySelector('#{gid} .tip')).display !== 'none' && document.querySelector('#{gid} .tip').textContent")
        check(tip and f"score {generic['score']:.3f}" in tip, f"clean: focusing a generic drop shows its score: {str(tip)[:80]!r}")

    # Every rule that fired is in the side panel, with its count.
    b.click("#rules-toggle")
    panel = b.js("[...document.querySelectorAll('.rules .rule')].map(a => [a.querySelector('.rid').textContent, a.querySelector('.n').textContent])")
    counts = {}
    for r in drops + rewrites:
        counts[r["rule"]] = counts.get(r["rule"], 0) + 1
    check(dict((k, int(v)) for k, v in panel) == counts, f"clean: the side panel lists the {len(counts)} rules with their line counts")

    # Keyboard only: "/" focuses the search box, Tab reaches a rule, Enter filters.
    load(b, path)
    b.key("/", code="Slash", keycode=191, text="/")
    check(b.js("document.activeElement.id") == "q", "keyboard: / focuses the search box")
    target = "promo.baca-juga"
    reached = False
    for _ in range(40):
        b.tab()
        if b.js("(document.activeElement.querySelector('.rid') || {}).textContent") == target:
            reached = True
            break
    check(reached, f"keyboard: Tab reaches the rule {target}")
    b.enter()
    settle()
    shown = rule_rows(b)
    check(
        b.js("location.hash") == "#rule=" + target and shown and set(shown) == {target} and len(shown) == counts[target],
        f"keyboard: Enter shows only the {counts[target]} lines {target} dropped ({len(shown)} shown)",
    )

    # A mouse click on another rule filters the same way.
    rule = max(counts, key=lambda k: (counts[k], k))
    b.click(f".rules a[href='#rule={rule}']")
    settle()
    shown = rule_rows(b)
    docs_with = sorted({r["doc"] for r in drops + rewrites if r["rule"] == rule})
    cards = b.js("[...document.querySelectorAll('#main .doc h3')].map(h => h.textContent)")
    check(
        set(shown) == {rule} and len(shown) == counts[rule] and cards == docs_with,
        f"click: {rule} shows its {counts[rule]} lines in {len(docs_with)} documents ({len(shown)} lines, {len(cards)} documents)",
    )
    # Each line links back into its page.
    link = b.js("document.querySelector('#main .row a.ln').getAttribute('href')")
    b.click("#main .row a.ln")
    settle()
    focused = b.js("document.activeElement.id")
    check(
        b.js("location.hash") == link and focused and b.js("document.querySelectorAll('#main .doc').length") == 1,
        f"click: the line number {link} opens its page at the line ({focused})",
    )

    # The histogram: a bin shows the documents of that share.
    load(b, path)
    hist = data["hist"]
    bin_ = max(range(10), key=lambda i: (hist[i], -i))
    b.click(f".hist a[href='#share={bin_}']")
    settle()
    shares = b.js("[...document.querySelectorAll('#main .doc')].length")
    check(shares == hist[bin_], f"click: the histogram bin {bin_ * 10}-{bin_ * 10 + 10}% shows its {hist[bin_]} document(s)")

    # Search over names and text.
    load(b, path)
    b.click("#q")
    word = "Tajikistan"
    b.type_text(word)
    settle()
    low = word.lower()
    want = sorted(
        d["name"]
        for d in data["docs"]
        if low in d["name"].lower() or any(low in (l.get("t") or "").lower() or low in l.get("d", {}).get("to", "").lower() for l in d["lines"])
    )
    got = b.js("[...document.querySelectorAll('#main .doc h3')].map(h => h.textContent)")
    marks = b.js("document.querySelectorAll('#main mark').length")
    check(
        got == want and 0 < len(want) < len(names) and marks > 0,
        f"search: {word!r} keeps the {len(want)} of {len(names)} documents that contain it, marked ({len(got)} shown, {marks} marks)",
    )

    # Colours with prefers-color-scheme, and a print style.
    load(b, path)
    light = b.js("getComputedStyle(document.documentElement).backgroundColor")
    b.screenshot(os.path.join(out, "news-light.png"))
    b.media(dark=True)
    dark = b.js("getComputedStyle(document.documentElement).backgroundColor")
    check(light != dark, f"dark: prefers-color-scheme changes the colours ({light} -> {dark})")
    b.screenshot(os.path.join(out, "news-dark.png"))
    b.media(media="print")
    hidden = b.js("getComputedStyle(document.querySelector('aside')).display") == "none" and b.js(
        "getComputedStyle(document.querySelector('.search')).display"
    ) == "none"
    check(hidden, "print: the side panel and the search box are not printed")
    b.media()

    if readme:
        # The README's picture: a page with the rules' colours, labels and
        # one tooltip.
        b.send("Emulation.setDeviceMetricsOverride", width=1280, height=820, deviceScaleFactor=1, mobile=False)
        load(b, path, "#doc=" + str(names.index(next(n for n in names if "idntimes" in n))))
        b.js("window.scrollTo(0, 0)")
        box = b.js(
            """(() => { const r = [...document.querySelectorAll('#main .row.a-drop')][1];
                const q = r.getBoundingClientRect(); return {x: q.left + 260, y: q.top + q.height / 2}; })()"""
        )
        b.mouse("mouseMoved", box)
        time.sleep(0.2)
        b.screenshot(readme)
        print(f"  wrote {readme}")
        b.send("Emulation.setDeviceMetricsOverride", width=1360, height=900, deviceScaleFactor=1, mobile=False)


def hostile_report(b, out):
    path = os.path.join(out, "hostile.html")
    load(b, path)
    print(f"{path}:")
    no_errors(b, "hostile")
    text = open(os.path.join(out, "hostile-line.txt")).read().strip()
    seen = b.js("document.querySelector('#main').textContent")
    check(text in seen, f"hostile: the line is shown as text: {text[:60]!r}")
    name = b.js("document.querySelector('#main .doc h3').textContent")
    check("<script>" in name and "&" in name and '"' in name, f"hostile: the file name is shown as text: {name!r}")
    check(b.js("typeof window.pwned") == "undefined", "hostile: no script of a document ran")
    check(b.js("document.scripts.length") == 2, "hostile: the page has only its own two script elements")
    check(b.js("document.querySelectorAll('#main img, #main b, #main script').length") == 0, "hostile: no element came from a document's text")

    # The flagged document: listed in the side panel, a filter, a badge.
    listed = b.js("[...document.querySelectorAll('.doclist a')].map(a => a.textContent)")
    check(len(listed) == 1 and listed[0].endswith("heavy.txt"), f"flagged: the side panel lists the flagged document: {listed}")
    b.click("a[href='#flagged']")
    settle()
    cards = b.js("[...document.querySelectorAll('#main .doc')].map(d => [d.querySelector('h3').textContent, !!d.querySelector('.badge.flag')])")
    check(len(cards) == 1 and cards[0][0].endswith("heavy.txt") and cards[0][1], f"flagged: its filter shows only it, with a flagged badge: {cards}")


def sampled_report(b, out):
    path = os.path.join(out, "sampled.html")
    load(b, path)
    print(f"{path}:")
    no_errors(b, "sampled")
    data = data_of(b)
    docs = data["documents"]
    shown = data["shown"]
    firsts = {r for d in data["docs"] for r in d["first"]}
    fired = {i for i, r in enumerate(data["rules"]) if r["lines"] > 0}
    check(docs > 300 and shown < docs and firsts == fired, f"sampled: {shown} of {docs} documents, the first of each of the {len(fired)} rules that fired among them")
    note = b.js("document.querySelector('.summary .shown').textContent")
    check(f"shows {shown} of the {docs:,}" in note, f"sampled: the page says how many of how many: {note!r}")
    check(b.js("!!document.querySelector('.summary details')"), "sampled: the page says how the documents were chosen")
    cards = b.js("document.querySelectorAll('#main .doc').length")
    b.click(".more button")
    settle()
    more = b.js("document.querySelectorAll('#main .doc').length")
    check(cards == 10 and more == 20, f"sampled: documents come ten at a time ({cards}, then {more})")
    b.screenshot(os.path.join(out, "sampled.png"))


def diff_report(b, out):
    path = os.path.join(out, "diff.html")
    load(b, path)
    print(f"{path}:")
    no_errors(b, "diff")
    data = data_of(b)
    d = data["diff"]
    changed = b.js("document.querySelectorAll('#main .row.changed').length")
    total = d["newlyDropped"] + d["newlyKept"] + d["changed"]
    check(changed == total and d["newlyDropped"] > 0 and d["newlyKept"] > 0, f"diff: the {total} changed lines are marked (+{d['newlyDropped']} -{d['newlyKept']})")
    check(b.js("[...document.querySelectorAll('#main .cols span')].slice(2, 4).map(s => s.textContent).join()") == "old rules,new rules", "diff: the columns say old rules and new rules")
    b.click(".rules a[href='#rule=site.kabul']")
    settle()
    rows = b.js("[...document.querySelectorAll('#main .row')].map(r => [r.className, (r.querySelectorAll('.dec')[1].querySelector('.chip') || {dataset: {}}).dataset.rule])")
    check(rows and all("changed" in c and chip == "site.kabul" for c, chip in rows), f"diff: site.kabul shows only the {len(rows)} lines it newly drops")
    b.click(".rules a[href^='#rule=caption.']")
    settle()
    released = b.js("document.querySelectorAll('#main .row.released').length")
    rows = b.js("document.querySelectorAll('#main .row').length")
    check(released and released == rows, f"diff: a removed caption rule shows the {rows} lines now kept")
    b.screenshot(os.path.join(out, "diff.png"))


def check_report(b, out):
    path = os.path.join(out, "check.html")
    load(b, path)
    print(f"{path}:")
    no_errors(b, "check")
    cards = b.js("[...document.querySelectorAll('#main .doc h3')].map(h => h.textContent)")
    check(cards == ["seed-004-idntimes"], f"check: the failing case is shown: {cards}")
    heads = b.js("[...document.querySelectorAll('#main .cols span')].slice(2, 4).map(s => s.textContent).join()")
    check(heads == "expected,actual", "check: expected and actual side by side")
    row = b.js(
        """(() => { const r = document.querySelector('#main .row.changed');
            return r && {text: r.querySelector('.txt').textContent, expected: r.querySelectorAll('.dec')[0].textContent,
                         actual: r.querySelectorAll('.dec')[1].textContent}; })()"""
    )
    check(
        row and row["text"].startswith("Dropped: Baca Juga") and "kept" in row["expected"] and "promo.baca-juga" in row["actual"],
        f"check: the promo line is expected kept, actually dropped by promo.baca-juga: {row}",
    )
    b.screenshot(os.path.join(out, "check.png"))


def main():
    out = sys.argv[1]
    readme = sys.argv[sys.argv.index("--readme") + 1] if "--readme" in sys.argv else None
    b = Browser(chromium=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    try:
        clean_report(b, out, readme)
        hostile_report(b, out)
        sampled_report(b, out)
        diff_report(b, out)
        check_report(b, out)
    finally:
        b.close()
    if failures:
        print(f"tests/browser: {len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print(f"tests/browser: all checks passed; screenshots in {out}")


if __name__ == "__main__":
    main()
