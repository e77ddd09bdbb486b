"""Quality of the peers (datatrove's C4QualityFilter, jusText) on the
labelled training pages, line by line, and on the development snippets;
run by bench/eval_peers.sh, which installs them into bench/.venv.

    peers_eval.py --train DIR [--dev DIR] [--sapu-train JSON] [--sapu-dev JSON]
                  [--sapu-rev REV] [--workers N] [--json FILE] [--limit N]

Training pages (DIR/DATASET/CASE/input.txt and meta.json with content_lines,
dataset, page_type, lang, host): for every page, which of its non-blank
lines each peer keeps, scored as `sapu eval CASES...` scores sapu: of the
content lines, the share kept; of the other non-blank lines (boilerplate),
the share removed; pooled over lines, per dataset, page type and language.

* datatrove 0.10.1 C4QualityFilter(), default settings (split_paragraph=True:
  one line at a time; remove_citations=True; filter_no_terminal_punct=True;
  min_words_per_line=3; max_word_length=1000; filter_javascript=True;
  filter_policy=True; and for the whole document min_num_sentences=5,
  filter_lorem_ipsum=True, filter_curly_bracket=True; language=English for
  sentence counting). The page's text is the document; a line is kept when
  it is in the filtered document's text (matched in order, after the
  filter's own citation removal); a document the filter drops loses all its
  lines.
* jusText 3.0.2, default settings: each non-blank line becomes one <p> of an
  HTML page (as bench/peers.py does); a line is kept when its paragraph is
  not boilerplate. The stop list is guessed from the page itself, the way
  sapu guesses a language: of jusText's 100 stop lists, the one that covers
  most words of the page (words split at white space, stripped of
  punctuation, lower-cased; ties to the first name in alphabetical order);
  a page no list covers a word of runs in jusText's language-independent
  mode (empty stop list, stopwords_low = stopwords_high = 0). The page's
  meta.json `lang` (a guess on the labelled content) is not used for that;
  a second jusText run with the stop list of meta.json's `lang` (same
  fallback when jusText has none) is reported beside it, to see what the
  guess costs. (Some of jusText's lists hold many English words - Marathi's
  holds 250 of English's 453 - so the guess names them for some English
  pages, and for pages in languages jusText has no list for, such as
  Japanese, it names a list that covers their few Latin-script words.)

Development snippets (DEV/raw/NAME.txt, DEV/expect/NAME.json): the cleaned
text (C4: the filtered document, empty when dropped; jusText: the lines of
the kept paragraphs) scored like `sapu eval RAW EXPECT`: a snippet matches
after the normalization of src/eval/snippets.rs; a snippet not in the raw
page is not scored. jusText is also run there with the union of all its
stop lists.

A peer that raises on a page is counted (and named on stderr); its page is
scored as if the peer had kept every line (the page passed through).
"""

import argparse
import collections
import html
import json
import multiprocessing
import os
import re
import string
import sys
import time
import unicodedata

# ---------------------------------------------------------------- pages


