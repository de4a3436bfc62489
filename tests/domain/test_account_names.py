"""Login names of a team database: what the database keeps unquoted, and not a reserved name."""

import pytest

from labeler.domain.errors import RuleError
from labeler.domain.team import check_account_name


def test_a_plain_name_is_kept_without_its_spaces() -> None:
    assert check_account_name("  alice_2 ") == "alice_2"


@pytest.mark.parametrize("name", ["Alice", "pg_reader", "labeler_lead", "1st", "a b"])
def test_names_the_database_would_quote_or_owns_are_refused(name: str) -> None:
    with pytest.raises(RuleError, match="account name"):
        check_account_name(name)


def test_the_curated_sets_name_is_refused_for_an_account() -> None:
    with pytest.raises(RuleError, match="reserved: curated"):
        check_account_name("curated")
