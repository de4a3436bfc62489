"""Test set-up: headless Qt, no touching the user's files, and databases on both engines."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Before anything imports Qt or platformdirs: offscreen, and settings/data in a throwaway home.
_HOME = Path(tempfile.mkdtemp(prefix="labeler-test-home-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ.pop("LABELER_DB", None)

from labeler.storage.database import Database  # noqa: E402
from tests.pg_cluster import PostgresCluster, postgres_available  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NEWS_SCHEMA = REPO / "resources" / "schemas" / "news.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--headed", action="store_true", help="show Qt windows on the real screen")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--headed"):
        os.environ["QT_QPA_PLATFORM"] = os.environ.get("LABELER_HEADED_PLATFORM", "xcb")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"qtbot", "qapp", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster for the whole test session."""
    reason = postgres_available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {reason}")
        pytest.skip(reason)
    cluster = PostgresCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each engine in turn (a PostgreSQL one is dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'labeler.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    name = cluster.new_database()
    try:
        yield cluster.url(name)
    finally:
        cluster.drop_database(name)


@pytest.fixture
def news_toml() -> str:
    return NEWS_SCHEMA.read_text(encoding="utf-8")


@pytest.fixture
def open_db(db_url: str) -> Iterator[Callable[..., Database]]:
    """Makes Database objects on the test's database URL and closes them all afterwards."""
    made: list[Database] = []

    def factory(url: str = db_url) -> Database:
        db = Database(url)
        made.append(db)
        return db

    yield factory
    for db in made:
        db.close()
