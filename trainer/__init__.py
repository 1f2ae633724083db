"""Trainer: a role-play trainer where every seller turn is judged on one question —
was this a good use of the customer's time?"""

__version__ = "0.1.0"
