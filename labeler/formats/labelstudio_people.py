"""Who made each annotation of a Label Studio task, and the name its set gets here.

Label Studio names an annotation's author in three ways, and an export may hold any of them:
`completed_by` is a user id (a number), or, when the export includes the users' data, an object
with `email`, `username`, `first_name` and `last_name`; `created_username` reads "First Last
email, id". A set takes the author's e-mail (Label Studio's own key for a user: an import into
Label Studio finds annotators by e-mail), else the user name, else the full name, else `user N`.

Tasks this package wrote carry their annotators' names in the task's `meta.labeler`, and
each region id says which of them made it (`a2-s5`: the second name's fifth span). Label
Studio keeps both, but on import it gives every annotation to the importing user, so for
those annotations the names in `meta` win: an annotation is ours when one of its region ids
names a listed annotator, or, when it has no such region, when the task holds exactly as many
annotations as `meta` lists names (then by position).

One person may make two annotations of one task in Label Studio. Both are kept, as separate
sets named `name` and `name (2)`: refusing the task would lose work that Label Studio itself
holds, and merging the two would invent a third annotation that nobody made.
"""

from __future__ import annotations

import re
from typing import Any

from labeler.domain.annotation import Status

OUR_REGION_PREFIX = "a"  # region ids written here: a{k}-s{n}, k the annotator's place in meta
_OUR_REGION = re.compile(r"a(\d+)-s\d+\Z")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def user_name(entry: dict[str, Any]) -> str | None:
    """The name Label Studio gives the author of one annotation, if it gives one."""
    who = entry.get("completed_by")
    if isinstance(who, dict):
        for key in ("email", "username"):
            if name := _text(who.get(key)):
                return name
        parts = [_text(who.get("first_name")), _text(who.get("last_name"))]
        if full := " ".join(p for p in parts if p):
            return full
        who = who.get("id")
    if name := _text(who):
        return name
    created = _text(entry.get("created_username"))
    if created:
        # "First Last email, id": the e-mail is the last word before the comma.
        head = created.rpartition(", ")[0] or created
        words = head.split()
        if words:
            return words[-1]
    if isinstance(who, int) and not isinstance(who, bool):
        return f"user {who}"
    return None


class OurNames:
    """The annotators and statuses a task's `meta.labeler` lists, found for each annotation."""

    def __init__(self, ours: Any, count: int) -> None:
        def listed(key: str) -> list[str | None]:
            values = ours.get(key) if isinstance(ours, dict) else None
            return [_text(v) for v in values] if isinstance(values, list) else []

        self.names = listed("annotators")
        self.statuses = listed("statuses")
        self._by_position = count == len(self.names)

    def place(self, entry: dict[str, Any], position: int) -> int | None:
        """Index into the lists for the annotation at `position` (from 0), or None."""
        if not self.names and not self.statuses:
            return None  # nothing listed to find (a file Label Studio wrote, say)
        result = entry.get("result")
        marks = {
            int(m.group(1)) - 1
            for r in (result if isinstance(result, list) else [])
            if isinstance(r, dict)
            and isinstance(r.get("id"), str)
            and (m := _OUR_REGION.match(r["id"]))
        }
        if len(marks) == 1 and 0 <= (k := marks.pop()) < len(self.names):
            return k
        if not marks and self._by_position:
            return position
        return None

    def name(self, index: int | None) -> str | None:
        return self.names[index] if index is not None else None

    def status(self, index: int | None) -> Status | None:
        if index is None or index >= len(self.statuses):
            return None
        value = self.statuses[index]
        return Status(value) if value in {s.value for s in Status} else None


def numbered(names: list[str | None]) -> list[str | None]:
    """The names with a repeated one numbered: `name`, `name (2)`, `name (3)`.

    None (no name in the file: the importer's default annotator) stays None.
    """
    seen: dict[str, int] = {}
    taken = {n for n in names if n is not None}
    out: list[str | None] = []
    for name in names:
        if name is None or name not in seen:
            if name is not None:
                seen[name] = 1
            out.append(name)
            continue
        count = seen[name] + 1
        while f"{name} ({count})" in taken:
            count += 1
        seen[name] = count
        taken.add(f"{name} ({count})")
        out.append(f"{name} ({count})")
    return out
