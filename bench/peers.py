"""The peers of the benchmark, on the same JSONL as sapu (run by bench/run.sh).

    peers.py datatrove --tasks N CORPUS.jsonl OUT.jsonl
    peers.py justext CORPUS.jsonl OUT.jsonl

Both write one record per kept document, {"id": ..., "text": ...}, so that
examples/score_truth.rs scores them like sapu's output. A document a peer
drops entirely is absent from its output (the scorer counts it as all
content lost, all clutter removed).

* datatrove 0.10.1: JsonlReader -> C4QualityFilter -> JsonlWriter on a
  LocalPipelineExecutor with N tasks and N workers. The filter's language
  (sentence splitting) is the record's "lang" field (Indonesian or English).
* jusText 3.0.2: each line of a document becomes one <p> of an HTML page,
  classified with the Indonesian or English stoplist (by the record's "lang");
  the text is the paragraphs jusText does not call boilerplate, one a line.
"""

import html
import json
import os
import shutil
import sys
import tempfile


def run_datatrove(tasks, corpus, out_path):
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import C4QualityFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    class C4ByLanguage(C4QualityFilter):
        """C4QualityFilter with the record's language for sentence splitting."""

        def filter(self, doc: Document):
            self.language = "ind" if doc.metadata.get("lang") == "id" else "eng"
            return super().filter(doc)

    work = tempfile.mkdtemp(prefix="peers-datatrove-", dir=os.path.dirname(os.path.abspath(out_path)))
    try:
        # One input file per task, so that N tasks share the work.
        inputs = os.path.join(work, "in")
        os.makedirs(inputs)
        with open(corpus, encoding="utf-8") as f:
            lines = f.readlines()
        per = (len(lines) + tasks - 1) // tasks
        for t in range(tasks):
            with open(os.path.join(inputs, f"{t:05d}.jsonl"), "w", encoding="utf-8") as g:
                g.writelines(lines[t * per : (t + 1) * per])
        outputs = os.path.join(work, "out")
        LocalPipelineExecutor(
            pipeline=[
                JsonlReader(inputs, compression=None, glob_pattern="*.jsonl"),
                C4ByLanguage(),
                JsonlWriter(outputs, output_filename="${rank}.jsonl", compression=None),
            ],
            tasks=tasks,
            workers=tasks,
            logging_dir=os.path.join(work, "logs"),
        ).run()
        with open(out_path, "w", encoding="utf-8") as w:
            for name in sorted(os.listdir(outputs)):
                with open(os.path.join(outputs, name), encoding="utf-8") as f:
                    for line in f:
                        rec = json.loads(line)
                        w.write(json.dumps({"id": rec["id"], "text": rec["text"]}, ensure_ascii=False) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_justext(corpus, out_path):
    import justext

    stoplists = {"id": justext.get_stoplist("Indonesian"), "en": justext.get_stoplist("English")}
    with open(corpus, encoding="utf-8") as f, open(out_path, "w", encoding="utf-8") as w:
        for line in f:
            rec = json.loads(line)
            lines = [l for l in rec["text"].split("\n") if l.strip()]
            page = "<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in lines) + "</body></html>"
            stoplist = stoplists.get(rec.get("lang"), stoplists["en"])
            kept = [p.text for p in justext.justext(page, stoplist) if not p.is_boilerplate]
            w.write(json.dumps({"id": rec["id"], "text": "\n".join(kept)}, ensure_ascii=False) + "\n")


def main(argv):
    if len(argv) >= 5 and argv[1] == "datatrove" and argv[2] == "--tasks":
        run_datatrove(int(argv[3]), argv[4], argv[5])
    elif len(argv) == 4 and argv[1] == "justext":
        run_justext(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
