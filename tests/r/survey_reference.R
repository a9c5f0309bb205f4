# Design-based estimates by R's survey package, the reference for scripts/chinhquyenso/design
# (tests/test_design_reference.py compares). Usage:
#   Rscript survey_reference.R data.csv out.csv lonely [pop_cells.csv pop_stratum.csv pop_b.csv]
# data.csv: stratum, psu (numbered within stratum: nest=TRUE), w, fpc (PSUs in the stratum's
# population), y (0/1), x (numeric, NA = no answer), g (domain), a (0/1), b (factor p/q/r),
# t (numeric), lev (1..4 for y = 1, else NA), cnt (0..3: a count index of 3 trials). lonely: options(survey.lonely.psu).
# pop_*.csv: population totals (Freq) by stratum x b, by stratum, by b: postStratify and rake.
# out.csv: key, value (keys: <design>:<statistic>[:<domain or term>]).
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
options(survey.lonely.psu = args[3])
d <- read.csv(args[1], encoding = "UTF-8", colClasses = c(stratum = "character", g = "character", b = "character"))
d$b <- factor(d$b, levels = c("p", "q", "r"))
d$lev0 <- ifelse(is.na(d$lev), 1, d$lev)  # outside the domain (weight 0): any level, no NA rows
out <- list()
put <- function(key, value) out[[key]] <<- unname(value)

designs <- list(chinh = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE))
if (args[3] == "fail") {
  designs$fpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d, nest = TRUE)
}
if (length(args) >= 6) {  # calibrated designs: their variance uses the calibration cells
  D <- designs$chinh
  cells <- read.csv(args[4], colClasses = c(stratum = "character", b = "character"))
  cells$b <- factor(cells$b, levels = levels(d$b))
  designs$ps <- postStratify(D, ~stratum + b, cells)
  pop_s <- read.csv(args[5], colClasses = c(stratum = "character"))
  pop_b <- read.csv(args[6], colClasses = c(b = "character"))
  pop_b$b <- factor(pop_b$b, levels = levels(d$b))
  designs$rake <- rake(D, list(~stratum, ~b), list(pop_s, pop_b), control = list(maxit = 1000, epsilon = 1e-14))
}
glm_ctl <- glm.control(epsilon = 1e-14, maxit = 100)
for (name in names(designs)) {
  D <- designs[[name]]
  for (v in c("y", "x")) {
    m <- svymean(as.formula(paste0("~", v)), D, deff = TRUE, na.rm = TRUE)
    put(paste(name, "mean", v, sep = ":"), coef(m))
    put(paste(name, "se", v, sep = ":"), SE(m))
    put(paste(name, "deff", v, sep = ":"), deff(m))
    by <- svyby(as.formula(paste0("~", v)), ~g, D, svymean, deff = TRUE, na.rm = TRUE)
    for (i in seq_len(nrow(by))) {
      put(paste(name, "mean", v, by$g[i], sep = ":"), by[i, v])
      put(paste(name, "se", v, by$g[i], sep = ":"), SE(by)[i])
      put(paste(name, "deff", v, by$g[i], sep = ":"), deff(by)[i])
    }
  }
  ci <- attr(svyciprop(~y, D, method = "logit"), "ci")
  put(paste(name, "ci_low:y", sep = ":"), ci[1])
  put(paste(name, "ci_high:y", sep = ":"), ci[2])
  for (gv in sort(unique(d$g))) {
    ci <- attr(svyciprop(~y, subset(D, g == gv), method = "logit"), "ci")
    put(paste(name, "ci_low:y", gv, sep = ":"), ci[1])
    put(paste(name, "ci_high:y", gv, sep = ":"), ci[2])
  }
  fit <- svyglm(y ~ a + b + t, D, family = quasibinomial, control = glm_ctl)
  for (term in names(coef(fit))) {
    put(paste(name, "logit_coef", term, sep = ":"), coef(fit)[term])
    put(paste(name, "logit_se", term, sep = ":"), SE(fit)[term])
  }
  share <- svyglm(I(cnt / 3) ~ a + b + t, D, family = quasibinomial, control = glm_ctl)
  lin <- svyglm(x ~ a + b + t, D, family = gaussian)
  for (term in names(coef(lin))) {
    put(paste(name, "share_coef", term, sep = ":"), coef(share)[term])
    put(paste(name, "share_se", term, sep = ":"), SE(share)[term])
    put(paste(name, "linear_coef", term, sep = ":"), coef(lin)[term])
    put(paste(name, "linear_se", term, sep = ":"), SE(lin)[term])
  }
  olr <- svyolr(factor(lev0) ~ a + b + t, subset(D, y == 1), control = list(reltol = 1e-15, maxit = 5000))
  est <- c(coef(olr), olr$zeta)
  se <- sqrt(diag(vcov(olr)))
  for (term in names(est)) {
    put(paste(name, "olr_coef", term, sep = ":"), est[term])
    put(paste(name, "olr_se", term, sep = ":"), se[term])
  }
}

if (length(args) >= 6) {
  for (i in seq_len(nrow(d))) {
    put(paste("poststratify", i, sep = ":"), weights(designs$ps)[i])
    put(paste("rake", i, sep = ":"), weights(designs$rake)[i])
  }
}
write.csv(data.frame(key = names(out), value = sprintf("%.17g", unlist(out))), args[2],
          row.names = FALSE, fileEncoding = "UTF-8")
