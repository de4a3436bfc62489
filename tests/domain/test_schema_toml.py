"""The news schema loads; a broken schema is refused naming the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.domain.errors import InputError, Location
from labeler.domain.schema import Label, LabelSchema, Layer, LayerStyle
from labeler.domain.schema_toml import load_schema_file, parse_schema, write_schema

NEWS = Path(__file__).resolve().parents[2] / "resources" / "schemas" / "news.toml"


def test_news_schema_has_the_three_layers_and_the_attribution_relations() -> None:
    schema, _ = load_schema_file(NEWS)
    assert [layer.name for layer in schema.layers] == ["entity", "claim", "attribution"]
    assert not schema.layer("entity").allow_overlap
    assert schema.layer("attribution").allow_overlap
    assert schema.label("PERSON").hotkey == "p"
    assert schema.label("CLAIM").color.startswith("#")
    assert {a.name for a in schema.attributes_for("CLAIM")} == {
        "checkworthy",
        "claim_type",
        "verification",
    }
    assert [r.name for r in schema.relation_types_for("CUE", "SOURCE")] == ["source"]
    assert [r.name for r in schema.relation_types_for("SOURCE", "ORG")] == ["refers_to"]
    hotkeys = [label.hotkey for label in schema.labels() if label.hotkey]
    assert len(hotkeys) == len(set(hotkeys))


def _broken(news_toml: str, old: str, new: str) -> tuple[str, int]:
    """The news schema with one edit, and the 1-based line the edit is on."""
    assert old in news_toml
    at = news_toml.index(old)
    return news_toml.replace(old, new, 1), news_toml[:at].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('hotkey = "p"', 'hotky = "p"', "unknown key 'hotky'.*did you mean 'hotkey'"),
        ('color = "#d84315"', 'color = "orange"', "color of CLAIM must look like"),
        ('heads = ["CUE"]', 'heads = ["CUEE"]', "'CUEE'.*did you mean 'CUE'"),
        ('hotkey = "c"', 'hotkey = "p"', "hotkey 'p'"),
        ('labels = ["CLAIM"]', 'labels = ["CLAIMS"]', "CLAIMS"),
    ],
)
def test_a_broken_schema_names_file_line_and_problem(news_toml, old, new, message) -> None:
    text, line = _broken(news_toml, old, new)
    with pytest.raises(InputError, match=message) as caught:
        parse_schema(text, "team.toml")
    assert caught.value.location.file == "team.toml"
    assert caught.value.location.line == line


def test_toml_syntax_errors_keep_their_line(news_toml) -> None:
    text, line = _broken(news_toml, 'hotkey = "p"', 'hotkey = "p')
    with pytest.raises(InputError, match=r"team\.toml:\d+: TOML syntax") as caught:
        parse_schema(text, "team.toml")
    assert caught.value.location.line == line


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.toml"):
        load_schema_file(tmp_path / "nope.toml")


def test_written_schemas_read_back_equal(news_toml) -> None:
    news = parse_schema(news_toml)
    written = write_schema(news)
    assert parse_schema(written) == news
    assert write_schema(parse_schema(written)) == written
    assert "[layers.entity.labels.PERSON]" in written


def test_a_written_schema_keeps_empty_parts_out_and_odd_text_intact() -> None:
    schema = LabelSchema(
        name='team "A"',
        layers=(
            Layer("entity", (Label("ORG", "entity", "#64b5f6"),), allow_overlap=False),
            Layer(
                "quote",
                (Label("Q-1", "quote", "#000000", "Shift+Q", 'says "x"\nand 😀'),),
                style=LayerStyle.BACKGROUND,
                description="Quotes",
            ),
        ),
    )
    written = write_schema(schema)
    assert "attributes" not in written and "relations" not in written
    assert "hotkey" not in written.split("[layers.quote]")[0]
    assert parse_schema(written) == schema


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("a = " + "[" * 100_000 + "]" * 100_000 + "\n", None, "nested too deeply"),
        ("[schema]\nname = 'x'\nsize = " + "9" * 10_000 + "\n", 3, "a number far too long"),
    ],
)
def test_hostile_toml_is_refused_naming_the_file(
    tmp_path: Path, text: str, line: int | None, reason: str
) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as caught:
        load_schema_file(path)
    assert caught.value.location == Location(str(path), line)
    assert len(str(caught.value)) < 200


DOCUMENT_BASE = '[schema]\nname = "s"\n[layers.entity.labels.PERSON]\ncolor = "#e57373"\n'


def test_document_attributes_of_every_kind_read_and_write_back() -> None:
    text = DOCUMENT_BASE + (
        '[document.genre]\nvalues = ["news", "opinion"]\n'
        '[document.topic]\nkind = "multiple"\nvalues = ["a", "b"]\n'
        '[document.summary]\nkind = "text"\ndescription = "One line"\n'
        '[document.quality]\nkind = "rating"\nscale = 7\n'
    )
    schema = parse_schema(text, "s.toml")
    kinds = {a.name: (a.kind.value, a.choices) for a in schema.document_attributes}
    assert kinds == {
        "genre": ("choice", ("news", "opinion")),
        "topic": ("multiple", ("a", "b")),
        "summary": ("text", ()),
        "quality": ("rating", tuple("1234567")),
    }
    assert parse_schema(write_schema(schema)) == schema


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ('[document.g]\nkind = "many"\nvalues = ["a"]\n', "'kind' in [document.g] must be one of"),
        ("[document.g]\n", "a choice document attribute needs 'values'"),
        ('[document.g]\nkind = "text"\nvalues = ["a"]\n', "a text document attribute takes no"),
        ('[document.g]\nkind = "rating"\nscale = 1\n', "a whole number from 2 to 100"),
        ('[document.g]\nvalues = ["a"]\nscale = 3\n', "only a rating takes a 'scale'"),
        ('[document.g]\nvalues = ["a"]\ncolour = "x"\n', "unknown key 'colour' in [document.g]"),
    ],
)
def test_a_bad_document_attribute_names_its_line(table: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_schema(DOCUMENT_BASE + table, "s.toml")
    assert reason in caught.value.reason
    assert caught.value.location.line in (5, 6, 7)  # the table, or its key


def test_a_document_attribute_may_not_share_a_span_attribute_name() -> None:
    text = DOCUMENT_BASE + (
        '[attributes.kind]\nlabels = ["PERSON"]\nvalues = ["x"]\n[document.kind]\nvalues = ["y"]\n'
    )
    with pytest.raises(InputError, match="has the name of a span attribute"):
        parse_schema(text, "s.toml")
