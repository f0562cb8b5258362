"""`partdesk msa record|show`: measurement system analysis studies of a gauge (PPAP element 8).

    partdesk msa record --gauge MIC-014 --file grr.csv --tolerance 0.16 --by "K. Ouali"
    partdesk msa record --gauge TAM-10.5 --file go-nogo.xlsx       # OK / NG with a reference
    partdesk msa show --gauge MIC-014 [--json]

The sheet has one row per reading: operator, part, trial, value (a number for a gauge R&R; OK /
NG for an attribute agreement study, with the part's reference decision in a reference column).
`show` exits 1 when the gauge has no valid study or its latest one is unacceptable.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.cli.evidence import resolve_part
from desktop_app.domain.errors import NotFound
from desktop_app.domain.msa import (
    MSA_KIND_LABELS,
    MSA_VERDICT_LABELS,
    SOURCE_LABELS,
    AnovaRow,
    GaugeRR,
    MsaKind,
    MsaVerdict,
)
from desktop_app.domain.msa_attribute import AttributeAgreement, kappa_shown
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.msa import MsaService, MsaStudyDetail, MsaStudyInfo


def register(sub: Any) -> None:
    msa = sub.add_parser("msa", help="Measurement system analysis studies of gauges (PPAP "
                                     "element 8): gauge R&R and attribute agreement.")
    inner = msa.add_subparsers(dest="msa_command", metavar="ACTION", required=True)
    p = command(inner, "record", cmd_record,
                "Record a study of a gauge from a CSV or Excel sheet (operator, part, trial, "
                "value; a reference column for OK / NG).")
    p.add_argument("--gauge", required=True, metavar="CODE", help="the gauge, e.g. MIC-014")
    p.add_argument("--file", required=True, type=Path, metavar="FILE", help="the readings")
    p.add_argument("--tolerance", default="", metavar="T",
                   help="USL - LSL, for %%GRR of the tolerance (default: the characteristic's)")
    p.add_argument("--kind", choices=[k.value for k in MsaKind], default="",
                   help="default: told by the first value (a number, or OK / NG)")
    p.add_argument("--date", default="", metavar="YYYY-MM-DD", help="the study's date "
                                                                    "(default: today)")
    p.add_argument("--by", default="", metavar="NAME",
                   help="who ran the study (default: the person signed in)")
    p.add_argument("--part", default="", help="the part whose characteristic the study is for")
    p.add_argument("--revision", default="", help="drawing revision (default: the latest)")
    p.add_argument("--characteristic", default="", metavar="NUMBER",
                   help="the characteristic's number on the drawing (with --part)")
    p.add_argument("--note", default="")
    p = command(inner, "show", cmd_show,
                "The studies of a gauge, newest first, and the latest one in full "
                "(exit 1: none valid, or the latest unacceptable).")
    p.add_argument("--gauge", required=True, metavar="CODE")


def _characteristic(cli: Cli, args: argparse.Namespace) -> str:
    if not args.characteristic and not args.part:
        return ""
    ctx = cli.initialised_context()
    part_id = resolve_part(ctx, args.part, args.revision) if args.part else ""
    for char in EvidenceQueries(ctx).characteristics(part_id) if part_id else []:
        if char.number.strip() == args.characteristic.strip():
            return char.characteristic_id
    raise NotFound(what="Characteristic", key=f"{args.part} #{args.characteristic}")


def cmd_record(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    msa = MsaService(cli.initialised_context())
    info = msa.record_sheet(actor, msa.gauge_id(args.gauge), args.file, kind=args.kind,
                            tolerance=args.tolerance, studied_on=args.date,
                            conducted_by=args.by, characteristic_id=_characteristic(cli, args),
                            note=args.note)
    detail = msa.study(actor, info.study_id)
    lines = [cli.tr("MSA study of {gauge} recorded: {figures}").format(
        gauge=printable(info.gauge_code), figures=_figures(cli, info))]
    lines += [f"  {printable(n)}" for n in _notes(cli, detail)]
    cli.out({**info.to_json(), "notes": _notes(cli, detail)}, "\n".join(lines))
    return 0


def cmd_show(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    msa = MsaService(cli.initialised_context(write=False))
    studies = msa.studies_of_gauge(actor, msa.gauge_id(args.gauge))
    valid = [s for s in studies if s.valid]
    latest = msa.study(actor, valid[0].study_id) if valid else None
    lines = [f"{s.studied_on}  {_figures(cli, s)}  {printable(s.conducted_by)}"
             + (f"  {printable(s.characteristic_number and '#' + s.characteristic_number)}"
                if s.characteristic_number else "")
             + ("  ⚠" if s.conflict else "")
             + (f"\n    {cli.tr('invalid')}: {printable(s.problem)}" if not s.valid else "")
             for s in studies]
    if not studies:
        lines.append(cli.tr("No MSA study of this gauge."))
    if latest is not None:
        lines += ["", cli.tr("Latest study ({date}):").format(date=latest.info.studied_on)]
        lines += [f"  {line}" for line in _result_lines(cli, latest)]
    data = {"gauge": args.gauge.strip().upper(), "studies": [s.to_json() for s in studies],
            "latest": _result_json(cli, latest) if latest is not None else None}
    cli.out(data, "\n".join(lines))
    return 0 if valid and valid[0].verdict != MsaVerdict.UNACCEPTABLE else 1


def _verdict(cli: Cli, verdict: str) -> str:
    try:
        return cli.tr(MSA_VERDICT_LABELS[MsaVerdict(verdict)], "Evidence")
    except ValueError:
        return cli.tr("invalid")


def _figures(cli: Cli, s: MsaStudyInfo) -> str:
    shape = f"{s.operators}×{s.parts}×{s.trials}"
    kind = cli.tr(MSA_KIND_LABELS[MsaKind(s.kind)], "Evidence") if s.kind in tuple(
        MsaKind) else printable(s.kind)
    if not s.valid:
        return f"{kind}: {_verdict(cli, s.verdict)}"
    if s.kind == MsaKind.ATTRIBUTE:
        text = cli.tr("{kind} {shape}; effectiveness {effectiveness} %, miss rate {miss} %, "
                      "false alarm rate {false_alarm} %, kappa {kappa}: {verdict}").format(
            kind=kind, shape=shape, effectiveness=s.effectiveness, miss=s.miss_rate,
            false_alarm=s.false_alarm_rate, kappa=s.kappa or "—",
            verdict=_verdict(cli, s.verdict))
    else:
        text = cli.tr("{kind} {shape}; %GRR {grr} % of the total variation, {tolerance} % of "
                      "the tolerance, ndc {ndc}: {verdict}").format(
            kind=kind, shape=shape, grr=s.pct_grr, tolerance=s.pct_grr_tolerance or "—",
            ndc=s.ndc, verdict=_verdict(cli, s.verdict))
    return text


def _notes(cli: Cli, detail: MsaStudyDetail) -> list[str]:
    if detail.result is None:
        return []
    return [note.text(lambda context, text: cli.tr(text, context))
            for note in detail.result.notes]


def _number(value: float | None, places: int) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _anova_lines(cli: Cli, rows: tuple[AnovaRow, ...]) -> list[str]:
    out = [f"{cli.tr('Source'):<28}{'df':>5}{'SS':>12}{'MS':>12}{'F':>10}{'p':>8}"]
    for row in rows:
        out.append(f"{cli.tr(SOURCE_LABELS[row.source], 'Evidence'):<28}{row.df:>5}"
                   f"{row.ss:>12.5f}{_number(row.ms, 5):>12}{_number(row.f, 2):>10}"
                   f"{_number(row.p, 3):>8}")
    return out


def _result_lines(cli: Cli, detail: MsaStudyDetail) -> list[str]:
    result = detail.result
    lines: list[str] = []
    if isinstance(result, GaugeRR):
        lines += _anova_lines(cli, result.anova)
        if result.pooled:
            lines += ["", cli.tr("Without the interaction (pooled):")]
            lines += _anova_lines(cli, result.pooled)
        lines += ["", (f"EV {result.ev:.5f}  AV {result.av:.5f}  GRR {result.grr:.5f}  "
                       f"PV {result.pv:.5f}  TV {result.tv:.5f}"),
                  (f"%EV {result.pct_ev}  %AV {result.pct_av}  %GRR {result.pct_grr}  "
                   f"%PV {result.pct_pv}")
                  + (cli.tr("  %GRR of the tolerance {value}").format(
                      value=result.pct_grr_tolerance) if result.tolerance is not None else "")
                  + f"  ndc {result.ndc}"]
    elif isinstance(result, AttributeAgreement):
        lines.append(cli.tr("Appraiser  within  vs reference  kappa  miss  false alarm"))
        for a in result.appraisers:
            lines.append(f"{printable(a.operator):<10} {a.within:>6} % {a.effectiveness:>10} % "
                         f"{kappa_shown(a.kappa) or '—'!s:>6} {a.miss_rate:>5} % "
                         f"{a.false_alarm_rate:>6} %")
        lines.append(cli.tr("Between appraisers {between} %, all vs reference {all} %").format(
            between=result.between, all=result.all_vs_reference))
        lines += [f"kappa {printable(p.first)} × {printable(p.second)}: "
                  f"{kappa_shown(p.kappa) or '—'}" for p in result.pairs]
    lines += [printable(n) for n in _notes(cli, detail)]
    return lines


def _result_json(cli: Cli, detail: MsaStudyDetail) -> dict[str, Any]:
    result = detail.result
    data: dict[str, Any] = {"study": detail.info.to_json(), "notes": _notes(cli, detail)}
    if isinstance(result, GaugeRR):
        def rows(table: tuple[AnovaRow, ...]) -> list[dict[str, Any]]:
            return [{"source": str(r.source), "df": r.df, "ss": r.ss, "ms": r.ms, "f": r.f,
                     "p": r.p} for r in table]

        data.update(anova=rows(result.anova), anova_pooled=rows(result.pooled),
                    ev=result.ev, av=result.av, grr=result.grr, pv=result.pv, tv=result.tv,
                    variances={"repeatability": result.variances.repeatability,
                               "operator": result.variances.operator,
                               "interaction": result.variances.interaction,
                               "part": result.variances.part})
    elif isinstance(result, AttributeAgreement):
        data.update(appraisers=[{
            "operator": a.operator, "within": str(a.within),
            "effectiveness": str(a.effectiveness), "kappa": a.kappa,
            "miss_rate": str(a.miss_rate), "false_alarm_rate": str(a.false_alarm_rate),
            "verdict": str(a.verdict)} for a in result.appraisers],
            between=str(result.between), all_vs_reference=str(result.all_vs_reference),
            pairs=[{"first": p.first, "second": p.second, "kappa": p.kappa}
                   for p in result.pairs])
    return data
