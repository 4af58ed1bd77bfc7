"""The procedure as a graph: reachability, loops and the longest start-to-end path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.model.sop import Step, TotalTime


def reachable(start: str, successors: Mapping[str, Sequence[str]]) -> set[str]:
    """Keys reachable from ``start`` (itself included)."""
    seen = {start}
    stack = [start]
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def steps_without_exit(order: Sequence[str], successors: Mapping[str, Sequence[str]]) -> list[str]:
    """Steps from which no end step (a step with no successor) can be reached.

    Such steps sit in a loop that never finishes, e.g. a "Tidak" and a ``lanjut_ke``
    pointing at each other.
    """
    ends = {key for key in order if not successors.get(key)}
    predecessors: dict[str, list[str]] = {key: [] for key in order}
    for key in order:
        for nxt in successors.get(key, ()):
            predecessors.setdefault(nxt, []).append(key)
    can_finish: set[str] = set()
    stack = list(ends)
    can_finish.update(ends)
    while stack:
        for prev in predecessors.get(stack.pop(), ()):
            if prev not in can_finish:
                can_finish.add(prev)
                stack.append(prev)
    return [key for key in order if key not in can_finish]


def longest_path(steps: Sequence[Step]) -> TotalTime:
    """Total time along the longest path from the first to a last step.

    Only forward edges count: a branch back to an earlier step is rework, and an
    estimate that assumed rework would have no upper bound. Every step's weight is its
    Waktu in minutes; steps without a recognisable Waktu weigh nothing and are listed in
    ``untimed`` so the page can say the total leaves them out.
    """
    flow = [s for s in steps if s.has_symbol]
    if not flow:
        return TotalTime(0.0, ())
    index = {s.key: i for i, s in enumerate(flow)}

    def minutes(step: Step) -> float | None:
        return step.waktu.minutes if step.waktu and step.waktu.minutes is not None else None

    weight = {s.key: minutes(s) or 0.0 for s in flow}
    # A heading row's time (2 over 2a-2c) is the time of its group when the sub-steps carry
    # none of their own: it counts once, on the group's first sub-step.
    timed_heading: dict[str, str] = {}
    for heading in steps:
        if heading.has_symbol or minutes(heading) is None:
            continue
        subs = [s for s in flow if s.parent == heading.key]
        if subs and all(minutes(s) is None for s in subs):
            weight[subs[0].key] += minutes(heading) or 0.0
            timed_heading[subs[0].key] = heading.key
    best: dict[str, float] = {}
    via: dict[str, str | None] = {}
    loops = False
    first = flow[0].key
    best[first] = weight[first]
    via[first] = None
    for step in flow:  # steps are in topological order once back edges are dropped
        if step.key not in best:
            continue
        for nxt in step.successors:
            if nxt not in index:
                continue
            if index[nxt] <= index[step.key]:
                loops = True
                continue
            candidate = best[step.key] + weight[nxt]
            if candidate > best.get(nxt, -1.0):
                best[nxt] = candidate
                via[nxt] = step.key
    ends = [s.key for s in flow if s.key in best and not s.successors]
    if not ends:
        return TotalTime(0.0, (), loops_ignored=loops)
    end = max(ends, key=lambda k: (best[k], -index[k]))
    path: list[str] = []
    cursor: str | None = end
    while cursor is not None:
        path.append(cursor)
        cursor = via[cursor]
    path.reverse()
    by_key = {s.key: s for s in flow}
    groups = set(timed_heading.values())
    untimed = tuple(k for k in path if minutes(by_key[k]) is None and by_key[k].parent not in groups)
    return TotalTime(minutes=best[end], path=tuple(path), untimed=untimed, loops_ignored=loops)
