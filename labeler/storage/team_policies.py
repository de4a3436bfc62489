"""PostgreSQL group roles, grants and row-level security for a team database.

An annotator (a member of `labeler_annotator`) reads only the projects they are a member of and
those projects' documents; inserts, changes and deletes only annotation sets (with their spans
and relations) whose annotator is their own login name (`current_user`); and reads other members'
sets only where the project allows it. A lead (`labeler_lead`) may do everything. The tables'
owner, who ran the migrations, is not bound by these rules (PostgreSQL exempts a table's owner).

Migration 0004 installs this when the group roles exist; `labeler team init` creates them and
installs it again; every statement here may be run any number of times.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

LEAD = "labeler_lead"
ANNOTATOR = "labeler_annotator"
GROUPS = (LEAD, ANNOTATOR)

GUARDED = (
    "project",
    "document",
    "annotator",
    "project_member",
    "assignment",
    "annotation_set",
    "span",
    "relation",
    "suggestion",
    "suggestion_rejection",
    "span_source",
    "document_search",
    "presence",
    "trained_model",
    "training_setting",
    "curation_rejection",
)
# Tables an annotator is granted nothing on: bundle_origin lives in a bundle's SQLite file,
# id_floor serves SQLite's ids (a server hands ids out from sequences); a lead may use both.
LEAD_ONLY = ("bundle_origin", "id_floor")

# Helpers the policies call. They run as their owner (SECURITY DEFINER) so that a policy on one
# table can look at another without that table's own policies getting in the way; `who` is the
# caller's current_user, passed in because inside these functions current_user is the owner.
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION labeler_annotator_id(who name) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT id FROM annotator WHERE annotator.name = who::text
$$;
CREATE OR REPLACE FUNCTION labeler_is_member(project integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM project_member m JOIN annotator a ON a.id = m.annotator_id
    WHERE m.project_id = project AND a.name = who::text)
$$;
CREATE OR REPLACE FUNCTION labeler_document_open(doc integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM document d WHERE d.id = doc AND labeler_is_member(d.project_id, who))
$$;
CREATE OR REPLACE FUNCTION labeler_set_readable(doc integer, owner_id integer, who name)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM document d JOIN project p ON p.id = d.project_id
    WHERE d.id = doc AND labeler_is_member(p.id, who)
      AND (owner_id = labeler_annotator_id(who) OR p.others_visible))
$$;
CREATE OR REPLACE FUNCTION labeler_set_writable(doc integer, owner_id integer, who name)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT owner_id = labeler_annotator_id(who) AND labeler_document_open(doc, who)
$$;
CREATE OR REPLACE FUNCTION labeler_set_id_readable(set_id integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM annotation_set s
    WHERE s.id = set_id AND labeler_set_readable(s.document_id, s.annotator_id, who))
$$;
CREATE OR REPLACE FUNCTION labeler_set_id_writable(set_id integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM annotation_set s
    WHERE s.id = set_id AND NOT s.curated
      AND labeler_set_writable(s.document_id, s.annotator_id, who))
$$;
CREATE OR REPLACE FUNCTION labeler_span_readable(span_id integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM span s WHERE s.id = span_id AND labeler_set_id_readable(s.set_id, who))
$$;
CREATE OR REPLACE FUNCTION labeler_span_writable(span_id integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM span s WHERE s.id = span_id AND labeler_set_id_writable(s.set_id, who))
$$;
"""

CHANNEL = "labeler_changes"

# Every change of an annotation set (each edit bumps its version) is announced to listeners;
# the payload names only the document and annotator ids: a listener reads the rest itself,
# through the policies.
NOTIFY_CHANGES = (
    f"""
CREATE OR REPLACE FUNCTION labeler_notify_set() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed record;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  PERFORM pg_notify('{CHANNEL}', changed.document_id || ' ' || changed.annotator_id);
  RETURN NULL;
END $$
""",
    "DROP TRIGGER IF EXISTS annotation_set_notify ON annotation_set",
    "CREATE TRIGGER annotation_set_notify AFTER INSERT OR UPDATE OR DELETE ON annotation_set "
    "FOR EACH ROW EXECUTE FUNCTION labeler_notify_set()",
)

# Who opens which document is announced the same way (the payload: document and annotator).
NOTIFY_PRESENCE = (
    "CREATE TRIGGER presence_notify AFTER INSERT OR UPDATE OR DELETE ON presence "
    "FOR EACH ROW EXECUTE FUNCTION labeler_notify_set()"
)

