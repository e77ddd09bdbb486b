// The sapu report: draws the page from the JSON in #sapu-data.
//
// Every text of the data goes into the page as a DOM text node (append of a
// string, textContent), never as HTML. State lives in the location hash, so
// every view has a link and the back button works:
//   #doc=3&line=12   one document, line 12 marked
//   #rule=ID         the lines rule ID dropped, across documents
//   #share=4         documents with 40-50% of their characters removed
//   #flagged         flagged documents
//
// Data: rules[i] = {id, kind, description, hue, lines, chars, released, docs};
// docs[i] = {name, chars, removed, flagged, reverted, first: [rule index],
// drawn, lines}; a line is {n, t, c?, d?, b?} (number, text, characters cut,
// decision, the other decision when it differs), {g: 1} (paragraph gap) or
// {e, ec} (lines and characters left out). A decision is {a: "drop", r?, w,
// s?} (rule index, reason, score), {a: "rewrite", r?, to}, {a: "keep"} or
// {a: "absent"}.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("sapu-data").textContent);
  const MODE = data.mode;
  const COMPARE = MODE !== "clean";
  // What the two decisions of a comparison are called.
  const SIDES = MODE === "diff" ? ["old rules", "new rules"] : ["expected", "actual"];
  const rules = data.rules;
  const docs = data.docs;
  const KEEP = { a: "keep" };
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const nf = new Intl.NumberFormat("en-US");
  const fmt = (n) => nf.format(n);
  const pct = (x) => (x > 0 && x < 0.001 ? "<0.1" : (x * 100).toFixed(1)) + "%";
  const plural = (n, one, many) => fmt(n) + " " + (n === 1 ? one : many || one + "s");
  const STEP = 10;

  // ---------------------------------------------------------------- DOM
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "vars") for (const [p, x] of Object.entries(v)) e.style.setProperty(p, x);
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid == null || kid === false) continue;
      e.append(kid instanceof Node ? kid : String(kid));
    }
    return e;
  }
  const $ = (sel) => document.querySelector(sel);
  const link = (params) => "#" + new URLSearchParams(params).toString();

  // ---------------------------------------------------------------- data
  const decisionOf = (l) => l.d || KEEP;
  const removes = (d) => d.a === "drop" || d.a === "rewrite";
  // The lines each rule is involved in: dropped or rewritten by it (in a
  // comparison: where the two sides differ, on either side).
  const hits = rules.map(() => []);
  docs.forEach((d, i) => {
    d.i = i;
    d.share = d.chars ? d.removed / d.chars : 0;
    d.bin = Math.min(9, Math.floor(d.share * 10));
    d.dropped = 0;
    d.changed = 0;
    d.textLines = 0;
    for (const l of d.lines) {
      if (l.t === undefined) continue;
      d.textLines += 1;
      const now = decisionOf(l);
      if (removes(now)) d.dropped += 1;
      if (l.b) d.changed += 1;
      if (COMPARE && !l.b) continue;
      const seen = new Set();
      for (const dec of [now, l.b]) {
        if (dec && dec.r !== undefined && !seen.has(dec.r)) {
          seen.add(dec.r);
          hits[dec.r].push({ doc: d, line: l });
        }
      }
    }
  });
  let haystacks = null;
  function haystack(d) {
    if (!haystacks) haystacks = new Map();
    let s = haystacks.get(d);
    if (s === undefined) {
      const parts = [d.name];
      for (const l of d.lines) {
        if (l.t !== undefined) parts.push(l.t);
        if (l.d && l.d.to) parts.push(l.d.to);
      }
      s = parts.join("\n").toLocaleLowerCase();
      haystacks.set(d, s);
    }
    return s;
  }

  // ---------------------------------------------------------------- search
  let query = "";
  const matches = (d) => !query || haystack(d).includes(query);
  // The text with the matches of the query marked.
  function marked(text) {
    if (!query) return text;
    const low = text.toLocaleLowerCase();
    if (low.length !== text.length) return text;
    const out = [];
    let at = 0;
    for (let i = low.indexOf(query); i >= 0; i = low.indexOf(query, at)) {
      if (i > at) out.push(text.slice(at, i));
      out.push(h("mark", null, text.slice(i, i + query.length)));
      at = i + query.length;
    }
    out.push(text.slice(at));
    return out;
  }

  // ---------------------------------------------------------------- pieces
  // A rule's colour: its hue and tone, read by the style sheet.
  const ruleVars = (rule) => ({ "--h": rule.hue, "--dl": rule.tone ? "-9%" : "0%" });
  function chip(r, extra) {
    const rule = rules[r];
    return h(
      "span",
      { class: "chip", vars: ruleVars(rule), title: rule.description || null, "data-rule": rule.id },
      h("span", { class: "dot", "aria-hidden": "true" }),
      rule.id,
      extra ? h("span", { class: "chip-extra" }, extra) : null
    );
  }

  // A decision as words: "kept", "dropped by ID", ...
  function decisionWords(dec) {
    switch (dec.a) {
      case "drop":
        return dec.r !== undefined ? "dropped by " + rules[dec.r].id : "dropped";
      case "rewrite":
        return dec.r !== undefined ? "rewritten by " + rules[dec.r].id : "rewritten to “" + dec.to + "”";
      case "absent":
        return "not in the input";
      default:
        return "kept";
    }
  }

  // A decision as a cell of a comparison row.
  function decisionCell(dec, side) {
    const label = h("span", { class: "sr-only" }, side + ": ");
    let body;
    if (dec.a === "drop") body = dec.r !== undefined ? chip(dec.r) : h("span", { class: "verdict v-drop" }, "dropped");
    else if (dec.a === "rewrite")
      body = dec.r !== undefined ? chip(dec.r, "rewrite") : h("span", { class: "verdict v-rewrite" }, "rewritten");
    else if (dec.a === "absent") body = h("span", { class: "verdict v-absent" }, "not in input");
    else body = h("span", { class: "verdict v-keep" }, "kept");
    return h("div", { class: "dec" }, label, body);
  }

  function tipFor(l, id) {
    const now = decisionOf(l);
    const rows = [];
    const describe = (dec, prefix) => {
      const rule = dec.r !== undefined ? rules[dec.r] : null;
      const head = (prefix ? prefix + ": " : "") + decisionWords(dec);
      rows.push(h("strong", null, head));
      const facts = [];
      if (rule) facts.push("kind " + rule.kind);
      if (dec.w && dec.w !== "expected") facts.push("reason: " + dec.w);
      if (dec.s !== undefined) facts.push("score " + dec.s.toFixed(3));
      if (dec.a === "rewrite" && dec.r !== undefined) facts.push("to “" + dec.to + "”");
      if (facts.length) rows.push(h("div", null, facts.join(" · ")));
      if (rule && rule.description) rows.push(h("div", { class: "tip-desc" }, rule.description));
    };
    if (COMPARE) {
      describe(l.b || now, SIDES[0]);
      describe(now, SIDES[1]);
    } else {
      describe(now, "");
    }
    return h("div", { class: "tip", role: "tooltip", id }, rows);
  }

  function lineRow(d, l, opts) {
    const now = decisionOf(l);
    const main = now.r !== undefined ? now : l.b && l.b.r !== undefined ? l.b : null;
    const cls = ["row", "a-" + now.a];
    if (l.b) cls.push("changed");
    if (l.b && removes(l.b) && !removes(now)) cls.push("released");
    if (!main) cls.push("norule");
    const id = `d${d.i}-l${l.n}`;
    const notable = removes(now) || l.b;
    const row = h("div", {
      class: cls.join(" "),
      role: "listitem",
      id: l.n ? id : null,
      vars: main ? ruleVars(rules[main.r]) : null,
      tabindex: notable ? "0" : null,
      "aria-describedby": notable ? "tip-" + id : null,
    });
    const num = l.n
      ? h("a", { class: "ln", href: link({ doc: d.i, line: l.n }), "aria-label": "line " + l.n, tabindex: opts.lineLinks ? null : "-1" }, l.n)
      : h("span", { class: "ln", title: "a line of the expected text that the input does not have" }, "+");
    const cut = l.c ? h("span", { class: "cut" }, ` … ${plural(l.c, "more character")}`) : null;
    let text;
    if (now.a === "drop") text = [h("span", { class: "sr-only" }, "Dropped: "), h("del", null, marked(l.t)), cut];
    else if (now.a === "rewrite")
      text = [
        h("del", null, marked(l.t)),
        cut,
        h("span", { class: "arrow" }, h("span", { "aria-hidden": "true" }, " → "), h("span", { class: "sr-only" }, " rewritten to ")),
        h("ins", null, marked(now.to)),
      ];
    else text = [marked(l.t), cut];
    row.append(num, h("div", { class: "txt" }, text));
    if (COMPARE && l.b) {
      row.append(decisionCell(l.b, SIDES[0]), decisionCell(now, SIDES[1]));
    } else if (COMPARE && removes(now)) {
      row.append(h("div", { class: "dec" }, h("span", { class: "same" }, "same")), decisionCell(now, SIDES[1]));
    } else if (COMPARE) {
      row.append(h("div", { class: "dec" }), h("div", { class: "dec" }));
    } else if (now.r !== undefined) {
      row.append(h("div", { class: "dec" }, chip(now.r, now.a === "rewrite" ? "rewrite" : null)));
    } else {
      row.append(h("div", { class: "dec" }));
    }
    if (notable) row.append(tipFor(l, "tip-" + id));
    return row;
  }

  function otherRow(l) {
    if (l.g) return h("div", { class: "gap", "aria-hidden": "true" });
    return h(
      "div",
      { class: "row elided", role: "listitem" },
      h("span", { class: "ln" }, "⋯"),
      h("div", { class: "txt" }, `${plural(l.e, "line")} (${plural(l.ec, "character")}) not shown, to keep the report small`)
    );
  }

  function columnHeads() {
    if (!COMPARE) return null;
    return h(
      "div",
      { class: "cols", "aria-hidden": "true" },
      h("span", null, "line"),
      h("span", null, "text"),
      h("span", null, SIDES[0]),
      h("span", null, SIDES[1])
    );
  }

  function docMeta(d) {
    const bits = [];
    bits.push(
      h(
        "span",
        { class: "share" },
        h("span", { class: "meter", "aria-hidden": "true" }, h("span", { vars: { "--w": (d.share * 100).toFixed(1) + "%" } })),
        `${pct(d.share)} of characters removed`
      )
    );
    if (COMPARE) bits.push(h("span", null, `${plural(d.changed, "line")} ${MODE === "check" ? "differ" : "changed"}`));
    else bits.push(h("span", null, `${fmt(d.dropped)} of ${plural(d.textLines, "line")} dropped or rewritten`));
    if (d.flagged) bits.push(h("span", { class: "badge flag" }, "flagged"));
    if (d.reverted) bits.push(h("span", { class: "badge" }, "left uncut (--max-removed)"));
    const why = [];
    if (d.first.length) why.push("first document of " + d.first.map((r) => rules[r].id).join(", "));
    if (d.flagged && !d.first.length) why.push("flagged");
    if (d.drawn && !d.first.length && !d.flagged) why.push("drawn");
    if (why.length && data.offered > data.shown) bits.push(h("span", { class: "why" }, "in the sample as: " + why.join("; ")));
    return h("div", { class: "meta" }, bits);
  }

  // In a comparison, the lines that differ with CONTEXT lines around them;
  // each run of other lines becomes one {fold: [...]} item.
  const CONTEXT = 2;
  function folded(lines) {
    const near = lines.map(() => false);
    const text = [];
    lines.forEach((l, i) => l.t !== undefined && text.push(i));
    text.forEach((i, k) => {
      if (!lines[i].b) return;
      for (let j = Math.max(0, k - CONTEXT); j <= Math.min(text.length - 1, k + CONTEXT); j++) near[text[j]] = true;
    });
    const out = [];
    let run = [];
    const flush = () => {
      if (run.filter((l) => l.t !== undefined).length > 1) out.push({ fold: run });
      else out.push(...run);
      run = [];
    };
    lines.forEach((l, i) => {
      if (near[i] || l.e) {
        flush();
        out.push(l);
      } else {
        run.push(l);
      }
    });
    flush();
    return out;
  }

  function foldRow(d, item, opts) {
    const n = item.fold.filter((l) => l.t !== undefined).length;
    const row = h("div", { class: "row fold", role: "listitem" }, h("span", { class: "ln" }, "⋯"));
    row.append(
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            const frag = document.createDocumentFragment();
            for (const l of item.fold) frag.append(l.t === undefined ? otherRow(l) : lineRow(d, l, opts));
            const first = frag.firstElementChild;
            row.replaceWith(frag);
            if (first) {
              if (!first.hasAttribute("tabindex")) first.setAttribute("tabindex", "-1");
              first.focus();
            }
          },
        },
        `Show ${plural(n, MODE === "diff" ? "unchanged line" : "matching line")}`
      )
    );
    return row;
  }

  function docCard(d, lines, opts) {
    const hid = `doc-${d.i}-h`;
    const list = h("div", { class: "lines", role: "list", "aria-label": "lines of " + d.name });
    const items = COMPARE && opts.fold ? folded(lines) : lines;
    for (const l of items) list.append(l.fold ? foldRow(d, l, opts) : l.t === undefined ? otherRow(l) : lineRow(d, l, opts));
    return h(
      "article",
      { class: "doc", "aria-labelledby": hid },
      h(
        "header",
        null,
        h("h3", { id: hid }, h("a", { href: link({ doc: d.i }) }, marked(d.name))),
        docMeta(d)
      ),
      columnHeads(),
      list
    );
  }

  // Items drawn STEP at a time, with buttons for more; everything before
  // printing.
  function progressive(container, items, draw) {
    let done = 0;
    const more = h("div", { class: "more" });
    container.append(more);
    const step = (n) => {
      const end = Math.min(items.length, done + n);
      const frag = document.createDocumentFragment();
      for (; done < end; done++) frag.append(draw(items[done]));
      container.insertBefore(frag, more);
      more.replaceChildren();
      const left = items.length - done;
      if (left > 0) {
        more.append(
          h("button", { type: "button", onclick: () => step(STEP) }, `Show ${fmt(Math.min(STEP, left))} more`),
          h("button", { type: "button", onclick: () => step(left) }, `Show all ${fmt(left)} left`)
        );
      }
    };
    step(STEP);
    pendingPrint = () => step(items.length);
  }
  let pendingPrint = null;
  window.addEventListener("beforeprint", () => pendingPrint && pendingPrint());

  // ---------------------------------------------------------------- views
  function filterBar(title, note, clear) {
    return h(
      "div",
      { class: "bar" },
      h("h2", null, title),
      note ? h("p", null, note) : null,
      clear ? h("a", { class: "clear", href: "#" }, "× show all documents") : null
    );
  }

  function listView(main, route) {
    let list = docs.filter(matches);
    let title = MODE === "check" ? "Failing cases" : MODE === "diff" ? "Documents with changes" : "Documents";
    const notes = [];
    if (route.share !== null) {
      list = list.filter((d) => d.bin === route.share);
      title = `${route.share * 10}–${route.share * 10 + 10}% of characters removed`;
    }
    if (route.flagged) {
      list = list.filter((d) => d.flagged);
      title = "Flagged documents";
    }
    const noun = MODE === "check" ? "case" : "document";
    notes.push(`${plural(list.length, noun)} of the ${fmt(docs.length)} in this report`);
    if (query) notes.push(`matching “${query}”`);
    main.append(filterBar(title, notes.join(" "), route.share !== null || route.flagged));
    if (!list.length) {
      main.append(h("p", { class: "empty" }, "No document here."));
      return;
    }
    progressive(main, list, (d) => docCard(d, d.lines, { lineLinks: false, fold: true }));
  }

  function ruleView(main, r) {
    const rule = rules[r];
    const found = hits[r].filter((x) => matches(x.doc));
    const byDoc = new Map();
    for (const x of found) {
      if (!byDoc.has(x.doc)) byDoc.set(x.doc, []);
      byDoc.get(x.doc).push(x.line);
    }
    let totals;
    if (MODE === "diff")
      totals = `With the new rules it drops ${plural(rule.lines, "line")} the old rules kept or gave to another rule, and no longer drops ${fmt(rule.released)}.`;
    else if (MODE === "check") totals = `It decides otherwise than the expected text on ${plural(rule.lines, "line")}.`;
    else
      totals = `In the whole run it dropped or rewrote ${plural(rule.lines, "line")} (${plural(rule.chars, "character")}) in ${plural(rule.docs, "document")}.`;
    main.append(
      h(
        "div",
        { class: "bar rule-head", vars: ruleVars(rule) },
        h("h2", null, chip(r), h("span", { class: "kind" }, rule.kind)),
        rule.description ? h("p", { class: "desc" }, rule.description) : null,
        h("p", null, totals, ` This report shows ${plural(found.length, "of its lines", "of its lines")} in ${plural(byDoc.size, "document")}.`),
        h("a", { class: "clear", href: "#" }, "× show all documents")
      )
    );
    progressive(main, [...byDoc.entries()], ([d, lines]) => docCard(d, lines, { lineLinks: true }));
  }

  function docView(main, route) {
    const d = docs[route.doc];
    main.append(
      h("div", { class: "bar" }, h("a", { class: "clear", href: "#" }, "← all documents"), h("h2", { class: "sr-only" }, d.name))
    );
    main.append(docCard(d, d.lines, { lineLinks: true }));
    pendingPrint = null;
    if (route.line !== null) {
      const row = document.getElementById(`d${d.i}-l${route.line}`);
      if (row) {
        row.classList.add("target");
        if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
        row.scrollIntoView({ block: "center" });
        row.focus({ preventScroll: true });
      }
    }
  }

  // ---------------------------------------------------------------- side
  function summary() {
    const box = h("section", { class: "card summary", "aria-labelledby": "sum-h" });
    box.append(h("h2", { id: "sum-h" }, "Summary"));
    const stat = (n, label) => h("div", { class: "stat" }, h("b", null, n), h("span", null, label));
    const removed = data.charsIn ? data.charsRemoved / data.charsIn : 0;
    const ruleLines = rules.reduce((s, r) => s + r.lines, 0);
    if (MODE === "diff") {
      const d = data.diff;
      box.append(
        h(
          "div",
          { class: "stats" },
          stat(fmt(data.documents), "documents compared"),
          stat(fmt(data.offered), "with changes"),
          stat("+" + fmt(d.newlyDropped), "lines newly dropped"),
          stat("−" + fmt(d.newlyKept), "lines newly kept"),
          d.changed ? stat(fmt(d.changed), "dropped by another rule") : null
        ),
        h("p", { class: "sides" }, h("span", null, "old rules: "), h("code", null, data.sides[0]), h("br"), h("span", null, "new rules: "), h("code", null, data.sides[1]))
      );
    } else if (MODE === "check") {
      box.append(
        h(
          "div",
          { class: "stats" },
          stat(fmt(data.offered), "failing cases"),
          stat(fmt(data.documents), "cases checked")
        )
      );
    } else {
      box.append(
        h(
          "div",
          { class: "stats" },
          stat(fmt(data.documents), "documents"),
          stat(fmt(ruleLines), "lines dropped or rewritten"),
          stat(pct(removed), "of characters removed"),
          stat(fmt(data.flagged), "flagged")
        )
      );
    }
    const shown = data.shown;
    const of = data.offered;
    const what = MODE === "clean" ? "documents" : MODE === "diff" ? "documents with changes" : "failing cases";
    box.append(h("p", { class: "shown" }, shown >= of ? `This report shows all ${fmt(of)} ${what}.` : `This report shows ${fmt(shown)} of the ${fmt(of)} ${what}.`));
    if (shown < of || data.omitted) {
      box.append(
        h(
          "details",
          null,
          h("summary", null, "How they were chosen"),
          h(
            "p",
            null,
            `A sample of ${fmt(data.size)} (--report-sample): first, for every rule, the document it touched with the smallest hash of its name, so every rule that fired is here; then flagged documents, then the others, by the same hash. The same names give the same sample, whatever the order or the number of threads. Counts and charts cover all ${what}.`
          ),
          data.omitted
            ? h("p", null, `${plural(data.omitted, "more document")} would have made the file larger than 20 MB and ${data.omitted === 1 ? "is" : "are"} left out.`)
            : null
        )
      );
    }
    return box;
  }

  const RULES_SHOWN = 10;
  let allRules = false;
  function rulesCard(route) {
    const box = h("section", { class: "card", "aria-labelledby": "rules-h" });
    const title = MODE === "diff" ? "Changes by rule" : MODE === "check" ? "Rules in the differences" : "Lines by rule";
    box.append(h("h2", { id: "rules-h" }, title));
    const list = rules.map((r, i) => i).filter((i) => rules[i].lines + rules[i].released > 0);
    if (!list.length) {
      box.append(h("p", { class: "empty" }, MODE === "clean" ? "No rule dropped a line." : "No rule decided any of the differing lines."));
      return box;
    }
    const max = Math.max(...list.map((i) => rules[i].lines + rules[i].released));
    const ul = h("ul", { class: "rules" });
    const visible = allRules ? list : list.slice(0, RULES_SHOWN);
    for (const i of visible) {
      const r = rules[i];
      const active = route.rule === r.id;
      const count =
        MODE === "diff"
          ? [r.lines ? h("span", { class: "plus" }, "+" + fmt(r.lines)) : null, r.released ? h("span", { class: "minus" }, "−" + fmt(r.released)) : null]
          : fmt(r.lines);
      const aria =
        MODE === "diff"
          ? `${r.id}: newly drops ${r.lines}, no longer drops ${r.released}`
          : `${r.id}: ${plural(r.lines, "line")} in ${plural(r.docs, "document")}`;
      ul.append(
        h(
          "li",
          null,
          h(
            "a",
            {
              class: "rule" + (active ? " active" : ""),
              href: active ? "#" : link({ rule: r.id }),
              "aria-current": active ? "true" : null,
              "aria-label": aria + (active ? " (showing; select to clear)" : ""),
              vars: ruleVars(r),
              title: r.description || null,
            },
            h("span", { class: "rule-line" }, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "rid" }, r.id), h("span", { class: "n" }, count)),
            h(
              "span",
              { class: "bar-track", "aria-hidden": "true" },
              h("span", { class: "bar-fill", vars: { "--w": ((100 * r.lines) / max).toFixed(1) + "%" } }),
              r.released ? h("span", { class: "bar-released", vars: { "--w": ((100 * r.released) / max).toFixed(1) + "%" } }) : null
            )
          )
        )
      );
    }
    box.append(ul);
    if (list.length > RULES_SHOWN) {
      box.append(
        h(
          "button",
          {
            type: "button",
            class: "link",
            "aria-expanded": allRules ? "true" : "false",
            onclick: () => {
              allRules = !allRules;
              render({ keepFocus: "rules-toggle" });
            },
            id: "rules-toggle",
          },
          allRules ? "Show fewer rules" : `Show all ${fmt(list.length)} rules`
        )
      );
    }
    return box;
  }

  function histogramCard(route) {
    const box = h("section", { class: "card", "aria-labelledby": "hist-h" });
    const whose = MODE === "diff" ? " (new rules)" : "";
    box.append(h("h2", { id: "hist-h" }, "Characters removed per document" + whose));
    const hist = data.hist;
    const max = Math.max(1, ...hist);
    const shownIn = Array(10).fill(0);
    for (const d of docs) shownIn[d.bin] += 1;
    const bars = h("div", { class: "hist", role: "list" });
    hist.forEach((n, bin) => {
      const active = route.share === bin;
      const range = `${bin * 10}–${bin * 10 + 10}%`;
      bars.append(
        h(
          "a",
          {
            role: "listitem",
            class: "hbar" + (active ? " active" : "") + (n ? "" : " zero") + (bin / 10 >= data.flagShare ? " over" : ""),
            href: active ? "#" : link({ share: bin }),
            "aria-current": active ? "true" : null,
            "aria-label": `${range} removed: ${plural(n, "document")}, ${fmt(shownIn[bin])} in this report`,
            title: `${range} removed: ${plural(n, "document")} (${fmt(shownIn[bin])} in this report)`,
          },
          h("span", { class: "hn" }, n ? fmt(n) : ""),
          h("span", { class: "hcol" }, h("span", { class: "hfill", vars: { "--v": n ? Math.max(3, (100 * n) / max).toFixed(1) + "%" : "0%" } })),
          h("span", { class: "hl" }, String(bin * 10))
        )
      );
    });
    box.append(bars, h("p", { class: "axis" }, `% of characters removed; flagged over ${Math.round(data.flagShare * 100)}%`));
    return box;
  }

  function flaggedCard(route) {
    const box = h("section", { class: "card", "aria-labelledby": "flag-h" });
    box.append(h("h2", { id: "flag-h" }, "Flagged documents"));
    const flagged = docs.filter((d) => d.flagged);
    if (!data.flagged) {
      box.append(h("p", { class: "empty" }, `None lost more than ${Math.round(data.flagShare * 100)}% of its characters.`));
      return box;
    }
    box.append(
      h(
        "p",
        null,
        `${plural(data.flagged, "document")} lost more than ${Math.round(data.flagShare * 100)}% of ${data.flagged === 1 ? "its" : "their"} characters; ${fmt(flagged.length)} ${flagged.length === 1 ? "is" : "are"} in this report. `,
        flagged.length
          ? h("a", { href: route.flagged ? "#" : "#flagged", "aria-current": route.flagged ? "true" : null, class: route.flagged ? "active" : null }, route.flagged ? "Show all documents" : "Show only these")
          : null
      )
    );
    const ul = h("ul", { class: "doclist" });
    for (const d of flagged.slice(0, 12)) {
      ul.append(h("li", null, h("a", { href: link({ doc: d.i }) }, d.name), h("span", { class: "n" }, pct(d.share))));
    }
    box.append(ul);
    return box;
  }

  // ---------------------------------------------------------------- routing
  function readRoute() {
    const p = new URLSearchParams(location.hash.slice(1));
    const num = (k) => (p.has(k) && /^\d+$/.test(p.get(k)) ? Number(p.get(k)) : null);
    const route = { doc: num("doc"), line: num("line"), rule: p.get("rule"), share: num("share"), flagged: p.has("flagged") };
    if (route.doc !== null && !docs[route.doc]) route.doc = null;
    if (route.rule !== null && !ruleIndex.has(route.rule)) route.rule = null;
    if (route.share !== null && route.share > 9) route.share = null;
    return route;
  }

  function render(opts) {
    const route = readRoute();
    const side = $("#side");
    side.replaceChildren(summary(), rulesCard(route), histogramCard(route), flaggedCard(route));
    const main = $("#main");
    main.replaceChildren();
    pendingPrint = null;
    if (route.doc !== null) docView(main, route);
    else if (route.rule !== null) ruleView(main, ruleIndex.get(route.rule));
    else listView(main, route);
    if (opts && opts.keepFocus) {
      const e = document.getElementById(opts.keepFocus);
      if (e) e.focus();
    } else if (opts && opts.navigated && route.line === null) {
      main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }

  const search = $("#q");
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      query = search.value.trim().toLocaleLowerCase();
      render({ keepFocus: "q" });
    }, 120);
  });
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      search.focus();
    } else if (e.key === "Escape" && e.target === search && search.value) {
      search.value = "";
      query = "";
      render({ keepFocus: "q" });
    }
  });
  window.addEventListener("hashchange", () => render({ navigated: true }));
  render();
})();
