"""Thin Celery wrappers: the origin's side of an accepted transfer, finished if it was cut
short after the receiving side committed."""

from celery import shared_task

from transfers import services


@shared_task
def finish_origin_sides() -> int:
    return services.finish_origin_sides()
