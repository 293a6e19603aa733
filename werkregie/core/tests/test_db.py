from werkregie.core.db import filter_in
from werkregie.organisations.models import Municipality


def test_filter_in_returns_the_same_rows_in_small_chunks(region: None) -> None:
    codes = list(Municipality.objects.values_list("cbs_code", flat=True))
    found = list(filter_in(Municipality.objects.all(), "cbs_code", codes, chunk=3))
    assert sorted(m.cbs_code for m in found) == sorted(codes)