def read_lines(path):
    """The lines of a page as sapu splits them: at \\n, a trailing \\r cut."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    return [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]


def load_train(root, limit=None):
    """Cases under ROOT/DATASET/CASE, in name order, as dicts."""
    cases = []
    for ds in sorted(os.listdir(root)):
        d = os.path.join(root, ds)
        if not os.path.isdir(d):
            continue
        for case in sorted(os.listdir(d)):
            c = os.path.join(d, case)
            if not os.path.isfile(os.path.join(c, "input.txt")):
                continue
            with open(os.path.join(c, "meta.json"), encoding="utf-8") as f:
                meta = json.load(f)
            cases.append(
                {
                    "name": f"{ds}/{case}",
                    "path": os.path.join(c, "input.txt"),
                    "dataset": meta.get("dataset"),
                    "page_type": meta.get("page_type"),
                    "lang": meta.get("lang"),
                    "content_lines": meta.get("content_lines") or [],
                }
            )
    if limit:
        cases = cases[:limit]
    return cases


# ---------------------------------------------------------------- peers

JT = {}  # per worker: stop lists, inverted index
C4 = {}


def init_worker():
    import justext
    from datatrove.pipeline.filters import C4QualityFilter

    names = sorted(justext.get_stoplists())
    lists = {n: frozenset(w.lower() for w in justext.get_stoplist(n)) for n in names}
    index = collections.defaultdict(list)
    for i, n in enumerate(names):
        for w in lists[n]:
            index[w].append(i)
    JT["names"] = names
    JT["lists"] = lists
    JT["index"] = index
    JT["union"] = frozenset().union(*lists.values())
    C4["filter"] = C4QualityFilter()


# ISO 639-1 codes of meta.json's `lang` to jusText's stop lists (the
# languages of the training pages; others have none).
ISO_TO_JUSTEXT = {
    "ar": "Arabic", "cs": "Czech", "da": "Danish", "de": "German", "en": "English",
    "es": "Spanish", "fr": "French", "hi": "Hindi", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ko": "Korean", "la": "Latin", "lt": "Lithuanian", "ms": "Malay",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pt": "Portuguese", "ru": "Russian",
    "sv": "Swedish", "sw": "Swahili", "tr": "Turkish", "vi": "Vietnamese",
    "pl": "Polish", "fi": "Finnish", "uk": "Ukrainian", "el": "Greek", "ro": "Romanian",
    "hu": "Hungarian", "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "ca": "Catalan",
}

PUNCT = string.punctuation + "«»“”„‘’‚…–—¿¡·"


def guess_stoplist(lines):
    """The jusText stop list covering most words of the page, or None."""
    hits = [0] * len(JT["names"])
    index = JT["index"]
    for line in lines:
        for w in line.split():
            for i in index.get(w.strip(PUNCT).lower(), ()):
                hits[i] += 1
    best = max(range(len(hits)), key=lambda i: (hits[i], -i))
    return JT["names"][best] if hits[best] > 0 else None


P_XPATH = re.compile(r"/html\[1\]/body\[1\]/p\[(\d+)\]")


def justext_keep(lines, stoplist):
    """Per line: kept by jusText (one <p> per non-blank line). `stoplist`
    is a jusText stop list name, "*" for the union of all, or None for the
    language-independent mode. Also returns the number of non-blank lines
    jusText made no paragraph of (scored as removed)."""
    import justext

    idx = [i for i, l in enumerate(lines) if l.strip()]
    page = "<html><body>" + "".join(f"<p>{html.escape(lines[i])}</p>" for i in idx) + "</body></html>"
    if stoplist is None:
        paras = justext.justext(page, frozenset(), stopwords_low=0, stopwords_high=0)
    else:
        words = JT["union"] if stoplist == "*" else JT["lists"][stoplist]
        paras = justext.justext(page, words)
    kept = [False] * len(lines)
    seen = 0
    for p in paras:
        m = P_XPATH.fullmatch(p.xpath)
        if not m:
            raise RuntimeError(f"paragraph at {p.xpath} is not one of the page's lines")
        kept[idx[int(m.group(1)) - 1]] = not p.is_boilerplate
        seen += 1
    return kept, len(idx) - seen


def c4_keep(lines, name):
    """Per line: kept by C4QualityFilter; and the reason the document was
    dropped (None when it was not)."""
    from datatrove.data import Document
    from datatrove.pipeline.filters.c4_filters import CITATION_REGEX

    doc = Document(text="\n".join(lines), id=name)
    res = C4["filter"].filter(doc)
    ok, reason = (res, None) if not isinstance(res, tuple) else res
    if not ok:
        return [False] * len(lines), reason or "dropped", ""
    out = doc.text.split("\n") if doc.text else []
    kept = [False] * len(lines)
    j = 0
    for i, line in enumerate(lines):
        # Compared stripped: the filter strips the joined text, so a line
        # that citation removal left with a leading space ("[1] Text")
        # loses it only when it comes first.
        if j < len(out) and line.strip() and CITATION_REGEX.sub("", line.strip()).strip() == out[j].strip():
            kept[i] = True
            j += 1
    if j != len(out):
        raise RuntimeError(f"{len(out) - j} lines of the filtered text not found in the page in order")
    return kept, None, doc.text


def run_peer(errors, label, name, lines, fn):
    """fn() -> kept list; on an exception, every line kept and the error noted."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - a peer's crash is counted, not fatal
        errors.append((label, name, f"{type(e).__name__}: {e}"))
        return None


