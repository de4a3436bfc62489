"""Test set-up: headless Qt, no touching the user's files, and databases on both engines."""

from __future__ import annotations

import os
import shutil
import sys
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

from labeler.domain.schema import LabelSchema  # noqa: E402
from labeler.domain.schema_toml import parse_schema  # noqa: E402
from labeler.storage.database import Database  # noqa: E402
from tests.pg_cluster import PostgresCluster, postgres_available  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NEWS_SCHEMA = REPO / "resources" / "schemas" / "news.toml"
UI_TESTS = Path(__file__).resolve().parent / "ui"
QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester"}


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    parser.addoption("--headed", action="store_true", help="show Qt windows on the real screen")
    if not pluginmanager.has_plugin("pytest-qt"):
        # Without Qt (`-p no:pytest-qt`, or a machine without it) pyproject's Qt settings are
        # still read: known here, so that --strict-config lets the tests that need no Qt run.
        for name in ("qt_api", "qt_log_level_fail"):
            parser.addini(name, "read by pytest-qt when it is loaded")
        parser.addini("qt_log_ignore", "read by pytest-qt when it is loaded", type="linelist")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--headed"):
        os.environ["QT_QPA_PLATFORM"] = os.environ.get("LABELER_HEADED_PLATFORM", "xcb")


def _selects_gui_tests(config: pytest.Config) -> bool:
    """Whether -m can select a test marked gui and nothing else (true without -m)."""
    markexpr = config.getoption("markexpr")
    if not markexpr:
        return True
    try:
        from _pytest.mark.expression import Expression
    except ImportError:  # pragma: no cover - a pytest that moved it: collect everything
        return True
    return Expression.compile(markexpr).evaluate(lambda name, /, **_kwargs: name == "gui")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """`-m "not gui"` does not even import the UI tests, so PySide6 is never loaded."""
    if collection_path.is_relative_to(UI_TESTS) and not _selects_gui_tests(config):
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The gui mark goes on every test under tests/ui and every test with a Qt fixture."""
    for item in items:
        if item.path.is_relative_to(UI_TESTS) or QT_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.gui)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Without pytest-qt, Qt must stay unloaded: a test outside tests/ui that imports it (and
    so cannot run on a machine without Qt) fails the run."""
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6"})
    if loaded and not session.config.pluginmanager.has_plugin("pytest-qt"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("!", f"Qt was imported in a run without pytest-qt: {loaded[:3]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database at the newest revision, made once: copying it is faster than
    migrating each test's database anew. Copy it; never open it in place."""
    path = tmp_path_factory.mktemp("template") / "labeler.db"
    db = Database(f"sqlite:///{path}")
    db.open()
    db.close()  # the last connection folds the write-ahead log into the file
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres: PostgresCluster) -> str:
    """A PostgreSQL database at the newest revision, made once, to clone."""
    url = postgres.new_database()
    db = Database(url)
    db.open()
    db.close()
    return url


def _database_url(request: pytest.FixtureRequest, folder: Path, migrated: bool) -> Iterator[str]:
    """A new database on the engine of request.param: empty, or at the newest revision (a
    copy of the migrated template); a PostgreSQL one is dropped afterwards."""
    if request.param == "sqlite":
        path = folder / "labeler.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    template = request.getfixturevalue("migrated_postgres") if migrated else None
    url = cluster.new_database(template)
    try:
        yield url
    finally:
        cluster.drop_database(url)


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each engine in turn: for tests of creating and migrating."""
    yield from _database_url(request, tmp_path, migrated=False)


@pytest.fixture(params=ENGINES)
def migrated_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database at the newest revision on each engine in turn: opening it migrates
    nothing, which saves each test the migration."""
    yield from _database_url(request, tmp_path, migrated=True)


@pytest.fixture(scope="module", params=ENGINES)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like migrated_db_url, but one per module and engine: for data that tests only read."""
    yield from _database_url(request, tmp_path_factory.mktemp("module-db"), migrated=True)


@pytest.fixture
def news_toml() -> str:
    return NEWS_SCHEMA.read_text(encoding="utf-8")


@pytest.fixture
def schema(news_toml: str) -> LabelSchema:
    """The news schema that ships with labeler."""
    return parse_schema(news_toml, "news.toml")


@pytest.fixture
def connect() -> Iterator[Callable[[str], Database]]:
    """Makes Database objects on a URL and closes them all after the test."""
    made: list[Database] = []

    def factory(url: str) -> Database:
        db = Database(url)
        made.append(db)
        return db

    yield factory
    for db in made:
        db.close()


@pytest.fixture
def open_db(db_url: str, connect: Callable[[str], Database]) -> Callable[..., Database]:
    """Makes Database objects on the test's new, empty database (or another URL given)."""

    def factory(url: str = db_url) -> Database:
        return connect(url)

    return factory


@pytest.fixture
def migrated_db(migrated_db_url: str, connect: Callable[[str], Database]) -> Database:
    """A database at the newest revision, opened, on each engine in turn."""
    db = connect(migrated_db_url)
    db.open()
    return db
