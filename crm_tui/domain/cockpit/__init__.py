"""The sales cockpit (issue 14): whom to call now, my day, and the pipeline.

``hours``: time zones and business hours; ``agenda``: my day and the agenda;
``pipeline``: each customer's stage, the board, and its charts.
"""
