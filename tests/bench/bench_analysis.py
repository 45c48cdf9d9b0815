"""Standalone entry for the find-and-compare benchmark: python tests/bench/bench_analysis.py"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from codebook.bench.analysis import run  # noqa: E402

if __name__ == "__main__":
    run(sys.argv[1:])
