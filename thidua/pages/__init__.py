"""Page helpers shared by every app's views: forms, posting, refusals."""
