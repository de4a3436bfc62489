"""Large label schemas: parsing and checking grow linearly with the schema's size.

    python benchmarks/schema_scale.py [--repeat 3]

Builds schemas with many labels and relation types that allow every label as a head, and
prints, as medians over --repeat runs, the time to parse each (TOML included), to parse it a
second time in the same process (cached), and to check 10,000 relations against it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from labeler.domain.schema_toml import parse_schema

SHAPES = [(2_000, 1), (20_000, 1), (20_000, 5), (100_000, 1)]


def make(labels: int, relations: int) -> str:
    lines = ['[schema]\nname = "big"\n', "[layers.entity]\noverlap = false\n"]
    lines += [f'[layers.entity.labels.L{i}]\ncolor = "#1f77b4"\n' for i in range(labels)]
    heads = ", ".join(f'"L{i}"' for i in range(labels))
    lines += [f'[relations.r{r}]\nheads = [{heads}]\ntails = ["L0"]\n' for r in range(relations)]
    return "".join(lines)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'labels':>8} {'relations':>9} {'parse':>9} {'again':>9} {'10k checks':>11}")
    for labels, relations in SHAPES:
        parse, again, checks = [], [], []
        for n in range(args.repeat):
            text = make(labels, relations) + f"# run {n}\n"  # a new text: no cache hit
            parse.append(timed(lambda t=text: parse_schema(t)))
            again.append(timed(lambda t=text: parse_schema(t)))
            schema = parse_schema(text)
            last = f"L{labels - 1}"

            def check(s: object = schema, head: str = last) -> None:
                for _ in range(10_000):
                    s.check_relation("r0", head, "L0")  # type: ignore[attr-defined]

            checks.append(timed(check))
        print(
            f"{labels:>8,} {relations:>9} {statistics.median(parse):>8.2f}s "
            f"{statistics.median(again) * 1e6:>7.0f}µs {statistics.median(checks) * 1e3:>9.1f}ms"
        )


if __name__ == "__main__":
    main()
