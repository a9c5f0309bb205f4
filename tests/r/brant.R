# Brant's (1990) test of proportional odds, computed independently of the Python package
# (tests/test_brant.py compares the two). Usage: Rscript brant.R input.csv output.csv
#
# input.csv: column y (ordered levels, numbers), w (frequency weights), then the covariate
# columns. For each cut k, glm fits the binary logit "y > k" to convergence. Separation is read
# off glm's own fit: rows fitted with probability numerically 0 or 1 are decided by it; a term is
# separated when its column is not in the row space of the design on the other rows (it is
# not estimable there). The finite estimates are glm's refit on the other rows. Brant's
# model-based covariance: Var(b_m) = (X'W_m X)^-1, Cov(b_m, b_l) = (X'W_m X)^-1 X'W_ml X
# (X'W_l X)^-1, W_ml = w pi_l (1 - pi_m) for m <= l; decided rows add nothing.
# output.csv: so_hang, chi2, bac_tu_do, p, kiem_dinh_duoc (the term could be tested).

args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], check.names = FALSE, encoding = "UTF-8")
y <- d$y
w <- d$w
X <- cbind(const = 1, as.matrix(d[, setdiff(names(d), c("y", "w")), drop = FALSE]))
terms <- colnames(X)[-1]
cuts <- head(sort(unique(y)), -1)
ctl <- glm.control(epsilon = 1e-15, maxit = 200)

in_rowspace <- function(A, v) qr(rbind(A, v))$rank == qr(A)$rank

fits <- lapply(cuts, function(k) {
  yb <- as.numeric(y > k)
  full <- suppressWarnings(glm(yb ~ X - 1, family = binomial, weights = w, control = ctl))
  mu <- fitted(full)
  free <- mu > 1e-9 & mu < 1 - 1e-9
  Xf <- X[free, , drop = FALSE]
  separated <- !sapply(seq_len(ncol(X)), function(j) in_rowspace(Xf, diag(ncol(X))[j, ]))
  names(separated) <- colnames(X)
  refit <- suppressWarnings(glm(yb[free] ~ Xf - 1, family = binomial, weights = w[free], control = ctl))
  b <- coef(refit)
  names(b) <- colnames(X)
  kept <- !is.na(b)
  pi <- yb
  pi[free] <- fitted(refit)
  Xk <- X[, kept, drop = FALSE] * free  # decided rows zeroed
  A <- crossprod(Xk, Xk * (w * pi * (1 - pi)))
  list(b = b[kept], separated = separated, pi = pi, G = solve(A, t(Xk)))
})

bad <- Reduce(`|`, lapply(fits, function(f) f$separated[terms]))
testable <- terms[!bad]
K <- length(fits)
q <- length(testable)
beta <- unlist(lapply(fits, function(f) f$b[testable]))
V <- matrix(0, K * q, K * q)
for (m in seq_len(K)) for (l in m:K) {
  Gm <- fits[[m]]$G[testable, , drop = FALSE]
  Gl <- fits[[l]]$G[testable, , drop = FALSE]
  wml <- w * fits[[l]]$pi * (1 - fits[[m]]$pi)
  block <- Gm %*% (t(Gl) * wml)
  V[(m - 1) * q + 1:q, (l - 1) * q + 1:q] <- block
  V[(l - 1) * q + 1:q, (m - 1) * q + 1:q] <- t(block)
}

wald <- function(idx) {
  D <- matrix(0, (K - 1) * length(idx), K * q)
  r <- 0
  for (j in idx) for (m in 2:K) {
    r <- r + 1
    D[r, j] <- 1
    D[r, (m - 1) * q + j] <- -1
  }
  diff <- D %*% beta
  stat <- drop(t(diff) %*% solve(D %*% V %*% t(D), diff))
  c(stat, nrow(D))
}

out <- data.frame(so_hang = c(terms, "tổng thể"), chi2 = NA_real_, bac_tu_do = NA_real_,
                  p = NA_real_, kiem_dinh_duoc = FALSE)
for (i in seq_along(terms)) if (!bad[i]) {
  s <- wald(match(terms[i], testable))
  out[i, c("chi2", "bac_tu_do", "p", "kiem_dinh_duoc")] <- list(s[1], s[2], pchisq(s[1], s[2], lower.tail = FALSE), TRUE)
}
if (!any(bad)) {
  s <- wald(seq_len(q))
  n <- length(terms) + 1
  out[n, c("chi2", "bac_tu_do", "p", "kiem_dinh_duoc")] <- list(s[1], s[2], pchisq(s[1], s[2], lower.tail = FALSE), TRUE)
}
write.csv(out, args[2], row.names = FALSE, fileEncoding = "UTF-8")
