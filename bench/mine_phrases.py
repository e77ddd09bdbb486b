#!/usr/bin/env python3
"""Mine literal boilerplate phrases from the lines sapu keeps, with site-disjoint CV.

Standard library only.  Usage:

    cargo build --release && python3 bench/mine_phrases.py   # from the project root

    (options: --sapu target/release/sapu --train ../shared/train
     --explain bench/out/mine/explain.jsonl --out bench/out/mine)

The study behind "Phrases mined across sites" in EVALUATION.md.

Steps
 1. Run sapu once over every input.txt (nice -n 19, -j 2) unless the explain file
    exists; a line with a "drop" record is removed, every other non-blank line is kept.
 2. Normalise every line to a token sequence: NFKC, lower case, curly quotes folded,
    tokens = words (\\w+ with inner apostrophes) plus the signs (c) (r) tm; a token made of
    digits only becomes "#"; all other punctuation is ignored.  A phrase is a token
    n-gram (n = 2..6) matched as a contiguous token subsequence of a line (in regex
    terms: \\bw1\\W+w2\\W+...\\b, case-insensitive, \\d+ for "#"), or a whole-line text
    (prefix "=" in phrases.txt) matched when the line's whole token sequence equals it.
 3. Candidates = phrases occurring in kept boilerplate lines of >= 3 distinct hosts.
    For every candidate: the hosts of its kept boilerplate lines, and over ALL non-blank
    lines (kept or dropped) the number of boilerplate/content lines containing it, per fold.
 4. Folds: host -> int(md5(host)) % 5.  For held-out fold f a phrase is selected using
    only the other folds: boilerplate sites >= S, precision >= P, content lines <= C.
    The selected phrases are applied to the KEPT lines of fold f.
 5. Final list: the same selection on all folds, then pruned (a phrase is dropped when it
    contains another selected phrase, or when a selected n-gram already covers a
    whole-line phrase).  Written to phrases.txt (recommended setting) and
    results.md.
"""
import argparse
import collections
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out", "mine")
NFOLD = 5
# grid A: the brief's criteria (bp sites >= S, precision over all lines >= P, content lines <= C)
GRID_A = [dict(S=S, P=P, C=C, K=None, nmin=2) for S in (3, 5, 8) for P in (0.97, 0.99) for C in (0, 2, 5)]
# grid B: stricter - also precision over KEPT lines with one pseudo content line,
# bk / (bk + ck + K) >= P, and n-grams of >= 3 tokens (whole lines of any length still allowed)
GRID_B = [dict(S=S, P=P, C=2, K=1, nmin=3) for S in (5, 8, 12, 20) for P in (0.95, 0.97)]
REC = dict(S=12, P=0.95, C=2, K=1, nmin=3)  # recommended setting (see results.md), chosen after measuring
ALT = dict(S=8, P=0.99, C=5, K=None, nmin=2)  # max-gain setting of grid A under the 0.002 loss cap
NMIN, NMAX = 2, 6
MIN_SITES = 3

TOKEN = re.compile(r"\w+(?:'\w+)*|[©®™]")
FOLD_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


def tokens(s):
    s = unicodedata.normalize("NFKC", s).lower().translate(FOLD_QUOTES)
    s = s.replace("(c)", "©")
    return tuple("#" if t.isdigit() else t for t in TOKEN.findall(s))


def fold_of(host):
    return int(hashlib.md5(host.encode("utf-8")).hexdigest(), 16) % NFOLD


