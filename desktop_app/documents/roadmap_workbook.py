"""The roadmap and integration status as an Excel workbook: one sheet per subject, formatted.

Every table has its header row frozen and a filter; rates are stored as fractions (0.05 for 5 %)
with a percent number format, so Excel shows and computes them as percentages. Text that Excel
would run as a formula is kept a text cell with Excel's quote prefix (shown as written, never run).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.documents.roadmap_data import (
    CONTEXT,
    MILESTONE_COLUMNS,
    NO,
    SET_COLUMNS,
    STEP_COLUMNS,
    YEAR_LABEL,
    YES,
    RoadmapReport,
    columns,
)
from desktop_app.domain.integration import REASON_LABELS, SET_KIND_LABELS
from desktop_app.domain.milestones import MODEL_STATE_LABELS
from desktop_app.domain.roadmap import APQP_PHASE_LABELS, STEP_STATUS_LABELS
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LATE_FILL = PatternFill("solid", fgColor="F8D7DA")
COUNT_FILL = PatternFill("solid", fgColor="D4EDDA")
PERCENT = "0.0#%"  # a fraction shown as a percentage: 0.045 -> 4.5%, 0.1 -> 10.0%
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write a value; text a spreadsheet would run as a formula stays text (Excel injection)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _fraction(rate: Decimal | None) -> Decimal | None:
    """A rate in percent (5 for 5 %) as the fraction a percent format expects."""
    return None if rate is None else rate / 100


def _filter(sheet: Worksheet, columns: int, first_row: int, last_row: int) -> None:
    sheet.auto_filter.ref = (f"A{first_row}:{get_column_letter(columns)}"
                             f"{max(first_row, last_row)}")


def _header(sheet: Worksheet, titles: list[str], row: int = 1) -> None:
    for col, title in enumerate(titles, start=1):
        cell = _put(sheet, row, col, title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def write_workbook(report: RoadmapReport, path: Path,
                   translate: Translate = untranslated) -> Path:
    def t(text: str) -> str:
        return translate(CONTEXT, text)

    book = Workbook()
    summary = book.active
    summary.title = t(QT_TRANSLATE_NOOP("RoadmapReport", "Summary"))[:31]
    _header(summary, [t(QT_TRANSLATE_NOOP("RoadmapReport", "Model")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "Approval date")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "Integration rate")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "Reference list total")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "Next milestone")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "Target")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "Forecast")),
                      t(QT_TRANSLATE_NOOP("RoadmapReport", "State"))])
    for row, m in enumerate(report.models, start=2):
        n = m.next_milestone
        values: list[object] = [f"{m.code} — {m.name}", m.approval_date, _fraction(m.rate),
                  _fraction(m.listed_total), n.day if n else None,
                  _fraction(n.target) if n else None, _fraction(n.forecast) if n else None,
                  translate("Integration", MODEL_STATE_LABELS[m.state])]
        for col, value in enumerate(values, start=1):
            cell = _put(summary, row, col, value)
            if col in (3, 4, 6, 7):
                cell.number_format = PERCENT
            if col in (2, 5):
                cell.number_format = "yyyy-mm-dd"
    _widths(summary, [34, 14, 16, 18, 16, 10, 10, 30])
    summary.freeze_panes = "A2"
    _filter(summary, 8, 1, len(report.models) + 1)

    for m in report.models:
        sheet = book.create_sheet(m.code[:31])
        _header(sheet, columns(translate, SET_COLUMNS))
        for row, s in enumerate(m.sets, start=2):
            values = [s.code, s.name, translate("Integration", SET_KIND_LABELS[s.kind]),
                      _fraction(s.rate), t(YES) if s.contribution > 0 else t(NO),
                      translate("Integration", REASON_LABELS[s.reason]), s.parts]
            for col, value in enumerate(values, start=1):
                cell = _put(sheet, row, col, value)
                if col == 4:
                    cell.number_format = PERCENT
                if s.contribution > 0:
                    cell.fill = COUNT_FILL
        total_row = len(m.sets) + 2
        _filter(sheet, len(SET_COLUMNS), 1, total_row - 1)
        _put(sheet, total_row, 2, t(QT_TRANSLATE_NOOP(
            "RoadmapReport", "Integration rate"))).font = Font(bold=True)
        rate = sheet.cell(row=total_row, column=4, value=_fraction(m.rate))
        rate.number_format = PERCENT
        rate.font = Font(bold=True)
        start = total_row + 2
        _header(sheet, columns(translate, MILESTONE_COLUMNS), start)
        for row, ms in enumerate(m.milestones, start=start + 1):
            values = [t(YEAR_LABEL).format(n=ms.years), ms.day, _fraction(ms.target),
                      _fraction(ms.actual), _fraction(ms.forecast)]
            for col, value in enumerate(values, start=1):
                cell = _put(sheet, row, col, value)
                cell.number_format = "yyyy-mm-dd" if col == 2 else PERCENT
        _widths(sheet, [14, 36, 14, 14, 10, 44, 30])
        sheet.freeze_panes = "A2"

    steps = book.create_sheet(t(QT_TRANSLATE_NOOP("RoadmapReport", "Roadmap"))[:31])
    _header(steps, columns(translate, STEP_COLUMNS))
    for row, step in enumerate(report.steps, start=2):
        components = "\n".join(
            f"{c.name} — {translate('Roadmap', APQP_PHASE_LABELS[c.phase])}"
            + (f" — {c.volumes}" if c.volumes else "") for c in step.components)
        cells: list[object] = [
            step.model_code, step.code, step.title, _fraction(step.target_rate), step.target_date,
            step.baseline_date, step.forecast_date,
            translate("Roadmap", STEP_STATUS_LABELS[step.status]),
            step.days_late if step.late else None, step.owner, components, step.evidence,
            step.signoffs]
        for col, value in enumerate(cells, start=1):
            cell = _put(steps, row, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col == 4:
                cell.number_format = PERCENT
            if col in (5, 6, 7):
                cell.number_format = "yyyy-mm-dd"
            if step.late:
                cell.fill = LATE_FILL
    _widths(steps, [8, 10, 36, 10, 12, 12, 12, 12, 10, 18, 50, 30, 36])
    steps.freeze_panes = "C2"
    _filter(steps, len(STEP_COLUMNS), 1, len(report.steps) + 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    book.save(tmp)
    tmp.replace(path)
    return path