FUNCTION_NAMES = (
    "labeler_annotator_id(name)",
    "labeler_is_member(integer, name)",
    "labeler_document_open(integer, name)",
    "labeler_set_readable(integer, integer, name)",
    "labeler_set_writable(integer, integer, name)",
    "labeler_set_id_readable(integer, name)",
    "labeler_set_id_writable(integer, name)",
    "labeler_span_readable(integer, name)",
    "labeler_span_writable(integer, name)",
)

# A curated (gold) set is the lead's work: an annotator neither writes one nor makes one.
_OWN_SET = "NOT curated AND labeler_set_writable(document_id, annotator_id, current_user)"
_OWN_PART = "labeler_set_id_writable(set_id, current_user)"

# (table, policy name, command, USING, WITH CHECK) for annotators; leads get one FOR ALL each.
_ANNOTATOR_POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("project", "member_reads", "SELECT", "labeler_is_member(id, current_user)", None),
    # Locks, not changes: the editor holds a share lock on the project row while it writes, so
    # that a schema change waits (a lock needs UPDATE rights); any real update is refused.
    ("project", "member_locks", "UPDATE", "labeler_is_member(id, current_user)", "false"),
    ("document", "member_reads", "SELECT", "labeler_is_member(project_id, current_user)", None),
    ("annotator", "anyone_reads", "SELECT", "true", None),
    ("annotator", "self_adds", "INSERT", None, "name = current_user::text"),
    (
        "project_member",
        "self_reads",
        "SELECT",
        "annotator_id = labeler_annotator_id(current_user)",
        None,
    ),
    (
        "assignment",
        "self_reads",
        "SELECT",
        "annotator_id = labeler_annotator_id(current_user)",
        None,
    ),
    (
        "annotation_set",
        "member_reads",
        "SELECT",
        "labeler_set_readable(document_id, annotator_id, current_user)",
        None,
    ),
    ("annotation_set", "own_adds", "INSERT", None, _OWN_SET),
    ("annotation_set", "own_changes", "UPDATE", _OWN_SET, _OWN_SET),
    ("annotation_set", "own_deletes", "DELETE", _OWN_SET, None),
)
# A row of one's own (annotator_id) on a document of one's projects.
_OWN_ROW = (
    "annotator_id = labeler_annotator_id(current_user) "
    "AND labeler_document_open(document_id, current_user)"
)
_ANNOTATOR_POLICIES += (
    # Suggestions are stored by a lead (pre-annotation, import); members read their documents'.
    (
        "suggestion",
        "member_reads",
        "SELECT",
        "labeler_document_open(document_id, current_user)",
        None,
    ),
    # What an annotator rejected is theirs: read, added and taken back (undo) by them alone.
    ("suggestion_rejection", "own_reads", "SELECT", _OWN_ROW, None),
    ("suggestion_rejection", "own_adds", "INSERT", None, _OWN_ROW),
    ("suggestion_rejection", "own_deletes", "DELETE", _OWN_ROW, None),
    # Which recommender proposed an accepted span goes with the span, and its set's rules.
    ("span_source", "member_reads", "SELECT", "labeler_span_readable(span_id, current_user)", None),
    ("span_source", "own_adds", "INSERT", None, "labeler_span_writable(span_id, current_user)"),
    ("span_source", "own_deletes", "DELETE", "labeler_span_writable(span_id, current_user)", None),
    # Search: the index rows of the projects one is a member of (a document's trigger writes
    # them, and only a lead imports).
    (
        "document_search",
        "member_reads",
        "SELECT",
        "labeler_is_member(project_id, current_user)",
        None,
    ),
)
_MINE = "annotator_id = labeler_annotator_id(current_user)"
_MEMBER = "labeler_is_member(project_id, current_user)"
_ANNOTATOR_POLICIES += (
    # The lead trains the project's model; its annotators' editors propose with it.
    ("trained_model", "member_reads", "SELECT", _MEMBER, None),
    ("training_setting", "member_reads", "SELECT", _MEMBER, None),
    # curation_rejection: curating is a lead's, no annotator policy (nothing granted).
    # One's own presence only: annotators do not see who else works (they label blind).
    ("presence", "own_reads", "SELECT", _MINE, None),
    ("presence", "own_adds", "INSERT", None, _OWN_ROW),
    ("presence", "own_changes", "UPDATE", _MINE, _OWN_ROW),
    ("presence", "own_deletes", "DELETE", _MINE, None),
)
for _part in ("span", "relation"):
    _ANNOTATOR_POLICIES += (
        (_part, "member_reads", "SELECT", "labeler_set_id_readable(set_id, current_user)", None),
        (_part, "own_adds", "INSERT", None, _OWN_PART),
        (_part, "own_changes", "UPDATE", _OWN_PART, _OWN_PART),
        (_part, "own_deletes", "DELETE", _OWN_PART, None),
    )

