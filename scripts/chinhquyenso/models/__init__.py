"""Who takes part, and how much: models of participation by gender, administrative level and tenure.

Two faces of participation, both modelled on the same covariates (config ``models:``):
- taking part directly in an activity (yes/no): logistic regression;
- the level of participation, among those who take part: proportional-odds ordinal logistic
  regression (statsmodels ``OrderedModel`` with ``distr="logit"``). Its results are conditional
  on taking part.

Per activity (p-values adjusted across activities), pooled over activities (activity fixed
effects, standard errors clustered by respondent), and on two indices (number of activities;
mean level), with predictions along tenure. Every model is fitted on respondents grouped by
covariate pattern and outcome, with frequency weights: exact, and small at any sample size.

Modules, in the order of the stage:
- ``spec``: covariates, design columns, covariate patterns, adapting to the data's levels;
- ``fitting``: one model on collapsed rows, sandwich covariances, the tidy table;
- ``sparse``: thin outcome categories, their diagnosis and optional merge;
- ``activities``: per-activity and pooled models;
- ``indices``: the index models and predictions;
- ``separation``: separation of a logit, found by linear programming;
- ``brant``: Brant's test of proportional odds, untestable terms said;
- ``checks``: the Brant test of every activity, Cronbach's alpha, bivariate tests;
- ``threads``: one BLAS thread while fitting (the same bytes under Snakemake or not);
- ``estimable``: what each model can estimate on its sample, checked before fitting, and what
  the stage left out (and why) when the data cannot support a covariate, a model or any model;
- ``stage``: the rule fit_models.
"""

from .activities import per_activity, pooled, pooled_fit
from .brant import brant_test
from .checks import bivariate, brant_all, cronbach_alpha
from .estimable import MODEL_NAMES, NOT_ESTIMATED, Omissions, model_design, not_estimated
from .fitting import TERM_COLUMNS, SandwichFit, collapse, cut_points, fit_logit, fit_ordinal, tidy
from .indices import binomial_hc1, indices, ols_hc3, predictions
from .sparse import Thinness, merge_thin_extremes, model_status, sparse_diagnosis, thinness
from .spec import (
    Covariate,
    Design,
    ModelSpec,
    Patterns,
    covariate_patterns,
    design,
    fit_to_data,
    grid_dimensions,
    is_slope,
    spec_from_config,
)
from .stage import book_levels_for, fit_stage, run_all, write_stage

__all__ = [
    "MODEL_NAMES",
    "NOT_ESTIMATED",
    "TERM_COLUMNS",
    "Covariate",
    "Design",
    "ModelSpec",
    "Omissions",
    "Patterns",
    "SandwichFit",
    "Thinness",
    "binomial_hc1",
    "book_levels_for",
    "bivariate",
    "brant_all",
    "brant_test",
    "collapse",
    "covariate_patterns",
    "cronbach_alpha",
    "cut_points",
    "design",
    "fit_logit",
    "fit_ordinal",
    "fit_stage",
    "fit_to_data",
    "grid_dimensions",
    "indices",
    "is_slope",
    "merge_thin_extremes",
    "model_design",
    "model_status",
    "not_estimated",
    "ols_hc3",
    "per_activity",
    "pooled",
    "pooled_fit",
    "predictions",
    "run_all",
    "sparse_diagnosis",
    "spec_from_config",
    "thinness",
    "tidy",
    "write_stage",
]
