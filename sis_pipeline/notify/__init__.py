"""What a run tells people when it ends: the e-mailed summary and the HTML run report.

`facts.py` holds what is known about one run (counts and host IDs only), `message.py` and
`report.py` turn it into the e-mail and the report as pure functions, `smtp.py` sends.
"""