def train_task(case):
    lines = read_lines(case["path"])
    errors = []
    out = {"name": case["name"], "errors": errors}
    t0 = time.process_time()
    r = run_peer(errors, "c4", case["name"], lines, lambda: c4_keep(lines, case["name"]))
    out["c4"], out["c4_dropped"] = (r[0], r[1]) if r else ([True] * len(lines), None)
    t1 = time.process_time()
    guess = guess_stoplist(lines)
    meta_list = ISO_TO_JUSTEXT.get(case["lang"])
    out["guess"], out["meta_list"] = guess, meta_list
    r = run_peer(errors, "justext", case["name"], lines, lambda: justext_keep(lines, guess))
    out["jt"], out["jt_unmapped"] = r if r else ([True] * len(lines), 0)
    if meta_list == guess:
        out["jt_meta"] = out["jt"]
    else:
        r = run_peer(errors, "justext-meta", case["name"], lines, lambda: justext_keep(lines, meta_list))
        out["jt_meta"] = r[0] if r else [True] * len(lines)
    t2 = time.process_time()
    out["cpu"] = {"c4": t1 - t0, "justext": t2 - t1}
    # Only the flags of scored lines travel back: one char per line.
    for k in ("c4", "jt", "jt_meta"):
        out[k] = "".join("1" if x else "0" for x in out[k])
    return out


def dev_task(item):
    name, path = item
    lines = read_lines(path)
    errors = []
    out = {"name": name, "errors": errors, "raw": "\n".join(lines)}
    r = run_peer(errors, "c4", name, lines, lambda: c4_keep(lines, name))
    out["c4"], out["c4_dropped"] = (r[2], r[1]) if r else (out["raw"], None)
    guess = guess_stoplist(lines)
    out["guess"] = guess
    for key, sl in (("jt", guess), ("jt_union", "*")):
        r = run_peer(errors, key, name, lines, lambda sl=sl: justext_keep(lines, sl))
        out[key] = "\n".join(l for l, k in zip(lines, r[0]) if k) if r else out["raw"]
    return out


# ---------------------------------------------------------------- scoring

LINE_PEERS = [
    ("c4", "datatrove C4QualityFilter"),
    ("jt", "jusText, guessed stop list"),
    ("jt_meta", "jusText, stop list of meta `lang`"),
]


def groups(case):
    """The groups of `sapu eval CASES...` (src/eval/lines.rs), and the
    language over all datasets."""
    d, t, l = case["dataset"], case["page_type"], case["lang"]
    g = ["all"]
    if l:
        g.append(f"all lang={l}")
    if d:
        g.append(d)
        if t:
            g.append(f"{d} type={t}")
        if l:
            g.append(f"{d} lang={l}")
    return g


# Characters sapu's normalization (src/text/normalize.rs) removes or turns
# into spaces or line breaks: a line of only these is blank there, and not
# scored.
INVISIBLE = re.compile(
    "[\x00-\x20\x7f-\x9f\xa0\xad\u1680\u180e\u2000-\u200b\u200e\u200f\u2028-\u202f"
    "\u205f\u2060\u2066-\u2069\u3000\ufeff\ufffe]*"
)


def blank(line):
    """Blank as sapu sees it (a line of zero-width spaces is)."""
    return INVISIBLE.fullmatch(line) is not None


def count_page(lines, content_set, kept):
    c = collections.Counter(pages=1)
    for i, line in enumerate(lines):
        if blank(line):
            continue
        k = kept[i] == "1"
        if (i + 1) in content_set:
            c["content"] += 1
            c["content_kept"] += k
        else:
            c["boilerplate"] += 1
            c["boilerplate_removed"] += not k
    return c


def share(n, of):
    return 1.0 if of == 0 else n / of


def harmonic(a, b):
    return 0.0 if a + b == 0 else 2 * a * b / (a + b)


