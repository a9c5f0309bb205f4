"""Draft next year's codebook from a new export or form definition and last year's codebook.

``evidence`` says what is known about each column (from the data, or from an XLSForm);
the rest of the package turns that evidence into a runnable draft codebook and a Vietnamese
change report that lists every decision.
"""
