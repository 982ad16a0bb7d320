"""A stand-in for another app's indicator queries (e.g. referrals completed)."""

from retorno.statistics.registry import indicator


@indicator("plugin_referrals_completed", unit="events", description="Canalizaciones concluidas")
def plugin_referrals_completed(period, filters):
    return 42