def run_sapu(sapu, train, explain):
    os.makedirs(os.path.dirname(explain), exist_ok=True)
    out = os.path.join(os.path.dirname(explain), "out")
    cmd = ["nice", "-n", "19", sapu, "clean", train, "--glob", "**/input.txt", "--format", "text",
           "-o", out, "--explain", explain, "-q", "-j", "2"]
    print("running", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def load(train, explain):
    drops = collections.defaultdict(set)
    with open(explain, encoding="utf-8") as fh:
        for l in fh:
            r = json.loads(l)
            if r.get("action") == "drop" and "line" in r and r.get("applied", True):
                drops[os.path.relpath(r["doc"], train)].add(r["line"])
    L = []  # one record per non-blank line
    for ds in sorted(os.listdir(train)):
        d = os.path.join(train, ds)
        if not os.path.isdir(d) or ds == "LICENSES":
            continue
        for case in sorted(os.listdir(d)):
            cd = os.path.join(d, case)
            meta = json.load(open(os.path.join(cd, "meta.json"), encoding="utf-8"))
            content = set(meta["content_lines"])
            dropped = drops.get(os.path.join(ds, case, "input.txt"), set())
            host = meta["host"]
            with open(os.path.join(cd, "input.txt"), encoding="utf-8") as fh:
                lines = fh.read().split("\n")
            for i, text in enumerate(lines, 1):
                text = text.rstrip("\r")
                if not text.strip():
                    continue
                L.append(dict(text=text, content=i in content, kept=i not in dropped, host=host,
                              ds=ds, art=(ds == "wcxb-dev" and meta.get("page_type") == "article"),
                              lang=meta.get("lang"), fold=fold_of(host), case=case, tok=tokens(text)))
    return L


def grams(tok):
    out = set()
    n = len(tok)
    for k in range(NMIN, NMAX + 1):
        for i in range(n - k + 1):
            out.add(" ".join(tok[i:i + k]))
    return out


def line_keys(tok):
    ks = grams(tok)
    if tok:
        ks.add("=" + " ".join(tok))
    return ks


def groups(r):
    g = [r["ds"]]
    if r["art"]:
        g.append("wcxb-article")
    return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sapu", default=os.path.join(ROOT, "target", "release", "sapu"))
    ap.add_argument("--train", default=os.path.join(os.path.dirname(ROOT), "shared", "train"))
    ap.add_argument("--explain", default=os.path.join(OUT, "explain.jsonl"))
    ap.add_argument("--out", default=OUT)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if not os.path.exists(a.explain):
        run_sapu(a.sapu, a.train, a.explain)
    L = load(a.train, a.explain)
    print(f"{len(L)} lines, {len(set(r['host'] for r in L))} hosts", file=sys.stderr)

    # totals per dataset group
    GROUPS = ["wcxb-dev", "wcxb-article", "scrapinghub", "fundus"]
    tot = {g: collections.Counter() for g in GROUPS}
    for r in L:
        for g in groups(r):
            t = tot[g]
            t["content" if r["content"] else "bp"] += 1
            if r["kept"]:
                t["kept_content" if r["content"] else "kept_bp"] += 1

    # candidates: from kept boilerplate lines, >= MIN_SITES hosts
    hosts = collections.defaultdict(set)
    for r in L:
        if r["kept"] and not r["content"]:
            for k in line_keys(r["tok"]):
                hosts[k].add(r["host"])
    cand = {k: h for k, h in hosts.items() if len(h) >= MIN_SITES}
    del hosts
    print(f"{len(cand)} candidates", file=sys.stderr)
    cid = {k: i for i, k in enumerate(cand)}
    keys = list(cand)
    # per-candidate host sites per fold
    site_fold = [[0] * NFOLD for _ in keys]
    for k, h in cand.items():
        sf = site_fold[cid[k]]
        for host in h:
            sf[fold_of(host)] += 1
    # counts over all lines and over kept lines: [fold][content?]
    cnt = [[[0, 0] for _ in range(NFOLD)] for _ in keys]
    kcnt = [[[0, 0] for _ in range(NFOLD)] for _ in keys]
    kept_match = {}  # line index -> candidate ids (kept lines only)
    for idx, r in enumerate(L):
        m = [cid[k] for k in line_keys(r["tok"]) if k in cid]
        for c in m:
            cnt[c][r["fold"]][1 if r["content"] else 0] += 1
            if r["kept"]:
                kcnt[c][r["fold"]][1 if r["content"] else 0] += 1
        if r["kept"] and m:
            kept_match[idx] = m
    ntok = [int(k[0] != "=") and k.count(" ") + 1 for k in keys]  # 0 for whole lines

    def select(exclude, cfg):
        S, P, C, K, nmin = cfg["S"], cfg["P"], cfg["C"], cfg["K"], cfg["nmin"]
        sel = set()
        for c in range(len(keys)):
            if ntok[c] and ntok[c] < nmin:
                continue
            sf = site_fold[c]
            if sum(sf) - (sf[exclude] if exclude is not None else 0) < S:
                continue
            bp = sum(cnt[c][f][0] for f in range(NFOLD) if f != exclude)
            ct = sum(cnt[c][f][1] for f in range(NFOLD) if f != exclude)
            if ct > C or bp / (bp + ct) < P:
                continue
            if K is not None:
                bk = sum(kcnt[c][f][0] for f in range(NFOLD) if f != exclude)
                ck = sum(kcnt[c][f][1] for f in range(NFOLD) if f != exclude)
                if bk / (bk + ck + K) < P:
                    continue
            sel.add(c)
        return sel

    # ---- held-out evaluation
    def heldout(cfg):
        res = {g: collections.Counter() for g in GROUPS}
        nsel = 0
        for f in range(NFOLD):
            sel = select(f, cfg)
            nsel += len(sel)
            for idx, m in kept_match.items():
                r = L[idx]
                if r["fold"] != f or not any(c in sel for c in m):
                    continue
                for g in groups(r):
                    res[g]["lost" if r["content"] else "gain"] += 1
        print(cfg, {g: dict(res[g]) for g in GROUPS}, file=sys.stderr)
        return (cfg, nsel / NFOLD, res)

    rows_a = [heldout(cfg) for cfg in GRID_A]
    rows_b = [heldout(cfg) for cfg in GRID_B]
    if REC not in GRID_A + GRID_B:
        rows_b.append(heldout(REC))

    # ---- final selection on all folds
    def final_list(cfg):
        selk = {keys[c] for c in select(None, cfg)}

        def redundant(k):  # implied by a shorter selected phrase
            t = tuple(k[1:].split(" ")) if k.startswith("=") else tuple(k.split(" "))
            for n in range(NMIN, len(t) + (1 if k.startswith("=") else 0)):
                for i in range(len(t) - n + 1):
                    if " ".join(t[i:i + n]) in selk:
                        return True
            return False
        return sorted(k for k in selk if not redundant(k))

    final = final_list(REC)
    alt = final_list(ALT)
    # stats and coverage of final phrases on all kept lines
    fin_id = {cid[k] for k in final}
    per = {k: dict(sites=len(cand[k]), bp=sum(x[0] for x in cnt[cid[k]]),
                   ct=sum(x[1] for x in cnt[cid[k]]), kept_bp=0, kept_ct=0, ex=[], lines=[]) for k in final}
    caught = set()
    ex_hosts = collections.defaultdict(set)
    for idx, m in kept_match.items():
        hit = [keys[c] for c in m if c in fin_id]
        if not hit:
            continue
        caught.add(idx)
        r = L[idx]
        for k in hit:
            p = per[k]
            p["kept_ct" if r["content"] else "kept_bp"] += 1
            p["lines"].append(idx)
            if not r["content"] and len(p["ex"]) < 3 and r["host"] not in ex_hosts[k]:
                ex_hosts[k].add(r["host"])
                p["ex"].append(r["text"])
    with open(os.path.join(a.out, "phrases.txt"), "w", encoding="utf-8") as fh:
        for k in final:
            fh.write(k + "\n")
    with open(os.path.join(a.out, "phrases_alt.txt"), "w", encoding="utf-8") as fh:
        for k in alt:
            fh.write(k + "\n")
    json.dump(dict(setting=REC, phrases={k: {x: y for x, y in p.items() if x != "lines"} for k, p in per.items()}), open(os.path.join(a.out, "phrases.json"), "w",
                                                   encoding="utf-8"), ensure_ascii=False, indent=1)

    # uncaught kept boilerplate prose lines
    def prose(r):
        return len(r["text"]) >= 60 and len(r["tok"]) >= 8
    pool = [i for i, r in enumerate(L) if r["kept"] and not r["content"] and prose(r) and i not in caught]
    allprose = sum(1 for r in L if r["kept"] and not r["content"] and prose(r))
    rnd = random.Random(12345)
    sample = sorted(rnd.sample(pool, min(40, len(pool))))

    write_md(a.out, rows_a, rows_b, tot, GROUPS, final, per, L, sample, len(pool), allprose, len(cand), len(alt))


THEMES = [  # first match wins; tried on the phrase, then on its example lines
    ("cookies/privacy/consent", r"cookie|privacy|consent|gdpr|personal data|do not sell|partners|information on a device|store and or|datenschutz"),
    ("javascript/browser notices", r"javascript|\bbrowser"),
    ("form and error messages", r"something went wrong|submission|submitting|try again|validation|valid email|\berror|unchanged"),
    ("legal/terms/copyright", r"©|®|copyright|rights reserved|trademark|terms|disclaim|affiliate|commission|this website"),
    ("subscription/newsletter/account", r"subscri|newsletter|sign up|sign in|log ?in|\bregister\b|inbox|e-?mail"),
    ("comments", r"comment|\brepl(y|ies)\b|discussion"),
    ("share/social", r"\bshare|facebook|twitter|linkedin|whatsapp|pinterest|instagram|follow us"),
    ("author bio", r"\bauthor|writer|editor|journalist|reporter|contributor|columnist"),
    ("reading meta (bylines, read time)", r"min read|\bby\b|updated|published"),
    ("related/teasers", r"related|read more|recommended|also read|you may also|you might also|more from|trending|most read|see also"),
    ("ads/sponsored", r"advert|sponsor|\bads?\b|promoted"),
]


def theme(k, examples=()):
    for text in [k] + list(examples):
        t = text.lower()
        for name, rx in THEMES:
            if re.search(rx, t):
                return name
    return "other"


# Written after measuring (the numbers are those of the tables above; the run is deterministic).
RECOMMENDATION = """## Recommendation

- **Recommended: grid B, S = 12, P = 0.95, C = 2** (>= 12 hosts; over the 4 training folds precision >= 0.95 on
  all lines AND on kept lines with one pseudo content line, <= 2 content lines; n-grams of >= 3 tokens).
  Held-out: wcxb-dev +0.0020 of boilerplate removed for -0.0001 of content (sapu's held-out 0.776 / 0.853
  would become ~0.778 / ~0.853); wcxb articles +0.0019 / -0.0001; scrapinghub +0.0013 / -0.0003 (one line);
  fundus +0.0008 / 0. Precision of the new removals 0.971 (541 boilerplate vs 16 content lines).
- Largest gain of grid A under the 0.002 cap: S = 8, P = 0.99, C = 5: wcxb-dev +0.0059 / -0.0017, scrapinghub
  +0.0026 / -0.0008, fundus +0.0024 / -0.0004, but one removed line in ten is content (prec 0.898): the extra
  phrases are generic 2-3-grams ("working of", "we care", "and cannot be", "necessary for the", "# days ago")
  that happen to miss the 4 training folds' content (113k lines is too little text to vet a common bigram).
  Everything with S <= 5 loses far more than 0.002 (precision 0.69-0.82). Not recommended.
- The brief's P alone barely matters (with few content hits, 0.97 vs 0.99 differs by a handful of phrases);
  what buys precision is more hosts, n >= 3, and judging precision on the kept lines (the dropped lines
  that contain a phrase, e.g. short "12 days ago" timestamps, inflate its all-lines precision).
- **Bottom line: literal cross-site phrases recover very little.** The best safe setting removes, held out, 0.2% of
  the boilerplate lines; its final list catches 413 of the 18,563 kept boilerplate prose lines (2.2%, in-sample).
  (sapu's held-out model keeps more boilerplate than this in-sample run, so the gain there may be a bit larger.) The families it finds are few
  and would be better written as a handful of explicit rules: IAB/TCF consent text ("store and/or access
  information on a device", "we and our partners"), "Do not sell (or share) my personal information",
  XenForo's "JavaScript is disabled. For a better experience, please enable JavaScript in your browser
  before proceeding", Webflow form messages ("Thank you! Your submission has been received!",
  "Oops! Something went wrong while submitting the form"), Gravity Forms' "This field is for validation
  purposes and should be left unchanged", sign-up consent ("By signing up, you agree to our Terms of Use and
  Privacy Policy"), "You must log in or register to reply here", "N min read". No non-English phrase reaches
  12 hosts (fundus's German sites are too few).
"""

COMMENTARY = """### Reading of what is left (a 100-line sample, seed 7, read by hand; rough shares)

- ~30% site-specific marketing and call-to-action blurbs ("Check out Progressive's 30+ insurance and finance
  products...", "Find plants you love and create idea boards...", "Get emails with discounts, tips, and
  checklists"): prose, one site each, no shared wording.
- ~20% teaser headlines and captions of other articles (news titles, "... Credit: EPA", "Reuters"): only the
  page's layout tells them apart.
- ~25-30% text that reads as main content and is labelled clutter by the source's policy or a partial ground
  truth (PostgreSQL/Rust docs paragraphs, forum posts and comments, product reviews, recipe ingredients):
  5,012 of the 18,150 uncaught lines come from pages with coverage < 0.9. No phrase should remove these.
- ~10% legal/consent/cookie text worded in a site's own way (Quora's and Serious Eats' TCF purpose texts,
  Allbirds' terms, Aura's disclaimer, Russian/Korean copyright notices) and ~5% author bios (named people).
  Here a few regexes (consent purposes, copyright notices in more languages) could still help; literal
  phrases shared by >= 12 sites do not.
"""

SAPU_HELDOUT = {"wcxb-dev": (0.853, 0.776), "scrapinghub": (0.922, 0.875), "fundus": (0.965, 0.888)}


def fmt_cfg(cfg):
    s = f"S={cfg['S']}, P={cfg['P']}, C={cfg['C']}"
    if cfg["K"] is not None:
        s += f", kept-precision K={cfg['K']}, n>={cfg['nmin']}"
    return s


def table(w, rows, tot, GROUPS, cols):
    w("| " + " | ".join(cols) + " | #phr |" + "".join(f" {g} gain | loss |" for g in GROUPS) + " prec |")
    w("|" + "---|" * (len(cols) + 1 + 2 * len(GROUPS) + 1))
    for cfg, n, res in rows:
        cells = []
        g_all = l_all = 0
        for g in GROUPS:
            t, r = tot[g], res[g]
            flag = "**" if r["lost"] / t["content"] > 0.002 else ""
            cells.append(f" {r['gain'] / t['bp']:.4f} | {flag}{r['lost'] / t['content']:.4f}{flag} |")
            if g != "wcxb-article":
                g_all += r["gain"]
                l_all += r["lost"]
        prec = f"{g_all / (g_all + l_all):.3f}" if g_all + l_all else "-"
        w("| " + " | ".join(str(cfg[c]) for c in cols) + f" | {n:.0f} |" + "".join(cells) + f" {prec} |")
    w("")


def under_cap(res, tot, GROUPS):
    return all(res[g]["lost"] / tot[g]["content"] <= 0.002 for g in GROUPS)


def write_md(out, rows_a, rows_b, tot, GROUPS, final, per, L, sample, npool, allprose, ncand, nalt):
    md = []
    w = md.append
    w("# Mined literal phrases against the boilerplate lines sapu keeps (site-disjoint 5-fold CV)\n")
    w("Script: `bench/mine_phrases.py` (Python 3, standard library, ~1 min). Data: ../shared/train "
      "(1,585 pages, 1,333 hosts). sapu run once over all inputs; a line with a `drop` "
      "record is removed, every other non-blank line is kept (rewrites count as kept).\n")
    w("Phrase = lowercased NFKC token sequence (words, inner apostrophes, the signs ©®™; digit-only tokens -> `#`; "
      "other punctuation ignored), matched as a contiguous token run of a line "
      "(regex `\\bw1\\W+w2\\W+...\\b`, case-insensitive, `#` = `\\d+`), n = 2..6; or a whole line "
      "(`=` prefix) matched when the line's whole token sequence equals it. "
      "Folds: md5(host) mod 5.\n")
    w("## Baseline: this sapu binary on the training pages (likely in-sample: well above the held-out 0.853/0.776 etc.)\n")
    w("| group | content lines | bp lines | content kept | bp removed | kept bp lines |")
    w("|---|---|---|---|---|---|")
    for g in GROUPS:
        t = tot[g]
        w(f"| {g} | {t['content']} | {t['bp']} | {t['kept_content'] / t['content']:.3f} | "
          f"{1 - t['kept_bp'] / t['bp']:.3f} | {t['kept_bp']} |")
    w("")
    w(f"Candidates (2..6-grams and whole lines found in kept boilerplate lines of >= {MIN_SITES} hosts): {ncand}.\n")
    w("## Held-out results\n")
    w("For each fold, phrases are selected on the other 4 folds' hosts only and applied to the held-out fold's KEPT "
      "lines. gain = kept boilerplate lines newly removed / ALL boilerplate lines of the group; loss = content "
      "lines newly removed / ALL content lines of the group; prec = share of newly removed lines that are "
      "boilerplate (3 datasets). #phr = mean phrases selected per fold (unpruned). Loss > 0.002 in bold.\n")
    w("### A. The brief's criteria: >= S hosts with a kept bp line containing it; over ALL lines of the 4 folds "
      "precision >= P and <= C content lines\n")
    table(w, rows_a, tot, GROUPS, ["S", "P", "C"])
    w("(With C = 0 the precision test is void, so P = 0.97 and 0.99 give the same rows.)\n")
    w("### B. Stricter: as A, plus precision over the KEPT lines of the 4 folds with one pseudo content line "
      "(bk/(bk+ck+1) >= P) and n-grams of >= 3 tokens (whole lines of any length allowed)\n")
    table(w, rows_b, tot, GROUPS, ["S", "P", "C"])
    w(RECOMMENDATION)
    w(f"## Final phrase list (all 1,333 hosts; {fmt_cfg(REC)}; pruned of phrases implied by a shorter one)\n")
    w(f"{len(final)} phrases in `phrases.txt` (`=` = whole-line match, `#` = any number; the grid-A "
      f"setting {fmt_cfg(ALT)} gives {nalt} phrases in `phrases_alt.txt`). sites = hosts with a kept bp line "
      "containing it; bp / ct = boilerplate / content lines containing it over ALL lines; "
      "kept bp (ct) = kept boilerplate (content) lines it catches; first example from the kept bp lines.\n")
    # phrases catching exactly the same kept lines are shown on one row
    clusters = collections.defaultdict(list)
    for k in final:
        clusters[frozenset(per[k]["lines"])].append(k)
    by = collections.defaultdict(list)
    for lines, ks in clusters.items():
        ks.sort(key=lambda k: (-per[k]["sites"], k))
        by[theme(ks[0], per[ks[0]]["ex"])].append(ks)
    order = [t for t, _ in THEMES] + ["other"]
    for th in order:
        if not by[th]:
            continue
        rows = sorted(by[th], key=lambda ks: -per[ks[0]]["kept_bp"])
        w(f"### {th} ({sum(len(ks) for ks in rows)})\n")
        w("| phrase(s) | sites | bp | ct | prec | kept bp (ct) | example |")
        w("|---|---|---|---|---|---|---|")
        for ks in rows:
            p = per[ks[0]]
            ex = (p["ex"][0] if p["ex"] else "").replace("|", "/")
            ex = ex[:90] + ("…" if len(ex) > 90 else "")
            w(f"| " + " / ".join(f"`{k}`" for k in ks) + f" | {p['sites']} | {p['bp']} | {p['ct']} | "
              f"{p['bp'] / (p['bp'] + p['ct']):.3f} | {p['kept_bp']} ({p['kept_ct']}) | {ex} |")
        w("")
    w("Rows with several phrases: they catch exactly the same kept lines here (counts are the first's). "
      "Overlapping fragments of one sentence are kept on purpose: other sites word the sentence differently.\n")
    w("## What is left: kept boilerplate prose lines no phrase catches\n")
    w(f"Prose = >= 60 chars and >= 8 tokens. {npool} of {allprose} kept boilerplate prose lines are not caught "
      f"by the final list. Random sample of 40 (seed 12345), cut at 140 chars:\n")
    for i in sample:
        r = L[i]
        t = r["text"][:140] + ("…" if len(r["text"]) > 140 else "")
        w(f"- [{r['ds']}/{r['host']}] {t}")
    w("")
    w(COMMENTARY)
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(md))


if __name__ == "__main__":
    main()