_ANNOTATOR_GRANTS = (
    "GRANT SELECT ON project, document, annotator, project_member, assignment, alembic_version "
    f"TO {ANNOTATOR}",
    f"GRANT INSERT ON annotator TO {ANNOTATOR}",
    f"GRANT UPDATE (id) ON project TO {ANNOTATOR}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON annotation_set, span, relation TO {ANNOTATOR}",
    f"GRANT SELECT ON suggestion, document_search TO {ANNOTATOR}",
    f"GRANT SELECT, INSERT, DELETE ON suggestion_rejection, span_source TO {ANNOTATOR}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON presence TO {ANNOTATOR}",
    f"GRANT SELECT ON trained_model, training_setting TO {ANNOTATOR}",
    "GRANT USAGE, SELECT ON SEQUENCE annotator_id_seq, annotation_set_id_seq, span_id_seq, "
    f"relation_id_seq, suggestion_rejection_id_seq TO {ANNOTATOR}",
)
_LEAD_GRANTS = (
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {LEAD}",
    f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {LEAD}",
)


def groups_exist(connection: Connection) -> bool:
    """True when both group roles are defined on this server."""
    found = connection.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname IN (:lead, :annotator)"),
        {"lead": LEAD, "annotator": ANNOTATOR},
    ).scalar_one()
    return int(found) == len(GROUPS)


def create_groups(connection: Connection) -> None:
    """Creates the two group roles (no login) unless they exist."""
    for group in GROUPS:
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": group}
        ).scalar()
        if exists is None:
            connection.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")


def _existing(connection: Connection, tables: tuple[str, ...]) -> tuple[str, ...]:
    """The tables that exist by now (an earlier migration installs the rules before a later
    one adds its table, and the later one installs them again)."""
    return tuple(
        t
        for t in tables
        if connection.execute(text("SELECT to_regclass(:t)"), {"t": t}).scalar() is not None
    )


def enable_row_security(connection: Connection) -> None:
    """Row-level security on, and the policies' helper functions defined."""
    for table in _existing(connection, GUARDED):
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in _FUNCTIONS.split("\n$$;\n"):
        if statement.strip():
            connection.exec_driver_sql(statement + "\n$$")
    for function in FUNCTION_NAMES:
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")


def install_policies(connection: Connection) -> None:
    """The grants and policies for both groups, replacing any earlier ones (groups must exist)."""
    enable_row_security(connection)
    for function in FUNCTION_NAMES:
        connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {ANNOTATOR}, {LEAD}")
    present = _existing(connection, GUARDED)
    for table, name, command, using, check in _ANNOTATOR_POLICIES:
        if table not in present:
            continue
        policy = f"annotator_{name}_{command.lower()}"
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {table}")
        clauses = f" USING ({using})" if using else ""
        clauses += f" WITH CHECK ({check})" if check else ""
        connection.exec_driver_sql(
            f"CREATE POLICY {policy} ON {table} FOR {command} TO {ANNOTATOR}{clauses}"
        )
    for table in present:
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS lead_all ON {table}")
        connection.exec_driver_sql(
            f"CREATE POLICY lead_all ON {table} FOR ALL TO {LEAD} USING (true) WITH CHECK (true)"
        )
    for grant in (*_ANNOTATOR_GRANTS, *_LEAD_GRANTS):
        later = ("presence", "trained_model")  # tables made after revision 0011
        if any(f" {t}" in grant for t in later) and not all(
            t in present for t in later if f" {t}" in grant
        ):
            continue
        connection.exec_driver_sql(grant)


def remove_policies(connection: Connection, tables: tuple[str, ...] = GUARDED) -> None:
    """Undoes install_policies and enable_row_security on these tables (all: the helper
    functions go too; the groups stay: other databases may use them)."""
    for table in _existing(connection, tables):
        for table_name, name, command, _, _ in _ANNOTATOR_POLICIES:
            if table_name == table:
                policy = f"annotator_{name}_{command.lower()}"
                connection.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {table}")
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS lead_all ON {table}")
        connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        if groups_exist(connection):
            connection.exec_driver_sql(f"REVOKE ALL ON {table} FROM {ANNOTATOR}")
    if tables == GUARDED:
        for function in FUNCTION_NAMES:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function}")
