"""Distances between places of the regional model (pure functions, no ORM)."""

import math
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0

Point = tuple[Decimal | float, Decimal | float]


def distance_km(a: Point, b: Point) -> int:
    """Great-circle distance in whole kilometres (haversine), rounded half up."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return int(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)) + 0.5)
