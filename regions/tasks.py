"""Jobs of the regional comparison: computing the indicator snapshots."""

from celery import shared_task

from regions.indicators import compute, last_complete_month, parse_period


@shared_task(bind=True, ignore_result=False)
def compute_indicators(self, period: str | None = None, region: str | None = None) -> int:
    """Nightly (last complete month) and on demand; reports progress per indicator, which
    the page watching a run reads from the result backend (the one task that keeps one)."""

    def progress(done: int, total: int) -> None:
        if self.request.id:
            self.update_state(state="PROGRESS", meta={"current": done, "total": total})

    return compute(parse_period(period or last_complete_month()), region=region, progress=progress)
