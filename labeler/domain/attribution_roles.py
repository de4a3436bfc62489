"""The labels and relation types that make an attribution in the news schema (after PARC).

One CUE with a `source` relation to its SOURCE and a `content` relation to its CONTENT is one
attribution. A content split by its cue is several CONTENT pieces chained by `continues`
(first piece → next piece). A CLAIM is linked to the SOURCE it is attributed to by
`attributed_to`; a SOURCE to the entity it names by `refers_to`.
"""

from __future__ import annotations

SOURCE = "SOURCE"
CUE = "CUE"
CONTENT = "CONTENT"
CLAIM = "CLAIM"

SOURCE_OF = "source"  # CUE -> SOURCE
CONTENT_OF = "content"  # CUE -> CONTENT
CONTINUES = "continues"  # CONTENT -> the next CONTENT piece
ATTRIBUTED_TO = "attributed_to"  # CLAIM -> SOURCE
REFERS_TO = "refers_to"  # SOURCE -> PERSON | ORG | GPE | NORP
