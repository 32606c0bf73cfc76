#!/usr/bin/env python3
"""How well the directory's search answers what workers type: recall at 5 and mean
reciprocal rank over the queries of bench/data/search_quality.yaml, against the demo
directories of Schaerbeek and Tournai.

    python3 platform/dev.py services start
    .venv/bin/python bench/search_quality.py [-v]

Works in a throwaway database (maillage_bench_search_quality, or MAILLAGE_BENCH_DB),
dropped at the end. Each query goes through `directory.selectors.directory_search` with
no filter, as the directory page and the API send it. Recall at 5: the share of the
expected offers among the first five results, averaged over the queries; reciprocal rank:
1 / the rank of the first expected offer (0 when none is in the first 50). -v prints
every query; otherwise only those not answered in full.
"""

import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import configure, throwaway_database  # noqa: E402  (bench/ is the script folder)

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench_search_quality"))
QUERIES = Path(__file__).resolve().parent / "data" / "search_quality.yaml"
TOP = 5
DEPTH = 50
SITES = {
    "schaerbeek": ("Schaerbeek", "brussels", ("Schaerbeek", "21015"), "VIA — BAPA Schaerbeek", "bapa"),
    "tournai": ("Tournai", "wallonia", ("Tournai", "57081"), "Plateforme associative tournaisienne", "association"),
}
TARGET_RECALL = 0.9
TARGET_MRR = 0.75


@dataclass(frozen=True)
class Case:
    q: str
    site: str
    kind: str
    domain: str
    expect: list[str]


def read_cases() -> list[Case]:
    cases = [Case(**raw) for raw in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]
    for case in cases:
        if case.site not in SITES or not case.expect:
            raise SystemExit(f"{QUERIES}: {case.q!r}: unknown site or nothing expected")
    return cases


def provision(slug: str):
    from demo.directory import load_directory_demo
    from maillage.actor import Actor
    from members.provisioning import CommuneInput, provision_coordination

    name, region, (commune, nis), lead, kind = SITES[slug]
    coordination = provision_coordination(
        actor=Actor.system(),
        name=name,
        slug=slug,
        region=region,
        communes=[CommuneInput(commune, nis)],
        lead_organisation_name=lead,
        lead_organisation_kind=kind,
        coordinator_email=f"coordinator@{slug}.bench",
        coordinator_password="a-long-bench-password",
    )
    load_directory_demo(coordination)
    return coordination


def evaluate(cases: list[Case], verbose: bool) -> tuple[float, float]:
    from django_tenants.utils import schema_context

    from directory.models import Offer
    from directory.selectors import OfferFilters, directory_search
    from maillage.actor import Actor

    coordinations = {slug: provision(slug) for slug in SITES}
    recalls, reciprocal_ranks, by_kind = [], [], {}
    for case in cases:
        coordination = coordinations[case.site]
        with schema_context(coordination.schema_name):
            titles = set(Offer.objects.values_list("title", flat=True))
            missing = [title for title in case.expect if title not in titles]
            if missing:
                raise SystemExit(f"{QUERIES}: {case.q!r}: no offer titled {missing[0]!r} in {case.site}")
            found = directory_search(actor=Actor.system(coordination), filters=OfferFilters(query=case.q))
            ranked = [offer.title for offer in found.offers[:DEPTH]]
        recall = sum(title in ranked[:TOP] for title in case.expect) / len(case.expect)
        first = min((ranked.index(title) + 1 for title in case.expect if title in ranked), default=None)
        reciprocal = 1 / first if first else 0.0
        recalls.append(recall)
        reciprocal_ranks.append(reciprocal)
        by_kind.setdefault(case.kind, []).append((recall, reciprocal))
        if verbose or recall < 1:
            print(f"{recall:4.2f} {reciprocal:4.2f}  {case.site[:5]} {case.kind:<12} {case.q!r}")
            if recall < 1:
                for rank, title in enumerate(ranked[:TOP], 1):
                    print(f"{'':24}{rank}. {title}")
                print(f"{'':24}wanted: {', '.join(t for t in case.expect if t not in ranked[:TOP])}")
    print()
    print(f"{'kind':<14} {'queries':>7} {'recall@5':>9} {'MRR':>6}")
    for kind, scores in sorted(by_kind.items()):
        print(
            f"{kind:<14} {len(scores):>7} {statistics.mean(s[0] for s in scores):>9.3f}"
            f" {statistics.mean(s[1] for s in scores):>6.3f}"
        )
    return statistics.mean(recalls), statistics.mean(reciprocal_ranks)


def main(verbose: bool) -> int:
    cases = read_cases()
    domains = {case.domain for case in cases}
    with throwaway_database(BENCH_DB):
        recall, mrr = evaluate(cases, verbose)
    print(
        f"\n{len(cases)} queries ({sum(c.site == 'schaerbeek' for c in cases)} Schaerbeek, "
        f"{sum(c.site == 'tournai' for c in cases)} Tournai), {len(domains)} need domains"
    )
    print(f"recall@{TOP}: {recall:.3f} (target {TARGET_RECALL})   MRR: {mrr:.3f} (target {TARGET_MRR})")
    return 0 if recall >= TARGET_RECALL and mrr >= TARGET_MRR else 1


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv[1:]))
