"""LoginDialog: server, database, user and password for a team database on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.services.workspace import Services

Connect = Callable[[str], Services]
_KEYS = ("server", "database", "user")  # remembered; the password never is


def _split(url: str | None) -> dict[str, str]:
    """Server, database and user named in a postgresql URL, as far as it names them."""
    if not url or "://" not in url:
        return {}
    parts = urlsplit(url)
    server = parts.hostname or ""
    if parts.port:
        server = f"{server}:{parts.port}"
    found = {
        "server": server,
        "database": parts.path.lstrip("/"),
        "user": unquote(parts.username or ""),
    }
    return {key: value for key, value in found.items() if value}


class LoginDialog(QDialog):
    """Logs in to a team database; what fails (wrong password, server unreachable, no project)
    is said in the dialog, which stays open to be put right. `services` is set on success."""

    def __init__(
        self,
        connect: Connect,
        settings: QSettings,
        url: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log in to a team database")
        self._connect = connect
        self._settings = settings
        self.services: Services | None = None
        given = _split(url)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for key, label in (
            ("server", "Server (host or host:port)"),
            ("database", "Database"),
            ("user", "User"),
            ("password", "Password"),
        ):
            edit = QLineEdit(self)
            edit.setObjectName(f"login_{key}")
            remembered = str(settings.value(f"team/{key}", "") or "") if key in _KEYS else ""
            edit.setText(given.get(key, remembered))
            self.fields[key] = edit
            form.addRow(label, edit)
        self.fields["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("login_error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log in")
        buttons.accepted.connect(self.log_in)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        empty = next((e for e in self.fields.values() if not e.text()), self.fields["password"])
        empty.setFocus()

    def url(self) -> str:
        """The database URL of the fields, password included (it is never stored)."""
        text = {key: edit.text().strip() for key, edit in self.fields.items()}
        password = self.fields["password"].text()
        auth = quote(text["user"], safe="")
        if password:
            auth += ":" + quote(password, safe="")
        return f"postgresql+psycopg://{auth}@{text['server']}/{quote(text['database'], safe='')}"

    def log_in(self) -> None:
        missing = [key for key in _KEYS if not self.fields[key].text().strip()]
        if missing:
            self._say(f"Give the {' and the '.join(missing)}.")
            return
        try:
            services = self._connect(self.url())
        except LabelerError as error:
            self._say(str(error))
            return
        try:
            me = services.team.identity()
            if me.is_account and not services.projects.list():
                services.close()
                self._say(
                    f"{me.name} is not a member of any project in this database; a lead "
                    f"adds you with: labeler team join {me.name} --project NAME"
                )
                return
        except LabelerError as error:
            services.close()
            self._say(str(error))
            return
        for key in _KEYS:
            self._settings.setValue(f"team/{key}", self.fields[key].text().strip())
        self.services = services
        self.accept()

    def _say(self, message: str) -> None:
        self.error_label.setText(" ".join(message.split()))
        self.error_label.show()
