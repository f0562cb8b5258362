"""The first-run checklist on the dashboard: each set-up step, done or to do, and a button for
the next thing to do. It hides itself once every step is done (services/setup.py says which).

A step the signed-in person's role may not do keeps its button, disabled, with a tooltip naming
the role that may (ui/widgets/permission.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.people import Actor
from desktop_app.services.setup import STEP_PERMISSIONS, SetupChecklist, SetupStepKind
from desktop_app.ui.i18n import tr
from desktop_app.ui.widgets.permission import REGISTER_PARTS, allow

DONE_COLOUR = "#2e7d32"
PENDING_COLOUR = "#8a5300"


class SetupChecklistWidget(QGroupBox):
    """Emits `action_requested(kind)` when a step's button is pressed."""

    action_requested = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_checklist")
        self.actor = actor
        self.checklist: SetupChecklist | None = None
        self.collapsed = False
        self.marks: dict[SetupStepKind, QLabel] = {}
        self.titles: dict[SetupStepKind, QLabel] = {}
        self.details: dict[SetupStepKind, QLabel] = {}
        self.buttons: dict[SetupStepKind, QPushButton] = {}
        self._build_ui()
        self.retranslate_ui()
        self.hide()  # until the steps are read

    def _build_ui(self) -> None:
        self.summary = QLabel(objectName="setup_summary", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.toggle_button = QPushButton(objectName="setup_toggle_button")
        self.toggle_button.setFlat(True)
        self.toggle_button.clicked.connect(self._on_toggle_button_clicked)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.toggle_button)
        self.steps_widget = QWidget(objectName="setup_steps")
        grid = QGridLayout(self.steps_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(2, 1)
        for row, kind in enumerate(SetupStepKind):
            mark = QLabel(objectName=f"setup_mark_{kind}")
            title = QLabel(objectName=f"setup_title_{kind}")
            bold = title.font()
            bold.setBold(True)
            title.setFont(bold)
            detail = QLabel(objectName=f"setup_detail_{kind}", wordWrap=True)
            detail.setTextFormat(Qt.TextFormat.PlainText)
            button = QPushButton(objectName=f"setup_button_{kind}")
            button.clicked.connect(lambda _=False, k=kind: self.action_requested.emit(str(k)))
            grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(title, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(detail, row, 2)
            grid.addWidget(button, row, 3, Qt.AlignmentFlag.AlignTop)
            self.marks[kind], self.titles[kind] = mark, title
            self.details[kind], self.buttons[kind] = detail, button
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.steps_widget)

    # -- showing ---------------------------------------------------------------------------

    def set_checklist(self, checklist: SetupChecklist) -> None:
        self.checklist = checklist
        self.setVisible(not checklist.complete)
        self._fill()

    def next_button(self) -> QPushButton | None:
        """The button of the first step still to do."""
        step = self.checklist.next_step if self.checklist else None
        return self.buttons[step.kind] if step else None

    def retranslate_ui(self) -> None:
        self.setTitle(tr("SetupChecklist", "Setting up this site"))
        titles = {
            SetupStepKind.PEOPLE: tr("SetupChecklist", "People"),
            SetupStepKind.REFERENCE_DATA: tr("SetupChecklist", "Suppliers and vehicle models"),
            SetupStepKind.PARTS: tr("SetupChecklist", "Parts"),
            SetupStepKind.SITE_KEY: tr("SetupChecklist", "This site's key"),
            SetupStepKind.PEERS: tr("SetupChecklist", "Other sites"),
        }
        buttons = {
            SetupStepKind.PEOPLE: tr("SetupChecklist", "Add a person…"),
            SetupStepKind.REFERENCE_DATA: tr("SetupChecklist", "Add suppliers and models…"),
            SetupStepKind.PARTS: tr("SetupChecklist", "Register a part…"),
            SetupStepKind.SITE_KEY: tr("SetupChecklist", "Save the key on the Sync page…"),
            SetupStepKind.PEERS: tr("SetupChecklist", "Enrol a site on the Sync page…"),
        }
        for kind in SetupStepKind:
            self.titles[kind].setText(titles[kind])
            self.buttons[kind].setText(buttons[kind])
        self._fill()

    def _detail(self, kind: SetupStepKind, done: bool, count: int) -> str:
        if kind is SetupStepKind.PEOPLE:
            return (tr("SetupChecklist", "Engineers who may register parts: {n}.").format(n=count)
                    if done else tr("SetupChecklist",
                                    "Only an engineer may register parts and record tests. "
                                    "Add the people who work here, with their roles."))
        if kind is SetupStepKind.REFERENCE_DATA:
            return (tr("SetupChecklist", "Suppliers and vehicle models: {n}.").format(n=count)
                    if done else tr("SetupChecklist",
                                    "Each part names its supplier and the vehicle models it "
                                    "goes into: add at least one of each."))
        if kind is SetupStepKind.PARTS:
            return (tr("SetupChecklist", "Parts registered: {n}.").format(n=count)
                    if done else tr("SetupChecklist",
                                    "Register the first part, or import a sheet of parts on "
                                    "the Parts page."))
        if kind is SetupStepKind.SITE_KEY:
            return (tr("SetupChecklist", "This site's public key was saved for the other "
                                         "sites.")
                    if done else tr("SetupChecklist",
                                    "Save this site's public key and read its fingerprint to "
                                    "the other sites, so they can trust its packages and "
                                    "certificates."))
        return (tr("SetupChecklist", "Other sites enrolled: {n}.").format(n=count)
                if done else tr("SetupChecklist",
                                "Enrol the key of each site you exchange packages with."))

    def _fill(self) -> None:
        checklist = self.checklist
        if checklist is None:
            return
        done = sum(1 for s in checklist.steps if s.done)
        self.summary.setText(tr("SetupChecklist", "Steps done: {done} of {total}.").format(
            done=done, total=len(checklist.steps)) + " " + (
            tr("SetupChecklist", "Next: {step}.").format(
                step=self.titles[checklist.next_step.kind].text())
            if checklist.next_step else ""))
        self.toggle_button.setText(tr("SetupChecklist", "Show the steps") if self.collapsed
                                   else tr("SetupChecklist", "Hide the steps"))
        self.steps_widget.setVisible(not self.collapsed)
        following = checklist.next_step
        for step in checklist.steps:
            kind = step.kind
            self.marks[kind].setText("✔" if step.done else "○")
            colour = DONE_COLOUR if step.done else PENDING_COLOUR
            self.marks[kind].setStyleSheet(f"color: {colour}; font-weight: bold;")
            self.marks[kind].setToolTip(tr("SetupChecklist", "Done") if step.done
                                        else tr("SetupChecklist", "To do"))
            self.details[kind].setText(self._detail(kind, step.done, step.count))
            button = self.buttons[kind]
            button.setVisible(not step.done)
            action = REGISTER_PARTS if kind is SetupStepKind.PARTS else None
            allow(button, self.actor, STEP_PERMISSIONS[kind], action)
            button.setDefault(following is not None and kind is following.kind)

    def _on_toggle_button_clicked(self) -> None:
        self.collapsed = not self.collapsed
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
