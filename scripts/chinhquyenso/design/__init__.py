"""Design-based estimation: estimates that respect how the sample was drawn (weights, strata,
clusters), weights built from known population totals, and models fitted by weighted
pseudo-likelihood with linearisation variance. The reference is R's ``survey`` package
(tests/r/survey_reference.R, tests/test_design_reference.py).

Modules:
- ``spec``: the design (SurveyDesign) from a clean frame and the codebook's roles, its checks,
  and the linearisation variance (PSU totals centred within strata);
- ``calibration``: the variance of post-stratified or raked weights (residuals from the cells);
- ``weighting``: post-stratification and raking to totals read from a table under resources/;
- ``estimates``: shares and means with SEs, logit intervals, design effects, domains;
- ``models``: design-based logit, linear and proportional-odds models on collapsed covariate
  patterns (``ordinal``: the proportional-odds fit by Newton's method).
"""

from .spec import (
    DESIGN_ROLES,
    LONELY_PSU,
    DesignError,
    SurveyDesign,
    design_from_frame,
    simple_design,
    variance,
)

__all__ = [
    "DESIGN_ROLES",
    "LONELY_PSU",
    "DesignError",
    "SurveyDesign",
    "design_from_frame",
    "simple_design",
    "variance",
]
