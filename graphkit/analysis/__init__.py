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

from .alerts import CusumParams, escalation_alerts, most_escalating
from .balance import (
    balance_summary,
    balance_windows,
    faction_changes,
    factions,
    graph_from_signs,
    rollup_sides,
    signed_graph,
    supported_factions,
    triads,
    unbalanced_triads,
)
from .centrality import centrality
from .frame import EXCLUDED_MODALITIES, LEVELS, rollup_frame, select, statements_frame
from .series import FREQS, SERIES_METRICS, dyad_series
from .surprise import SurpriseParams, surprise_alerts
from .trend import dyad_trends, rolling_means, trend_slope

__all__ = [
    "EXCLUDED_MODALITIES", "FREQS", "LEVELS", "SERIES_METRICS", "CusumParams", "SurpriseParams", "balance_summary",
    "balance_windows", "centrality", "dyad_series", "dyad_trends", "escalation_alerts", "faction_changes",
    "factions", "graph_from_signs", "most_escalating", "rolling_means", "rollup_frame", "select",
    "rollup_sides", "signed_graph", "statements_frame", "supported_factions", "surprise_alerts", "trend_slope", "triads", "unbalanced_triads",
]
