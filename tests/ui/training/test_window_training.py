"""The model trained in the loop in the window: trained in a process of its own from the panel's
button with progress, cancelled, its figures shown; retrained after N finished documents; the
document list in the model's confidence order and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from labeler.assist.training import TrainingSettings
from labeler.domain.annotation import Status
from labeler.domain.trained_model import TrainingPolicy
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.main_window import MainWindow
from tests.training_corpus import stored_stories
from tests.ui.support import filled

TINY = TrainingSettings(iterations=3, width=16, depth=1, batch_size=4)
CONFIDENCE = DocumentListModel.CONFIDENCE


@pytest.fixture
def db_path(db_path: Path) -> Path:
    """Project "Wire": 10 stories "ana" finished, then 5 nobody opened."""
    return filled(db_path, lambda db: stored_stories(db, done=10, todo=5))


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.training.model.training.settings = TINY
    return window


def test_the_lead_trains_from_the_panel_and_sees_the_figures(qtbot, window, services) -> None:
    panel = window.training.panel
    assert panel.label.text() == "No model"
    assert panel.train_button.isVisible() and not panel.cancel_button.isVisible()
    steps: list[tuple[int, int]] = []
    training = window.training.model.training
    training.progressed.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(training.finished, timeout=120_000) as ended:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
    kept, line = ended.args
    assert kept, line
    assert steps == [(1, 3), (2, 3), (3, 3)]
    model = services.training.latest(services.projects.get("Wire"))
    assert model is not None and model.version == 1
    assert line == f"Wire's model trained: {model.figures()}"
    assert panel.label.text().startswith(f"Model v1 · P {model.precision:.2f}")
    assert "label: precision / recall / F1" in panel.label.toolTip()
    assert not panel.progress.isVisible() and panel.train_button.isVisible()


def test_a_cancelled_training_keeps_no_version(qtbot, window, services) -> None:
    panel = window.training.panel
    training = window.training.model.training
    with qtbot.waitSignal(training.finished, timeout=60_000) as ended:
        assert window.training.train()
        assert not window.training.train()  # one at a time
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert ended.args == [False, "Training of Wire's model cancelled: nothing kept"]
    assert services.training.models(services.projects.get("Wire")) == []
    assert panel.label.text() == "No model" and panel.train_button.isVisible()


def test_finishing_the_nth_document_trains_again(qtbot, window, services) -> None:
    project = services.projects.get("Wire")
    services.training.train(project, TINY)
    services.training.set_policy(project, TrainingPolicy(min_f1=0.0, retrain_every=1))
    training = window.training.model.training
    window.document_view.selectRow(10)  # a story nobody finished
    qtbot.waitUntil(lambda: window.editor.session is not None)
    with qtbot.waitSignal(training.finished, timeout=120_000) as ended:
        window.finish(Status.DONE)
        assert training.is_running()
    assert ended.args[0], ended.args[1]
    assert [m.version for m in services.training.models(project)] == [1, 2]
    assert window.training.panel.label.text().startswith("Model v2 · ")


def test_least_sure_first_orders_the_remaining_documents(qtbot, window, services) -> None:
    project = services.projects.get("Wire")
    box = window.filter_bar.confidence_box
    view, documents = window.document_view, window.documents
    order = window.training.order
    before = [documents.document_id(r) for r in range(documents.rowCount())]
    assert view.isColumnHidden(CONFIDENCE)
    box.click()  # no model yet: says so and unticks
    qtbot.waitUntil(lambda: not box.isChecked())
    assert window.statusBar().currentMessage().startswith("No confidence order: ")
    services.training.train(project, TINY)
    with qtbot.waitSignal(order.ordered, timeout=60_000):
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert box.isChecked() and not view.isColumnHidden(CONFIDENCE)
    scores = services.training.confidences(project, "ana")
    shown = [documents.document_id(r) for r in range(documents.rowCount())]
    assert shown[:5] == sorted(scores, key=lambda i: (scores[i], i))
    assert shown[5:] == before[:10]  # the finished ones after, in their order
    for row in range(5):
        cell = documents.index(row, CONFIDENCE).data()
        assert cell == f"{scores[shown[row]]:.2f}"
    assert documents.index(5, CONFIDENCE).data() is None
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert not box.isChecked() and view.isColumnHidden(CONFIDENCE)
    assert [documents.document_id(r) for r in range(documents.rowCount())] == before
    # a header click ends the order too, and unticks
    with qtbot.waitSignal(order.ordered, timeout=60_000):
        box.click()
    header = view.horizontalHeader()
    title = QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert not box.isChecked() and view.isColumnHidden(CONFIDENCE)


def test_the_list_model_with_a_confidence_order(qtmodeltester, services) -> None:
    project = services.projects.get("Wire")
    model = DocumentListModel(services.documents)
    model.set_project(project)
    ids = [model.document_id(r) for r in range(model.rowCount())]
    model.set_confidence_order({ids[3]: 0.9, ids[1]: 0.6})
    assert [model.document_id(r) for r in range(3)] == [ids[1], ids[3], ids[0]]
    assert model.index(0, CONFIDENCE).data() == "0.60"
    qtmodeltester.check(model)


def test_model_settings_set_the_threshold_and_retraining(qtbot, window, services) -> None:
    project = services.projects.get("Wire")
    services.training.train(project, TINY)
    window.actions.model_settings_action.trigger()
    dialog = window.training.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.min_f1.value(), dialog.every.value()) == (0.5, 0)
    assert dialog.every.text() == "only when asked"
    dialog.min_f1.selectAll()
    qtbot.keyClicks(dialog.min_f1, "0")
    dialog.every.selectAll()
    qtbot.keyClicks(dialog.every, "25")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert services.training.policy(project) == TrainingPolicy(0.0, 25)
    label = window.training.panel.label
    assert label.text().startswith("Model v1 · ") and "(silent)" not in label.text()
    assert "after every 25 newly finished documents" in label.toolTip()
