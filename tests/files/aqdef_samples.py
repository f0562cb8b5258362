"""AQDEF files written by hand from the format description, as text: three characteristics (a
two-sided hole diameter, a one-sided flatness, an OK / NG attribute) with ten readings each,
dated and signed, in the K-field form (K0001/1 …) and in the compact form of value lines."""

from __future__ import annotations

FIELD = "\x14"  # between the fields of one characteristic in a line of values
CHAR = "\x0f"  # between characteristics

DESCRIPTION = """K0100 3
K1001 JT-5801
K1002 Traverse avant
K2001/1 1
K2002/1 Hole diameter
K2101/1 12
K2110/1 11.9
K2111/1 12.1
K2142/1 mm
K2001/2 2
K2002/2 Flange flatness
K2111/2 0,05
K2142/2 mm
K2001/3 3
K2002/3 Burr-free edge
K2004/3 1
K8500/1 5
K2998/1 proprietary settings
"""

HOLE = ["12.00", "12.02", "11.98", "12.01", "11.99", "12.03", "11.97", "12.00", "12.02", "11.99"]
FLATNESS = ["0.010", "0.021", "0.032", "0.015", "0.040", "0.012", "0.018", "0.030", "0.025",
            "0.011"]
BURRS = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]  # the fourth part has a burr
OPERATORS = ["A. Benali", "K. Haddad"]


def when(i: int) -> str:
    return f"13.05.2025/08:{5 * i:02d}:00"


def operator(i: int) -> str:
    return OPERATORS[i % 2]


def k_field_values() -> str:
    lines = []
    for i in range(10):
        lines += [f"K0001/1 {HOLE[i]}", f"K0004/1 {when(i)}", f"K0008/1 {operator(i)}",
                  f"K0001/2 {FLATNESS[i]}", f"K0004/2 {when(i)}", f"K0008/2 {operator(i)}",
                  f"K0001/3 {BURRS[i]}", f"K0004/3 {when(i)}", f"K0008/3 {operator(i)}"]
    return "\n".join(lines) + "\n"


def compact_values() -> str:
    """value, attribute, date, events, batch, nest, operator; for the attribute characteristic
    parts checked, nonconforming, -, attribute, date, events, batch, nest, operator."""
    lines = []
    for i in range(10):
        tail = FIELD.join([when(i), "", "", "", operator(i)])
        lines.append(CHAR.join([
            FIELD.join([HOLE[i], "0", tail]),
            FIELD.join([FLATNESS[i], "0", tail]),
            FIELD.join(["1", str(BURRS[i]), "", "0", tail]),
        ]))
    return "\r\n".join(lines) + "\r\n"


def dfq_k_fields() -> str:
    return DESCRIPTION + k_field_values()


def dfq_compact() -> str:
    return (DESCRIPTION + compact_values()).replace("\n", "\r\n").replace("\r\r\n", "\r\n")
