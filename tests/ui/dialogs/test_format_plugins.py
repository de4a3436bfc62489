"""A format that another installed package adds is offered by the import and export dialogs."""

from __future__ import annotations

from pathlib import Path

from labeler.app import open_services
from labeler.ui.dialogs.export_dialog import ExportDialog
from labeler.ui.dialogs.import_dialog import ImportDialog
from tests.format_plugin import installed_plugin


def test_the_dialogs_offer_the_plugin_format(qtbot, tmp_path: Path) -> None:
    services = open_services(str(tmp_path / "ui.db"))
    project = services.projects.create("News", "news")
    try:
        with installed_plugin(tmp_path):
            importing = ImportDialog(services, project)
            exporting = ExportDialog(services, project)
            for dialog in (importing, exporting):
                qtbot.addWidget(dialog)
                dialog.show()
            tabbed = importing.format_box.findData("tabbed")
            assert tabbed > 0
            assert importing.format_box.itemText(tabbed).startswith("tabbed — one article a line")
            assert exporting.format_box.itemData(0) == "jsonl"
            exporting.format_box.setCurrentIndex(exporting.format_box.findData("tabbed"))
            assert exporting.format().extensions == (".tab",)
            out = tmp_path / "out.tab"
            qtbot.keyClicks(exporting.out_path, str(tmp_path / "out.jsonl"))
            exporting.format_box.setCurrentIndex(exporting.format_box.findData("jsonl"))
            exporting.format_box.setCurrentIndex(exporting.format_box.findData("tabbed"))
            assert exporting.out_path.text() == str(out)  # the ending follows the format
    finally:
        services.close()
