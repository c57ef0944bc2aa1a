"""The write path of initiatives: registering, evidence and the request (`registration`),
the review and the recognition decision (`decisions`). Each service: authorise → validate
→ write → audit, in one transaction."""
