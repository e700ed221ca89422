"""Survey statistics: proportions with intervals, disclosure control, crosstabs, wave comparisons."""

from analysis.stats.crosstab import (
    DEFAULT_EXCLUDED,
    NOT_KNOWN,
    Crosstab,
    MultiChoiceItem,
    SingleChoiceItem,
    crosstab,
    crosstab_set,
)
from analysis.stats.disclosure import (
    DisclosureRules,
    LinkedTable,
    ProtectedTable,
    protect_linked,
    protect_table,
)
from analysis.stats.proportions import wilson_frame, wilson_interval, wilson_intervals
from analysis.stats.waves import benjamini_hochberg, compare_waves, crosstab_wave_counts

__all__ = [
    "DEFAULT_EXCLUDED",
    "NOT_KNOWN",
    "Crosstab",
    "DisclosureRules",
    "LinkedTable",
    "MultiChoiceItem",
    "ProtectedTable",
    "SingleChoiceItem",
    "benjamini_hochberg",
    "compare_waves",
    "crosstab",
    "crosstab_set",
    "crosstab_wave_counts",
    "protect_linked",
    "protect_table",
    "wilson_frame",
    "wilson_interval",
    "wilson_intervals",
]
