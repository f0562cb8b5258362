"""The demo's evidence: gauges with one overdue, reports that pass, fail and sit in the customer
agreement band, a correction, and real files that verify."""

from __future__ import annotations

import pytest

from desktop_app.demo import Demo
from desktop_app.demo import evidence as evidence_step
from desktop_app.demo import parts as parts_step
from desktop_app.demo import people as people_step
from desktop_app.demo.people import DEMO_PASSWORDS
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.integrity import IntegrityService


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = DataFolder(tmp_path_factory.mktemp("demo") / "data")
    folder.root.mkdir()
    ctx = open_context(folder)
    demo = Demo(ctx=ctx, passwords=dict(DEMO_PASSWORDS))
    for step in (people_step, parts_step, evidence_step):
        step.build(demo)
    yield demo
    ctx.close()


def test_demo_evidence(demo):
    ctx, refs = demo.ctx, demo.refs["evidence"]
    queries = EvidenceQueries(ctx)
    assert [g.code for g in queries.gauges() if g.overdue] == ["DUR-02"]
    traverse, disc, bolt = (refs["parts"][n] for n in evidence_step.PARTS_IN_DEMO)
    verdicts = {r.number: r.verdict for p in (traverse, disc, bolt)
                for r in queries.reports(p)}
    numbers = refs["reports"]
    assert verdicts[numbers["traverse_dim"]] == "pass"
    assert verdicts[numbers["disc_dim"]] == "fail"
    assert verdicts[numbers["bolt_salt_spray"]] == "pass"
    capability = {c.number: c for c in queries.special_capability(traverse)}
    assert capability["1"].band == "customer_agreement" and capability["1"].n == 100
    assert capability["4"].band == "acceptable"
    # What the capability report concludes is all the study finds: a stable process with normal
    # readings, the hole needing the customer's agreement, the thickness meeting the criterion.
    assert capability["1"].codes == ("customer_agreement",)
    assert capability["4"].codes == ("meets",)
    assert {c.band for c in queries.special_capability(disc) if c.n >= 30} == {"not_acceptable"}
    corrected = queries.report_by_number(numbers["disc_dim_first"]).summary
    assert corrected.superseded_by == refs["report_ids"]["disc_dim"]
    assert any(not g.in_calibration for g in queries.gauge_checks(disc))
    files = {a.content_type for p in (traverse, disc, bolt) for a in queries.attachments(p)}
    assert files == {"application/pdf", "image/png", "text/csv"}
    assert IntegrityService(ctx).verify() == []
