"""Every change to applications, one module per use case: forms, drafts, submission, sealed
bids, screening and small grants."""
