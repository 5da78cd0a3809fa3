"""The table ``bench/run.sh`` ends with: each portal page against the ceiling and the peer.

    python3 bench/summary.py RESULTS_DIR PORTAL_HOME PORTAL_LIST PORTAL_LIST_500 PORTAL_ARTICLE \
        -- PEER_HOME PEER_LIST PEER_LIST_500 PEER_ARTICLE

Reads the ``load.sh`` outputs ``ceiling.txt``, ``peer.txt``, ``portal.txt`` (pages cached) and
``portal-cold.txt`` (page cache off) in RESULTS_DIR; prints one table for each portal run.
The portal pages given before ``--`` are compared with the peer pages after it, in order.
"""

import sys
from pathlib import Path

COLUMNS = ["req/s", "p50_ms", "p99_ms", "non2xx", "sock_err", "other_cpu", "cpu_ref_ms"]


def rows(path):
    """{page: {column: value}} and the worker memory line of one load.sh output."""
    table, memory = {}, ""
    for line in Path(path).read_text().splitlines():
        if line.startswith("# worker peak RSS"):
            memory = line.split(":", 1)[1].strip()
        if line.startswith("#") or line.startswith("path "):
            continue
        fields = line.split()
        if len(fields) == len(COLUMNS) + 1:
            table[fields[0]] = dict(zip(COLUMNS, fields[1:], strict=True))
    return table, memory


def number(value):
    try:
        return float(value)
    except ValueError:
        return None


def main(argv):
    results = Path(argv[0])
    split = argv.index("--")
    pairs = dict(zip(argv[1:split], argv[split + 1 :], strict=False))
    ceiling, _memory = rows(results / "ceiling.txt")
    peer, peer_memory = rows(results / "peer.txt")
    top = number(ceiling.get("/fixed/", {}).get("req/s", "")) or None
    print(f"ceiling /fixed/: {top or 'FAIL'} req/s")
    for name, title in (("portal.txt", "pages cached"), ("portal-cold.txt", "page cache off")):
        if (results / name).exists():
            print(f"\nportal, {title}:")
            table(rows(results / name), top, peer, pairs)
    print(f"peer worker peak RSS (MiB): {peer_memory}")


def table(portal_rows, top, peer, pairs):
    portal, portal_memory = portal_rows
    header = ["page", "req/s", "p50_ms", "p99_ms", "errors", "of ceiling", "peer req/s", "×peer"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for page, row in portal.items():
        rps = number(row["req/s"])
        errors = int(number(row["non2xx"]) or 0) + int(number(row["sock_err"]) or 0)
        share = f"{100 * rps / top:.1f}%" if rps and top else "-"
        peer_row = peer.get(pairs.get(page, ""), {})
        peer_rps = number(peer_row.get("req/s", ""))
        ratio = f"{rps / peer_rps:.2f}" if rps and peer_rps else "-"
        cells = [page, row["req/s"], row["p50_ms"], row["p99_ms"], str(errors), share]
        print("| " + " | ".join([*cells, peer_row.get("req/s", "-"), ratio]) + " |")
    print(f"worker peak RSS (MiB): {portal_memory}")


if __name__ == "__main__":
    main(sys.argv[1:])