QUOTES = {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'",
          "–": "-", "—": "-", "…": "...", "\u200b": "", "\ufeff": ""}
# Rust's char::is_whitespace (Unicode White_Space).
WHITE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
            "\u2028\u2029\u202f\u205f\u3000")


def match_form(s):
    """src/eval/snippets.rs match_form."""
    out = []
    space = False
    for c in unicodedata.normalize("NFC", s):
        m = QUOTES.get(c)
        if m is None:
            if c in WHITE:
                space = True
                continue
            m = c
        if m == "":
            continue
        if space and out:
            out.append(" ")
        space = False
        out.append(m)
    return "".join(out)


def score_snippets(raw, cleaned, expect):
    raw, text = match_form(raw), match_form(cleaned)
    s = collections.Counter()
    for key, keep in (("with", True), ("without", False)):
        for snip in expect.get(key, []):
            f = match_form(snip)
            if f not in raw:
                s["not_in_page"] += 1
                continue
            s[key + "_total"] += 1
            if (f in text) == keep:
                s[key + ("_kept" if keep else "_removed")] += 1
    return s


def summarize_snippets(counters):
    t = collections.Counter()
    for c in counters:
        t.update(c)
    wk = share(t["with_kept"], t["with_total"])
    wr = share(t["without_removed"], t["without_total"])
    return {
        "pages": len(counters),
        "with_total": t["with_total"],
        "without_total": t["without_total"],
        "not_in_page": t["not_in_page"],
        "with_kept": wk,
        "without_removed": wr,
        "harmonic_mean": harmonic(wk, wr),
    }


# ---------------------------------------------------------------- main


