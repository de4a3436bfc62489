"""A label schema from brat's annotation.conf."""

from __future__ import annotations

import pytest

from labeler.domain.errors import InputError
from labeler.domain.schema import EVENT_KIND
from labeler.domain.schema_toml import parse_schema, write_schema
from labeler.formats.brat_conf import role_name, schema_from_conf

CONF = """# comment
[spans]
Person
Organization
\tCompany

[relations]
Alias  Arg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive
Works  Arg1:Person, Arg2:Organization|Company
<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]
<ORG>=Organization|Company
!Business
\tMerge-org  Org-Arg+:<ORG>
\tSplit  Org-Arg{2}:<ORG>, Agent-Arg?:Person
Report  Event-Arg:<EVENT>

[attributes]
Negated  Arg:<EVENT>
Mention  Arg:<ENTITY>, Value:Name|Nominal
"""


def test_types_relations_events_and_attributes() -> None:
    schema = schema_from_conf(CONF, "demo")
    assert [label.name for label in schema.layer("entity").labels] == [
        "Person",
        "Organization",
        "Company",
    ]
    events = schema.layer("event")
    assert events.kind == EVENT_KIND
    assert [label.name for label in events.labels] == ["Merge-org", "Split", "Report"]
    assert schema.relation_type("Alias").equivalence
    assert not schema.relation_type("Works").equivalence
    assert schema.relation_type("Works").tails == ("Organization", "Company")
    org_arg = schema.relation_type("Org-Arg")
    assert org_arg.heads == ("Merge-org", "Split")
    assert org_arg.tails == ("Organization", "Company")
    assert schema.relation_type("Event-Arg").tails == ("Merge-org", "Split", "Report")
    negated = next(a for a in schema.attributes if a.name == "Negated")
    assert negated.values == ("true",)
    assert negated.labels == ("Merge-org", "Split", "Report")
    # The schema survives being stored as TOML, kinds and equivalences included.
    again = parse_schema(write_schema(schema))
    assert again.layer("event").kind == EVENT_KIND
    assert again.relation_type("Alias").equivalence


@pytest.mark.parametrize(
    ("role", "name"),
    [("Org-Arg2", "Org-Arg"), ("Org-Arg+", "Org-Arg"), ("Person-Arg{2}", "Person-Arg")],
)
def test_role_names_lose_marks_and_numbers(role: str, name: str) -> None:
    assert role_name(role) == name


def test_a_conf_without_types_is_refused() -> None:
    with pytest.raises(InputError, match="no entity or event types"):
        schema_from_conf("[entities]\n[relations]\n", "empty")


def test_event_role_counts_are_kept_and_written_back() -> None:
    from labeler.formats.brat import annotation_conf

    schema = schema_from_conf(CONF, "demo")
    assert dict(schema.relation_type("Org-Arg").limits) == {"Merge-org": "+", "Split": "{2}"}
    assert dict(schema.relation_type("Agent-Arg").limits) == {"Split": "?"}
    assert dict(schema.relation_type("Event-Arg").limits) == {"Report": ""}
    again = parse_schema(write_schema(schema))
    assert again == schema
    events = annotation_conf(again).split("[events]\n")[1].split("\n\n")[0].splitlines()
    assert events == [
        "Merge-org\tOrg-Arg+:Organization|Company",
        "Split\tOrg-Arg{2}:Organization|Company, Agent-Arg?:Person",
        "Report\tEvent-Arg:Merge-org|Split|Report",
    ]


def test_a_bad_role_count_in_a_schema_file_is_refused() -> None:
    text = write_schema(schema_from_conf(CONF, "demo")).replace('Split = "?"', 'Split = "many"')
    with pytest.raises(InputError, match=r"'limits' in \[relations.Agent-Arg\]"):
        parse_schema(text)
