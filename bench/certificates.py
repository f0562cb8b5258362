"""Benchmark of certificates: render 1,000 distinct signed certificates (QR code, seal) and
verify them, in the default bilingual layout; a sample in Arabic and Chinese.

    .venv/bin/python -m bench.certificates [--count 1000] [--sample 50]

Numbers (median, p95, per certificate; wall clock and this process's CPU time) go to
bench/results/certificates.json; nothing is asserted. The issue's target is a median of at most
30 ms per certificate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from desktop_app.documents.certificate_pdf import read_embedded, render_certificate
from desktop_app.domain.certificates import (
    CapabilityLine,
    CertificateData,
    EvidenceLine,
    SignatureLine,
    key_id,
    parse_payload,
    payload_signed_by,
    sign_payload,
)
from desktop_app.domain.keys import generate_private_key, public_key_hex, sign, verify_signature
from desktop_app.domain.revisions import sha256_hex

RESULTS = Path(__file__).resolve().parent / "results" / "certificates.json"


def certificate(i: int, key) -> CertificateData:
    data = CertificateData(
        number=f"CERT-MSR-2026-{i:04d}", site_code="MSR",
        site_name="Massar Composants Automobiles — Rouiba",
        supplier_name="Massar Composants Automobiles", supplier_code="MSR",
        customer="Jetour", vehicle_model="X70 Plus, Dashing", part_number=f"JX7-{5300000 + i}",
        designation=f"Renfort de pied milieu n° {i}", drawing_revision="C", kind="ppap",
        level=3, approval_type="PPAP level 3", reason="initial", reason_detail="",
        disposition="interim" if i % 7 == 0 else "approved",
        valid_until="2027-03-31" if i % 7 == 0 else "", quantity_limit="",
        action_plan="Reprise outil OP30" if i % 7 == 0 else "", deviations=(),
        evidence=tuple(EvidenceLine(str(e), f"TR-MSR-2026-{i:04d}-{e} Rapport d'essai",
                                    sha256_hex(f"{i}-{e}")) for e in (9, 10, 11, 12, 13)),
        capability=(CapabilityLine("1 Diamètre trou", "CC", "1.82", "acceptable"),
                    CapabilityLine("4 Épaisseur tôle", "SC", "1.45", "customer agreement")),
        signatures=(SignatureLine("Li Wei (李伟)", "Jetour SQE", "approved as PPAP level 3",
                                  "2026-11-26T10:00:00.000000Z", "r" * 64),),
        issued_on="2026-11-26", key_fingerprint="560C 341E 3EB8 F329 7555 0056 36D8 16E6 3A5C")
    return CertificateData(**{**{f: getattr(data, f) for f in CertificateData.__dataclass_fields__},
                              "payload": sign_payload(data, key)})


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2)}


def run(count: int, sample: int) -> dict[str, Any]:
    key = generate_private_key()
    public, kid = public_key_hex(key), key_id(public_key_hex(key))
    data = [certificate(i, key) for i in range(1, count + 1)]
    render_certificate(data[0], ("fr", "en"), kid, lambda d: sign(key, d))  # fonts registered
    render_times, cpu_times, verify_times, sizes = [], [], [], []
    for cert in data:
        start, cpu = time.perf_counter(), time.process_time()
        pdf = render_certificate(cert, ("fr", "en"), kid, lambda d: sign(key, d))
        render_times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        sizes.append(len(pdf))
        start = time.perf_counter()
        payload, seal, digest = read_embedded(pdf)
        parsed = parse_payload(payload)
        ok = (parsed is not None and payload_signed_by(parsed, public) and seal is not None
              and verify_signature(public, seal.signature, digest))
        verify_times.append(time.perf_counter() - start)
        if not ok:
            raise SystemExit(f"{cert.number} did not verify")
    result: dict[str, Any] = {
        "benchmark": "certificates", "count": count,
        "render_fr_en": _stats(render_times),
        # CPU time of this process: the wall clock above includes waits for a shared machine.
        "render_fr_en_cpu": _stats(cpu_times),
        "verify_file": _stats(verify_times),
        "pdf_kb_median": round(statistics.median(sizes) / 1024, 1),
        "target_median_ms": 30,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
    }
    for langs in (("ar",), ("zh",)):
        render_certificate(data[0], langs, kid, lambda d: sign(key, d))
        times = []
        for cert in data[:sample]:
            start = time.perf_counter()
            render_certificate(cert, langs, kid, lambda d: sign(key, d))
            times.append(time.perf_counter() - start)
        result[f"render_{langs[0]}"] = _stats(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=50)
    args = parser.parse_args()
    result = run(args.count, args.sample)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
