# Pooled design-based models by R's survey package, the reference for the pooled models of
# scripts/chinhquyenso/models/activities.py with a design (tests/test_design_pooled.py compares).
# Usage: Rscript survey_pooled.R long.csv out.csv
# long.csv: one row per (respondent, activity): stratum, psu (numbered within stratum), w, fpc,
# a, b (p/q/r), t, act (activity id), y (0/1), lev (1..4 when y = 1, else NA).
# The design is declared on the long rows: a PSU's score total is then the sum over its
# respondents and their activities, which is the estimator of the pooled models.
# high: the logit of a level of 3 or more over the activities taken part in (the high-level model
# of the predictions). out.csv: key, value (keys: <design>:<model>_<coef|se>:<term>, <design>:<model>_df).
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], encoding = "UTF-8", colClasses = c(stratum = "character", b = "character", act = "character"))
d$b <- factor(d$b, levels = c("p", "q", "r"))
d$act <- factor(d$act, levels = sort(unique(d$act)))
d$lev0 <- ifelse(is.na(d$lev), 1, d$lev)
out <- list()
put <- function(key, value) out[[key]] <<- unname(value)
designs <- list(
  chinh = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE),
  fpc = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d, nest = TRUE)
)
for (name in names(designs)) {
  D <- designs[[name]]
  fit <- svyglm(y ~ a + b + t + act, D, family = quasibinomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  for (term in names(coef(fit))) {
    put(paste(name, "logit_coef", term, sep = ":"), coef(fit)[term])
    put(paste(name, "logit_se", term, sep = ":"), SE(fit)[term])
  }
  put(paste(name, "logit_df", sep = ":"), df.residual(fit))
  high <- svyglm(I(lev0 >= 3) ~ a + b + t, subset(D, y == 1), family = quasibinomial,
                 control = glm.control(epsilon = 1e-14, maxit = 100))
  for (term in names(coef(high))) {
    put(paste(name, "high_coef", term, sep = ":"), coef(high)[term])
    put(paste(name, "high_se", term, sep = ":"), SE(high)[term])
  }
  olr <- svyolr(factor(lev0) ~ a + b + t + act, subset(D, y == 1), control = list(reltol = 1e-15, maxit = 5000))
  est <- c(coef(olr), olr$zeta)
  se <- sqrt(diag(vcov(olr)))
  for (term in names(est)) {
    put(paste(name, "olr_coef", term, sep = ":"), est[term])
    put(paste(name, "olr_se", term, sep = ":"), se[term])
  }
}
write.csv(data.frame(key = names(out), value = sprintf("%.17g", unlist(out))), args[2],
          row.names = FALSE, fileEncoding = "UTF-8")
