"""``make bench``: run every benchmark in bench/ and print ratios against the peers."""

from __future__ import annotations

from bench import hexbench

BENCHMARKS = (hexbench,)


def main() -> None:
    """Run all benchmarks in turn."""
    for bench in BENCHMARKS:
        bench.main()


if __name__ == "__main__":
    main()
