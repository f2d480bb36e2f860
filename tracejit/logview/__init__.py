"""Views of a trace log (``tracejit log show|stats|html``), each in its own module,
over the model of ``model.py``."""
