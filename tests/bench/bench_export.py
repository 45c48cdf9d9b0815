"""Standalone entry for the export benchmark: python tests/bench/bench_export.py --rows 100000"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from codebook.bench.export import run  # noqa: E402

if __name__ == "__main__":
    run(sys.argv[1:])
