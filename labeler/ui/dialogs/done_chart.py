"""DonePerDayChart: a small bar chart of the documents marked done on each recent day."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from labeler.domain.team import DoneOnDay


class DonePerDayChart(QWidget):
    """One bar per day of the last `days` (today last), as high as the sets done that day;
    the count over each bar, the day under it, who did them in the bar's tooltip."""

    def __init__(self, days: int = 14, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("donePerDayChart")
        self._days = days
        self._bars: list[tuple[dt.date, int, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_days([], dt.date.today())

    def sizeHint(self) -> QSize:
        return QSize(420, 120)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 110)

    def set_days(self, done: list[DoneOnDay], today: dt.date) -> None:
        """Shows these counts on the last days up to `today` (days without any count 0)."""
        by_day = {d.day: d for d in done}
        self._bars = []
        for back in range(self._days - 1, -1, -1):
            day = today - dt.timedelta(days=back)
            found = by_day.get(day)
            who = ", ".join(f"{name} {n}" for name, n in found.by_annotator) if found else ""
            self._bars.append((day, found.done if found else 0, who))
        self.update()

    def bars(self) -> list[tuple[dt.date, int]]:
        """The days shown and their counts, oldest first."""
        return [(day, count) for day, count, _ in self._bars]

    def _geometry(self) -> list[QRectF]:
        text_height = self.fontMetrics().height()
        top, bottom = text_height + 2, self.height() - text_height - 4
        width = self.width() / max(1, len(self._bars))
        highest = max((count for _, count, _ in self._bars), default=0) or 1
        rects = []
        for i, (_, count, _) in enumerate(self._bars):
            height = (bottom - top) * count / highest
            rects.append(QRectF(i * width + 3, bottom - height, max(1.0, width - 6), height))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_height = self.fontMetrics().height()
        baseline = self.height() - text_height - 4
        painter.setPen(palette.mid().color())
        painter.drawLine(0, baseline, self.width(), baseline)
        width = self.width() / max(1, len(self._bars))
        label_width = self.fontMetrics().horizontalAdvance("00 May") + 8
        stride = max(1, math.ceil(label_width / width)) if width else 1
        last = len(self._bars) - 1
        for i, ((day, count, _), rect) in enumerate(zip(self._bars, self._geometry(), strict=True)):
            painter.fillRect(rect, palette.highlight())
            painter.setPen(palette.text().color())
            if count:
                above = QRectF(
                    rect.left() - 4, rect.top() - text_height - 1, rect.width() + 8, text_height
                )
                painter.drawText(above, Qt.AlignmentFlag.AlignCenter, str(count))
            if (last - i) % stride == 0:  # counted back from today, so today has its date
                centre = (i + 0.5) * width
                left = min(max(0.0, centre - label_width / 2), self.width() - label_width)
                under = QRectF(left, baseline + 2, label_width, text_height)
                painter.drawText(under, Qt.AlignmentFlag.AlignCenter, day.strftime("%d %b"))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent):
            width = self.width() / max(1, len(self._bars))
            index = int(event.pos().x() // width) if width else -1
            if 0 <= index < len(self._bars):
                QToolTip.showText(event.globalPos(), self.tip(index), self)
                return True
        return super().event(event)

    def tip(self, index: int) -> str:
        """The tooltip of a bar: its day, its count and who."""
        day, count, who = self._bars[index]
        noun = "document" if count == 1 else "documents"
        return f"{day.isoformat()}: {count} {noun} done" + (f" ({who})" if who else "")
