"""Clean a JSONL or Parquet dataset with Ray Data and sapu.

    pip install 'sapu[ray]'          # or the wheel python/test.sh builds
    python examples/python/ray_data.py crawl/ clean/ --actors 2
    python examples/python/ray_data.py crawl-parquet/ clean/ --parquet

Ray reads the files into blocks and sends batches of rows to a pool of
actors; each actor holds one Cleaner and takes one CPU, and one more CPU
is left for the read tasks. Rows keep their order
(preserve_order); the output has a `sapu_dropped_lines` column, too.
With --parquet, Ray reads Parquet into Arrow blocks, the actors get
pyarrow batches (cleaned by `Cleaner.clean_arrow`, every other column
untouched), and the output is Parquet with a `sapu` struct column.
"""

import argparse


def run(input_path: str, output: str, actors: int = 2, parquet: bool = False) -> None:
    import ray

    from sapu.ray import SapuBatchCleaner

    ray.data.DataContext.get_current().execution_options.preserve_order = True
    if parquet:
        ds = ray.data.read_parquet(input_path)
    else:
        ds = ray.data.read_json(input_path, lines=True)
    ds = ds.map_batches(
        SapuBatchCleaner,
        fn_constructor_kwargs={"annotate": True},
        batch_format="pyarrow" if parquet else "pandas",
        concurrency=actors,
        num_cpus=1,
    )
    if parquet:
        ds.write_parquet(output)
    else:
        ds.write_json(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="JSONL file or directory (records with a `text` field)")
    parser.add_argument("output", help="output directory")
    parser.add_argument("--actors", type=int, default=2, help="cleaning actors (default 2)")
    parser.add_argument("--parquet", action="store_true", help="read and write Parquet (pyarrow batches)")
    args = parser.parse_args()
    import ray

    # One CPU per actor and one for the read tasks: with no CPU left for
    # reading, the actors would wait for blocks that never come.
    ray.init(num_cpus=args.actors + 1, include_dashboard=False)
    try:
        run(args.input, args.output, args.actors, parquet=args.parquet)
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
