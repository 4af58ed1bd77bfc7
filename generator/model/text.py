"""Names made from text: slugs (unique within a set) and the key role names are compared by."""

from __future__ import annotations

import re


def slug(text: str, fallback: str = "x") -> str:
    """An id made from a name: lowercase ASCII words joined by hyphens (``fallback`` when
    nothing of the name is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or fallback


class UniqueSlugs:
    """Slugs that stay unique within one set: a repeated name gets ``-2``, ``-3``, ..."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def make(self, text: str, fallback: str = "x") -> str:
        """The slug of ``text``, numbered when it is already taken."""
        base = slug(text, fallback)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def role_key(name: str) -> str:
    """How role names are compared: case, spacing and punctuation do not count."""
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()
