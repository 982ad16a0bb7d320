"""A stand-in for another app's bulletin tables (e.g. referrals by institution and outcome)."""

from retorno.statistics.tables import EVENTS, Table

TABLE_KEYS = ["plugin_referrals"]


def tables(*, month, audience, filters):
    return [
        Table(
            "plugin_referrals",
            "Canalizaciones por institución y resultado",
            EVENTS,
            "Institución",
            ["A", "B"],
            ["Institución A", "Institución B"],
            ["done", "open"],
            ["Concluidas", "Abiertas"],
            [[3, 40], [50, 60]],
            None,
            f"{month:%Y-%m}",
        )
    ]