def reasons(counter):
    """ " (reason: n, ...)" of C4's whole-document drops, or nothing."""
    return " (" + ", ".join(f"{r}: {n}" for r, n in counter.most_common()) + ")" if counter else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", required=True, help="folder of DATASET/CASE/{input.txt,meta.json}")
    ap.add_argument("--dev", help="folder with raw/ and expect/ (snippet pages)")
    ap.add_argument("--sapu-train", help="`sapu eval TRAIN/* --json` output, for sapu's column")
    ap.add_argument("--sapu-dev", help="`sapu eval DEV/raw DEV/expect --json` output")
    ap.add_argument("--sapu-rev", default="?", help="the commit sapu was built from")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--top-langs", type=int, default=5, help="languages with at least this many pages get a row in the summary")
    ap.add_argument("--limit", type=int, help="only the first N training pages (a smoke run)")
    ap.add_argument("--json", help="write all counts to this file")
    args = ap.parse_args()

    from importlib.metadata import version

    versions = {"datatrove": version("datatrove"), "justext": version("justext"), "spacy": version("spacy")}
    cases = load_train(args.train, args.limit)
    dev = []
    if args.dev:
        raw_dir, exp_dir = os.path.join(args.dev, "raw"), os.path.join(args.dev, "expect")
        for f in sorted(os.listdir(raw_dir)):
            if f.endswith(".txt") and os.path.exists(os.path.join(exp_dir, f[:-4] + ".json")):
                dev.append((f[:-4], os.path.join(raw_dir, f)))
    print(f"[peers_eval] {len(cases)} training pages, {len(dev)} dev pages, {args.workers} workers; "
          f"datatrove {versions['datatrove']}, jusText {versions['justext']}", file=sys.stderr)

    t0 = time.time()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.workers, initializer=init_worker) as pool:
        train_out = {}
        for i, r in enumerate(pool.imap_unordered(train_task, cases, chunksize=4), 1):
            train_out[r["name"]] = r
            if i % 200 == 0:
                print(f"[peers_eval] {i}/{len(cases)} training pages, {time.time() - t0:.0f} s", file=sys.stderr)
        dev_out = {r["name"]: r for r in pool.imap_unordered(dev_task, dev, chunksize=4)}
    wall = time.time() - t0

    # sapu's per-page counts, from its own scorer.
    sapu_pages = {}
    if args.sapu_train:
        with open(args.sapu_train, encoding="utf-8") as f:
            for p in json.load(f)["pages"]:
                sapu_pages[p["name"]] = p["counts"]

    cleaners = ["none"] + [k for k, _ in LINE_PEERS] + (["sapu"] if sapu_pages else [])
    totals = {k: collections.defaultdict(collections.Counter) for k in cleaners}
    mismatch = []
    errors = []
    dropped = collections.Counter()
    guess_agree = collections.Counter()
    unmapped = 0
    cpu = collections.Counter()
    for case in cases:
        r = train_out[case["name"]]
        errors += r["errors"]
        lines = read_lines(case["path"])
        content = set(case["content_lines"])
        per = {"none": count_page(lines, content, "1" * len(lines))}
        for k, _ in LINE_PEERS:
            per[k] = count_page(lines, content, r[k])
        if sapu_pages:
            s = sapu_pages.get(case["name"])
            if s is None or (s["content"], s["boilerplate"]) != (per["none"]["content"], per["none"]["boilerplate"]):
                mismatch.append(case["name"])
            per["sapu"] = collections.Counter(s or {})
        for k in cleaners:
            for g in groups(case):
                totals[k][g].update(per[k])
        if r["c4_dropped"]:
            dropped[r["c4_dropped"]] += 1
        unmapped += r["jt_unmapped"]
        ml = r["meta_list"]
        guess_agree["same" if r["guess"] == ml else ("meta has no list" if ml is None else "different")] += 1
        cpu.update(r["cpu"])

    # ------------------------------------------------ tables
    def row_cells(k, g):
        c = totals[k][g]
        return f"{share(c['content_kept'], c['content']):.3f} | {share(c['boilerplate_removed'], c['boilerplate']):.3f}"

    names = {"c4": "C4", "jt": "jusText", "jt_meta": "jusText (meta lang)", "sapu": f"sapu default at {args.sapu_rev}"}

    def table(rows, shown):
        print("| group | pages | content lines | boilerplate lines | "
              + " | ".join(f"{names[k]} kept | {names[k]} removed" for k in shown) + " |")
        print("|---|---:|---:|---:|" + "---:|---:|" * len(shown))
        for g in rows:
            n = totals["none"][g]
            print(f"| {g} | {n['pages']} | {n['content']:,} | {n['boilerplate']:,} | "
                  + " | ".join(row_cells(k, g) for k in shown) + " |")

    sapu_col = ["sapu"] if sapu_pages else []
    datasets = sorted({c["dataset"] for c in cases if c["dataset"]}, key=lambda d: ["wcxb", "scrapinghub", "fundus"].index(d) if d in ("wcxb", "scrapinghub", "fundus") else 9)
    all_groups = totals["none"]
    summary_rows = ["all"] + datasets
    summary_rows += sorted((g for g in all_groups if g.startswith("wcxb type=")), key=lambda g: (-all_groups[g]["pages"], g))
    summary_rows += sorted((g for g in all_groups if g.startswith("all lang=") and all_groups[g]["pages"] >= args.top_langs),
                           key=lambda g: (-all_groups[g]["pages"], g))

    print(f"### Line level on the training pages ({len(cases)} pages)\n")
    print("Share of content lines kept and of boilerplate lines removed, pooled over the lines of the group. "
          f"`all lang=` rows pool the datasets (languages with {args.top_langs} or more pages).\n")
    table(summary_rows, ["c4", "jt"] + sapu_col)
    print()
    print("| cleaner | content kept | boilerplate removed | harmonic mean |\n|---|---:|---:|---:|")
    label = {"none": "no cleaning", "c4": f"datatrove {versions['datatrove']} C4QualityFilter (defaults)",
             "jt": f"jusText {versions['justext']}, stop list guessed from the page",
             "jt_meta": f"jusText {versions['justext']}, stop list of meta.json `lang` (uses the labels' language)",
             "sapu": f"sapu default at {args.sapu_rev}"}
    for k in cleaners:
        c = totals[k]["all"]
        a, b = share(c["content_kept"], c["content"]), share(c["boilerplate_removed"], c["boilerplate"])
        print(f"| {label[k]} | {a:.3f} | {b:.3f} | {harmonic(a, b):.3f} |")
    print()
    print(f"C4 dropped {sum(dropped.values())} of {len(cases)} pages whole{reasons(dropped)}; their lines count as removed. "
          f"jusText's stop list guess equals the list of meta.json's `lang` on {guess_agree['same']} pages, "
          f"differs on {guess_agree['different']}, and {guess_agree['meta has no list']} pages are in a language jusText has no list for. "
          f"Peer errors: {len(errors)}" + (" (" + ", ".join(f"{lab} on {n}" for lab, n, _ in errors[:10])
                                           + "; scored as if the peer had kept every line)" if errors else "")
          + f". Lines jusText made no paragraph of: {unmapped}.")
    if sapu_pages:
        print(f"Pages whose scored lines differ from sapu's count: {len(mismatch)}.")
    print()

    print("<details><summary>Every group of <code>sapu eval CASES...</code></summary>\n")
    full = sorted(g for g in all_groups if not g.startswith("all lang="))
    table(full, ["c4", "jt", "jt_meta"] + sapu_col)
    print("\n</details>\n")

    dev_summary = {}
    if dev:
        with_exp = {}
        for name, _ in dev:
            with open(os.path.join(args.dev, "expect", name + ".json"), encoding="utf-8") as f:
                with_exp[name] = json.load(f)
        dev_errors = []
        dev_rows = [("none", "no cleaning"), ("c4", label["c4"]), ("jt", label["jt"]),
                    ("jt_union", f"jusText {versions['justext']}, union of all 100 stop lists")]
        for k, _ in dev_rows:
            counters = []
            for name, _ in dev:
                r = dev_out[name]
                dev_errors += [("dev " + e[0], e[1], e[2]) for e in r["errors"] if k != "none" and e[0] == k]
                cleaned = r["raw"] if k == "none" else r[k]
                counters.append(score_snippets(r["raw"], cleaned, with_exp[name]))
            dev_summary[k] = summarize_snippets(counters)
        if args.sapu_dev:
            with open(args.sapu_dev, encoding="utf-8") as f:
                dev_summary["sapu"] = json.load(f)["summary"]
            dev_rows.append(("sapu", label["sapu"]))
        dev_dropped = collections.Counter(r["c4_dropped"] for r in dev_out.values() if r["c4_dropped"])
        print(f"### Development snippets ({len(dev)} pages)\n")
        print("| cleaner | `with` kept | `without` removed | harmonic mean |\n|---|---:|---:|---:|")
        for k, lab in dev_rows:
            s = dev_summary[k]
            print(f"| {lab} | {s['with_kept']:.3f} | {s['without_removed']:.3f} | {s['harmonic_mean']:.3f} |")
        print(f"\nC4 dropped {sum(dev_dropped.values())} of {len(dev)} pages whole{reasons(dev_dropped)}. "
              f"Snippets scored: {dev_summary['none']['with_total']} `with`, {dev_summary['none']['without_total']} `without` "
              f"({dev_summary['none']['not_in_page']} not in their page, not scored). Peer errors: {len(dev_errors)}"
              + (" (" + ", ".join(f"{lab} on {n}" for lab, n, _ in dev_errors[:10])
                 + "; scored as if the peer had kept every line)" if dev_errors else "") + ".")
        errors += dev_errors
        print()

    for label_, name, err in errors[:20]:
        print(f"[peers_eval] {label_} failed on {name}: {err}", file=sys.stderr)
    print(f"[peers_eval] done in {wall:.0f} s wall; CPU in workers: C4 {cpu['c4']:.0f} s, jusText {cpu['justext']:.0f} s "
          f"(training pages)", file=sys.stderr)

    if args.json:
        doc = {
            "versions": versions,
            "sapu_rev": args.sapu_rev,
            "train": {k: {g: dict(c) for g, c in sorted(v.items())} for k, v in totals.items()},
            "c4_dropped": dict(dropped),
            "justext_guess": dict(guess_agree),
            "justext_unmapped_lines": unmapped,
            "dev": dev_summary,
            "errors": errors,
            "mismatch": mismatch,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
