"""Clean a directory of JSONL shards with datatrove and sapu.

    pip install 'sapu[datatrove]' orjson   # or the wheel python/test.sh builds
    python examples/python/datatrove_pipeline.py crawl/ clean/ --tasks 2

JsonlReader -> SapuCleaner -> JsonlWriter on a LocalPipelineExecutor: each
task takes its share of the shards and cleans them with one Cleaner.
Each output document has the clean text and, in metadata["sapu"], the
dropped-line counts; the run's statistics (per rule, too) are in
LOGS/stats.json. Swap LocalPipelineExecutor for SlurmPipelineExecutor to
run the same pipeline on a cluster.
"""

import argparse

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from sapu.datatrove import SapuCleaner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="directory of .jsonl (.gz, .zst) shards with a `text` field")
    parser.add_argument("output", help="directory for the cleaned shards")
    parser.add_argument("--tasks", type=int, default=2, help="datatrove tasks (default 2)")
    parser.add_argument("--logs", default=None, help="datatrove logging directory (default OUTPUT-logs)")
    parser.add_argument("--rules", action="append", default=None, help="extra rule file or directory")
    parser.add_argument("--disable", action="append", default=[], help="rule id to turn off")
    args = parser.parse_args()

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(args.input),
            SapuCleaner(rules=args.rules, disable=args.disable),
            JsonlWriter(args.output, compression=None),
        ],
        tasks=args.tasks,
        logging_dir=args.logs or f"{args.output.rstrip('/')}-logs",
    ).run()


# Required: the executor starts its tasks in new processes that import this
# file; without the guard each would start the pipeline again.
if __name__ == "__main__":
    main()
