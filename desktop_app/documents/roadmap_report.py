"""The roadmap and integration status as a PDF for an inspection visit (reportlab).

French by default; any language whose translate function is passed. Text from the database is
escaped before it enters a paragraph; Arabic is shaped and the bundled fonts cover every language.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop_app.documents.fonts import draw_text, embed, fonts_for, paragraph, plain, shape
from desktop_app.documents.local_format import day, language_tag, number
from desktop_app.documents.roadmap_data import (
    CONTEXT,
    MILESTONE_COLUMNS,
    NO,
    SET_COLUMNS,
    YEAR_LABEL,
    YES,
    ReportModel,
    RoadmapReport,
    columns,
    pct,
)
from desktop_app.domain.integration import REASON_LABELS, SET_KIND_LABELS
from desktop_app.domain.milestones import MODEL_STATE_LABELS, ModelState
from desktop_app.domain.roadmap import APQP_PHASE_LABELS, STEP_STATUS_LABELS
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

STATE_COLOURS = {
    ModelState.ON_TRACK: colors.HexColor("#2E7D32"),
    ModelState.AT_RISK: colors.HexColor("#E65100"),
    ModelState.GRACE: colors.HexColor("#C62828"),
    ModelState.FROZEN: colors.HexColor("#4A148C"),
}
NEXT_MILESTONE = QT_TRANSLATE_NOOP("RoadmapReport",
                                   "{day} — at least {target} (forecast {forecast})")
# The steps table of the PDF: nine columns that fit a landscape page (the workbook keeps one
# column per field).
STEP_PDF_COLUMNS = (
    QT_TRANSLATE_NOOP("RoadmapReport", "Step"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Title"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Target"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Baseline / forecast"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Status"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Owner"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Components (APQP phase, volumes)"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Required evidence"),
    QT_TRANSLATE_NOOP("RoadmapReport", "Sign-offs"),
)
STEP_PDF_WIDTHS = (8, 14, 8, 9, 9, 9, 19, 12, 12)
DAYS_LATE = QT_TRANSLATE_NOOP("RoadmapReport", "{n} days late")
HEADER = colors.HexColor("#1F4E79")
LATE = colors.HexColor("#F8D7DA")
COUNTS = colors.HexColor("#D4EDDA")


class _Writer:
    def __init__(self, translate: Translate, language: str) -> None:
        self.translate = translate
        self.language = language
        regular, bold = fonts_for(language)
        self.rtl = language == "ar"
        self.base_dir = "R" if self.rtl else None
        align = 2 if self.rtl else 0
        self.body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11,
                                   alignment=align)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5)
        self.head = ParagraphStyle("head", parent=self.small, fontName=bold, textColor=colors.white)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=bold, fontSize=16, leading=20,
                                 spaceAfter=6)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=bold, fontSize=12, leading=15,
                                 spaceBefore=8, spaceAfter=4)
        self.font = regular

    def pct(self, value) -> str:
        """A rate as the document's language writes it ("4,5 %" in French, no line break
        before the sign)."""
        if value is None:
            return "—"
        return number(pct(value).removesuffix(" %"), self.language) + "\u00a0%"

    def day(self, value: date | None) -> str:
        return day(value, self.language)

    def t(self, text: str, context: str = CONTEXT) -> str:
        return self.translate(context, text)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Flowable:
        """Any text as a paragraph: wrapped in reading order, each line then put in display
        order (Arabic), every run in a font that has its glyphs (Chinese names)."""
        return paragraph(text, style or self.body, self.base_dir)

    def e(self, value: str) -> str:
        """A data value inside a translated sentence: keeps its own order in Arabic."""
        return embed(value) if self.rtl else value

    def row(self, cells: list) -> list:
        """Cells in reading order: the first column on the right in Arabic."""
        return list(reversed(cells)) if self.rtl else cells

    def table(self, header: list[str], rows: list[list[str]], widths: list[float],
              fills: list[colors.Color | None] | None = None) -> Table:
        data = [self.row([self.p(h, self.head) for h in header])]
        data += [self.row([self.p(str(c), self.small) for c in row]) for row in rows]
        table = Table(data, colWidths=self.row(list(widths)), repeatRows=1)
        style = [("FONTNAME", (0, 0), (-1, -1), self.font),  # not reportlab's Helvetica
                 ("BACKGROUND", (0, 0), (-1, 0), HEADER),
                 ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9E9E9E")),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for i, fill in enumerate(fills or [], start=1):
            if fill is not None:
                style.append(("BACKGROUND", (0, i), (-1, i), fill))
        table.setStyle(TableStyle(style))
        return table

    # -- parts of the report -------------------------------------------------------------------

    def model_section(self, m: ReportModel, width: float) -> list:
        t = self.t
        state = self.translate("Integration", MODEL_STATE_LABELS[m.state])
        n = m.next_milestone
        facts = [
            [t(QT_TRANSLATE_NOOP("RoadmapReport", "Approval date")), self.day(m.approval_date)],
            [t(QT_TRANSLATE_NOOP("RoadmapReport", "Integration rate")), self.pct(m.rate)],
            [t(QT_TRANSLATE_NOOP("RoadmapReport", "Reference list total")),
             self.pct(m.listed_total)],
            [t(QT_TRANSLATE_NOOP("RoadmapReport", "Next milestone")),
             t(NEXT_MILESTONE).format(
                 day=self.e(self.day(n.day)), target=self.e(self.pct(n.target)),
                 forecast=self.e(self.pct(n.forecast))) if n else "—"],
            [t(QT_TRANSLATE_NOOP("RoadmapReport", "State")),
             state + (" — " + t(QT_TRANSLATE_NOOP("RoadmapReport", "until {day}")).format(
                 day=self.e(self.day(m.grace_until))) if m.grace_until else "")],
        ]
        facts_table = Table([self.row([self.p(a), self.p(b)]) for a, b in facts],
                            colWidths=self.row([55 * mm, 95 * mm]))
        facts_table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9E9E9E")),
            ("BACKGROUND", (0, 4) if self.rtl else (1, 4), (0, 4) if self.rtl else (1, 4),
             STATE_COLOURS[m.state].clone(alpha=0.15))]))
        top = Table([self.row([facts_table, rate_drawing(m, self.font, t)])],
                    colWidths=self.row([155 * mm, width - 155 * mm]))
        top.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font)]))
        out: list = [self.p(f"{self.e(m.code)} — {self.e(m.name)}", self.h2), top]
        rows, fills = [], []
        for s in m.sets:
            rows.append([s.code, s.name, self.translate("Integration", SET_KIND_LABELS[s.kind]),
                         self.pct(s.rate), t(YES) if s.contribution > 0 else t(NO),
                         self.translate("Integration", REASON_LABELS[s.reason]), s.parts])
            fills.append(COUNTS if s.contribution > 0 else None)
        rows.append(["", t(QT_TRANSLATE_NOOP("RoadmapReport", "Integration rate")), "",
                     self.pct(m.rate), "", "", ""])
        fills.append(None)
        w = width / 100
        out += [Spacer(0, 4), self.table(columns(self.translate, SET_COLUMNS), rows,
                                         [w * 9, w * 22, w * 9, w * 10, w * 7, w * 25, w * 18],
                                         fills)]
        ms_rows = [[t(YEAR_LABEL).format(n=ms.years), self.day(ms.day), self.pct(ms.target),
                    self.pct(ms.actual), self.pct(ms.forecast)] for ms in m.milestones]
        out += [Spacer(0, 4), KeepTogether(self.table(
            columns(self.translate, MILESTONE_COLUMNS), ms_rows, [w * 20] * 5))]
        return out

    def steps_section(self, report: RoadmapReport, width: float) -> list:
        t = self.t
        rows, fills = [], []
        for s in report.steps:
            components = "\n".join(
                f"{c.name} — {self.translate('Roadmap', APQP_PHASE_LABELS[c.phase])}"
                + (f" — {c.volumes}" if c.volumes else "") for c in s.components)
            status = self.translate("Roadmap", STEP_STATUS_LABELS[s.status])
            if s.late:
                status += "\n" + t(DAYS_LATE).format(n=s.days_late)
            rows.append([f"{s.model_code}\n{s.code}", s.title,
                         f"{self.pct(s.target_rate)}\n{self.day(s.target_date)}",
                         f"{self.day(s.baseline_date)}\n{self.day(s.forecast_date)}",
                         status, s.owner, components, s.evidence, s.signoffs])
            fills.append(LATE if s.late else None)
        w = width / 100
        return [self.p(t(QT_TRANSLATE_NOOP("RoadmapReport", "Roadmap steps")), self.h2),
                self.table(columns(self.translate, STEP_PDF_COLUMNS), rows,
                           [w * x for x in STEP_PDF_WIDTHS], fills)]


def rate_drawing(m: ReportModel, font: str, t) -> Drawing:
    """A small chart: milestone targets as bars of a staircase and the rate today."""
    width, height = 90 * mm, 42 * mm
    d = Drawing(width, height, initialFontName=font)  # not the Helvetica default
    top = max([30.0] + [float(ms.target) for ms in m.milestones]
              + [float(ms.forecast) for ms in m.milestones] + [float(m.rate)]) * 1.15
    left, bottom, plot_w, plot_h = 12 * mm, 8 * mm, width - 16 * mm, height - 12 * mm
    if not m.milestones:
        return d
    first = m.approval_date or m.milestones[0].day
    last = m.milestones[-1].day
    span = max((last - first).days, 1) * 1.1

    def x(day: date) -> float:
        return left + plot_w * max(0.0, (day - first).days) / span

    def y(rate: float) -> float:
        return bottom + plot_h * rate / top

    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.grey))
    d.add(Line(left, bottom, left, bottom + plot_h, strokeColor=colors.grey))
    for tick in range(0, int(top) + 1, 10):
        d.add(String(left - 2, y(tick) - 2, f"{tick} %", fontName=font, fontSize=6,
                     textAnchor="end"))
    stairs = [(x(first), y(0))]
    for ms in m.milestones:
        stairs += [(x(ms.day), stairs[-1][1]), (x(ms.day), y(float(ms.target)))]
        d.add(String(x(ms.day), bottom - 7, str(ms.day.year), fontName=font, fontSize=6,
                     textAnchor="middle"))
    stairs.append((left + plot_w, stairs[-1][1]))
    d.add(PolyLine([c for point in stairs for c in point], strokeColor=colors.HexColor(
        "#C62828"), strokeWidth=1, strokeDashArray=[3, 2]))
    forecast = [(x(first), y(0))]
    for ms in m.milestones:
        forecast.append((x(ms.day), y(float(ms.forecast))))
    d.add(PolyLine([c for point in forecast for c in point], strokeColor=colors.HexColor(
        "#1565C0"), strokeWidth=1.2))
    d.add(String(left + 2, bottom + plot_h - 4, shape(t(QT_TRANSLATE_NOOP(
        "RoadmapReport", "red: regulatory minimum; blue: forecast"))), fontName=font,
        fontSize=6))
    return d


def write_pdf(report: RoadmapReport, path: Path, translate: Translate = untranslated,
              language: str = "fr") -> Path:
    writer = _Writer(translate, language)
    t = writer.t
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    page = landscape(A4)
    situation = t(QT_TRANSLATE_NOOP(
        "RoadmapReport", "Site: {site} — situation on {day} — printed {at}")).format(
        site=writer.e(report.site), day=writer.e(writer.day(report.day)),
        at=writer.e(report.generated_at))
    doc = SimpleDocTemplate(str(tmp), pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm,
                            title=t(QT_TRANSLATE_NOOP("RoadmapReport",
                                                      "Integration rate and roadmap")),
                            subject=plain(situation), creator="PartDesk",
                            lang=language_tag(language),
                            initialFontName=writer.font)  # every font embedded
    width = page[0] - 24 * mm
    story: list = [
        writer.p(t(QT_TRANSLATE_NOOP("RoadmapReport", "Integration rate and roadmap")),
                 writer.h1),
        writer.p(situation),
        writer.p(t(QT_TRANSLATE_NOOP(
            "RoadmapReport", "Rates follow the reference list of each model (order of 18 "
            "October 2023); milestones per decree 22-384 art. 5 as configured; a missed "
            "milestone opens 12 months with the supply programme cut by 25 %, then a freeze "
            "(decree 24-159 art. 30)."))),
    ]
    for i, model in enumerate(report.models):
        if i:
            story.append(PageBreak())
        story += writer.model_section(model, width)
    if report.steps:
        story += [PageBreak(), *writer.steps_section(report, width)]

    def footer(canvas, document) -> None:
        canvas.saveState()
        draw_text(canvas, page[0] - 12 * mm, 6 * mm, t(QT_TRANSLATE_NOOP(
            "RoadmapReport", "Page {n}")).format(n=document.page), writer.font, 7, "end")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    tmp.replace(path)
    return path
