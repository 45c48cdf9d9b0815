"""Which words distinguish one set of passages from the rest, without the ORM.

Dunning's log-likelihood (G²) compares a word's frequency in the target
passages with its frequency in the rest of the study; only words relatively
more frequent in the target are returned.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Keyword:
    word: str
    in_target: int
    in_rest: int
    per_thousand_target: float
    per_thousand_rest: float
    log_likelihood: float


def log_likelihood(a: int, b: int, total_a: int, total_b: int) -> float:
    """Return G² for a word seen ``a`` times in ``total_a`` words and ``b`` times in ``total_b``."""
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    g2 = 0.0
    if a:
        g2 += a * math.log(a / expected_a)
    if b:
        g2 += b * math.log(b / expected_b)
    return 2 * g2


def rank_distinctive(
    target: dict[str, int], rest: dict[str, int], limit: int = 30, min_count: int = 2
) -> list[Keyword]:
    """Return up to ``limit`` words over-represented in ``target``, most distinctive first."""
    total_target = sum(target.values())
    total_rest = sum(rest.values())
    if not total_target:
        return []
    ranked = []
    for word, a in target.items():
        b = rest.get(word, 0)
        if a < min_count:
            continue
        if total_rest and a / total_target <= b / total_rest:
            continue
        ranked.append(
            Keyword(
                word,
                a,
                b,
                1000 * a / total_target,
                1000 * b / total_rest if total_rest else 0.0,
                log_likelihood(a, b, total_target, total_rest) if total_rest else 0.0,
            )
        )
    ranked.sort(key=lambda keyword: (-keyword.log_likelihood, -keyword.in_target, keyword.word))
    return ranked[:limit]
