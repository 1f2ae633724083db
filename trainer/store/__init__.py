"""The results store: durable, shared and tamper-evident (see ``repository.py``)."""
