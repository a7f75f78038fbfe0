"""analysis stage: pure functions over a pandas frame of statements.

    frame       statements_frame, select, rollup_frame
    series      dyad_series (per day/week/month, directed or not, zero-filled)
    trend       trend_slope, rolling_means, dyad_trends
    alerts      escalation_alerts (count surprise against a pooled baseline, or CUSUM), most_escalating
    surprise    the count-surprise detector (surprise_scan, surprise_alerts, SurpriseParams)
    balance     signed_graph, triads, factions, balance_windows, faction_changes, unbalanced_triads,
                rollup_sides (an actor and its own forces as one side), supported_factions (bootstrap support)
    centrality  centrality on the conflict and cooperation layers
    charts      chart_png, chart_html
"""

# What each name is imported from. The modules load when a name is first used (PEP 562), so a
# command that only needs the series does not pay for networkx (balance, centrality) or matplotlib.
_EXPORTS = {
    "alerts": ("CusumParams", "escalation_alerts", "most_escalating"),
    "balance": ("balance_summary", "balance_windows", "faction_changes", "factions", "graph_from_signs",
                "rollup_sides", "signed_graph", "supported_factions", "triads", "unbalanced_triads"),
    "centrality": ("centrality",),
    "frame": ("EXCLUDED_MODALITIES", "LEVELS", "rollup_frame", "select", "statements_frame"),
    "series": ("FREQS", "SERIES_METRICS", "dyad_series"),
    "surprise": ("SurpriseParams", "surprise_alerts"),
    "trend": ("dyad_trends", "rolling_means", "trend_slope"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str):
    import importlib

    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_MODULE_OF))


__all__ = [
    "EXCLUDED_MODALITIES", "FREQS", "LEVELS", "SERIES_METRICS", "CusumParams", "SurpriseParams", "balance_summary",
    "balance_windows", "centrality", "dyad_series", "dyad_trends", "escalation_alerts", "faction_changes",
    "factions", "graph_from_signs", "most_escalating", "rolling_means", "rollup_frame", "select",
    "rollup_sides", "signed_graph", "statements_frame", "supported_factions", "surprise_alerts", "trend_slope", "triads", "unbalanced_triads",
]
