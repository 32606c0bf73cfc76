"""Pages of wide lists: the order and the filters are decided on the ids, the rows read in
full only for the page shown."""

from django.db.models import QuerySet


class LateRows:
    """A queryset sliced as a page: first the ids of the slice (the query sorts narrow rows,
    its joins serving only the filters), then the full rows of those ids, with their
    select_related and prefetches, in the order of the ids. Sorting 5,000 rows of seven
    joined tables to keep 25 costs ten times more than sorting their ids. Paginator (the
    pages' and DRF's) takes it as it takes a queryset: count() and slices."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[item])
        if not ids:
            return []
        # The ids were chosen under the filters a moment ago: the second query reads them
        # by key alone, without planning and running the filters (consent walls, several
        # EXISTS each) a second time.
        full = self.queryset.order_by()
        full.query.clear_where()
        rows = {row.pk: row for row in full.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]
