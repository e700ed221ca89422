"""Weighted random draws and the logistic curve, shared by every part of the generator."""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Iterable, Mapping, Sequence


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def cumulative_weights(weights: Sequence[float]) -> tuple[float, ...]:
    total = 0.0
    running = []
    for weight in weights:
        total += weight
        running.append(total)
    return tuple(running)


def draw_index(rng: random.Random, cumulative: Sequence[float]) -> int:
    point = rng.random() * cumulative[-1]
    for index, edge in enumerate(cumulative):
        if point < edge:
            return index
    return len(cumulative) - 1


def draw(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key, with chance proportional to its weight (zero-weight keys never)."""
    return draw_among(rng, weights.keys(), weights.values())


def draw_among(rng: random.Random, values: Iterable[str], weights: Collection[float]) -> str:
    """One of ``values``, with chance proportional to its weight in ``weights`` (zero never)."""
    point = rng.random() * sum(weights)
    chosen = ""
    for value, weight in zip(values, weights, strict=True):
        if weight <= 0:
            continue
        chosen = value
        point -= weight
        if point < 0:
            break
    return chosen
